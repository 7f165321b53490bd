"""A formula's symbols against the runs' columns: a law of compute on runs without it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli


def _runs(path: Path, *, flops: bool = True) -> Path:
    n = np.geomspace(1e6, 1e9, 16)
    frame = pd.DataFrame({"params": n, "loss": 2.0 + 50.0 * n**-0.25, "width": np.sqrt(n)})
    if flops:
        frame = frame.assign(tokens=20 * n, flops=120 * n**2)
    frame.to_csv(path, index=False)
    return path


def test_a_law_of_compute_on_runs_without_it_is_not_pointed_at_model_size(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _runs(tmp_path / "nonly.csv", flops=False)
    code, _, err = cli(capsys, "fit", str(path), "--law", "E + A*C**-alpha", one_line=True)
    assert code == 2
    assert "law 'E + A*C**-alpha' needs column 'flops' for C" in err
    assert (
        "hint: add a flops column, or tokens (C = 6·N·D is derived from params and tokens); "
        "a column that holds compute under another name: --x C=COLUMN"
    ) in err
    assert "map it to one of" not in err
