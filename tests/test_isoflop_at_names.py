"""``isoflop --at``: the JSON rows name N_opt and D_opt as the budgets do (``params_opt``,
``tokens_opt``) and the distance as plan does (``distance``), where they wrote ``params``,
``tokens`` and ``beyond`` (still written beside them for one release); the table's column is
"from fitted", not "beyond fitted" over a row below the fitted budgets, its cells in plan's
words."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from tests._cli import cli
from tests.test_isoflop_at import isoflop_runs


def test_at_rows_are_named_as_the_budgets_and_plan_name_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "iso.csv"
    isoflop_runs().to_csv(path, index=False)
    args = ("isoflop", str(path), "--bootstrap", "20", "--at", "1e15,1e23")
    code, out, err = cli(capsys, *args, "--json")
    assert code == 0, err
    data = json.loads(out)
    below, past = data["at"]
    assert set(data["budgets"][0]) >= {"params_opt", "tokens_opt"}
    for row in (below, past):
        assert {"params_opt", "params_opt_lower", "tokens_opt", "distance", "below"} <= set(row)
        # the old keys, kept one release, hold the same numbers
        for old, new in (("params", "params_opt"), ("tokens", "tokens_opt")):
            for end in ("", "_lower", "_upper"):
                assert row[old + end] == row[new + end]
        assert row["beyond"] == row["distance"]
    low = min(b["flops"] for b in data["budgets"] if b["used"])
    assert below["distance"] == pytest.approx(math.log10(low / 1e15)) and below["below"]
    assert past["distance"] > 0 and past["below"] is False
    code, out, _ = cli(capsys, *args)
    assert code == 0
    header = next(line for line in out.splitlines() if "compute (FLOPs)" in line)
    assert "from fitted" in header and "beyond fitted" not in out
    assert f"{below['distance']:.2f} dec" in out and " below" in out
