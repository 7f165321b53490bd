"""``isoflop`` names its runs as ``fit`` and ``backtest`` name the same runs
(``RunTable.describe_source``): with their count and the runs excluded, in Python and in
``--json``, where it said the file alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab


def test_isoflop_says_its_runs_as_fit_does(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    frame = isoflop_runs(seed=0)  # 5 budgets of 6 sizes
    frame.loc[3, "loss"] *= 1.5  # an outlier, left out by --drop-outliers
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    runs = scalinglab.read_runs(path, drop_outliers=True)
    said = f"{path} (29 runs, 1 excluded)"
    assert scalinglab.isoflop(runs, bootstrap=0).source == said
    assert scalinglab.fit("chinchilla", runs, bootstrap=0).source == said
    code, out, err = cli(capsys, "isoflop", str(path), "--drop-outliers", "--bootstrap", "0",
                         "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["source"] == said
    code, out, err = cli(capsys, "fit", str(path), "--law", "chinchilla", "--drop-outliers",
                         "--bootstrap", "0", "--no-compare", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["source"] == said
