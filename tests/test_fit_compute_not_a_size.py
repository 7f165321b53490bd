"""A column named as compute (``compute (PF-days)``) is never proposed as tokens or params:
the hint said ``--x D='compute (PF-days)'``, which fits a law of tokens to compute."""

from __future__ import annotations

from pathlib import Path

import pytest

import scalinglab
from scalinglab._errors import DataError


def test_a_compute_column_is_proposed_as_flops_not_tokens(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    rows = [f"r{k},{n:g},{c:g},{3.0 - 0.1 * k}" for k, (n, c) in
            enumerate([(1e7, 0.01), (2e7, 0.1), (4e7, 1.0), (8e7, 10.0)])]  # fmt: skip
    path.write_text("run,params,compute (PF-days),loss\n" + "\n".join(rows) + "\n")
    with pytest.raises(DataError) as err:
        scalinglab.fit("chinchilla", path, bootstrap=0)
    assert "--x D=" not in err.value.hint
    assert err.value.hint == (
        "'compute (PF-days)' holds compute, not tokens: read it as flops, --map "
        "flops='compute (PF-days)' (in FLOPs: a PF-day is 8.64e19), and tokens is derived "
        "from it (C = 6·N·D); or add a tokens column"
    )
