"""One label per error concept: the curves and downstream backtests' tables (terminal and
report) name the mean and the largest absolute relative error as the loss backtest does,
"mean ARE" and "max ARE"; the downstream error in points of accuracy keeps a label of its own
that says it is in points."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from tests.test_curve_backtest_names import MAX_ARE, MEAN_ARE, SPECS, _curves
from tests.test_downstream_backtest_unscored import HOLDOUT, _frame

from scalinglab.cli import main
from scalinglab.cli._downstream_views import print_backtest
from scalinglab.curves import backtest_curves, parse_schedule
from scalinglab.curves._curve import Curve
from scalinglab.curves._report import curves_section
from scalinglab.downstream import backtest_downstream, read_evals
from scalinglab.report._downstream import _backtest_section

OLD = ("rel. error", "worst", "rel error")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("│┃").split("│" if "│" in line else "┃")]


def test_curves_backtest_table_says_mean_are_and_max_are(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "curves.csv"
    _curves().to_csv(path, index=False)
    argv = ["curves", "backtest", str(path), "--train", "cos,con,ms", "--law", "tissue",
            "--warmup", "200"]  # fmt: skip
    assert main(argv) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "held-out run" in line)
    assert _cells(header) == ["held-out run", "mean ARE", "max ARE"]
    assert not any(old in out for old in OLD)
    rows = {(c := _cells(line))[0]: c[1:] for line in out.splitlines() if line.startswith("│")}
    # the held-out curve's errors, against the known miss OFF / (1 + OFF) of each point
    mean, largest = (float(v.rstrip("%")) / 100 for v in rows["wsd"])
    assert mean == pytest.approx(MEAN_ARE, abs=2e-5) and largest == pytest.approx(MAX_ARE, abs=2e-5)
    assert rows["all: mean / largest"] == rows["wsd"]  # one held-out curve
    assert rows["all: mean of max ARE"] == ["", rows["wsd"][1]]


def test_curves_report_table_says_mean_are_and_max_are() -> None:
    frame = _curves()
    bt = backtest_curves(frame, train=["cos", "con", "ms"], law="tissue", warmup=200)
    curves = [
        Curve(run, g["step"].to_numpy(), g["loss"].to_numpy(), parse_schedule(SPECS[run]))
        for run, g in frame.groupby("run", sort=False)
    ]
    html = curves_section(bt, curves).body
    assert "<th>held-out run</th><th>mean ARE</th><th>max ARE</th>" in html
    assert not any(old in html for old in OLD)
    row = re.search(
        r"<tr><td>wsd</td><td class='num'>([0-9.]+)%</td><td class='num'>([0-9.]+)%", html
    )
    assert row is not None
    assert float(row[1]) / 100 == pytest.approx(MEAN_ARE, abs=2e-5)
    assert float(row[2]) / 100 == pytest.approx(MAX_ARE, abs=2e-5)
    assert f"mean absolute relative error (ARE) <strong>{MEAN_ARE:.3%}</strong>" in html


def test_downstream_backtest_tables_say_mean_are_beside_points() -> None:
    evals = read_evals(_frame(0), chance={"task": 0.25, "task2": 0.25})
    result = backtest_downstream(
        evals, holdout=HOLDOUT, law="chinchilla", bootstrap=30, max_backtest_error=None
    )
    t = result.tasks["task"]
    # independent of the result's own properties: from its predictions and measurements
    points = 100 * float(np.mean(np.abs(t.predicted - t.actual)))
    are = 100 * float(np.mean(np.abs(t.predicted - t.actual) / t.actual))
    console = Console(record=True, width=200)
    print_backtest(console, result, result.rows(), 0.9)
    text = console.export_text()
    header = next(line for line in text.splitlines() if "mean ARE" in line)
    assert _cells(header)[:3] == ["task", "mean abs error (points)", "mean ARE"]
    row = _cells(next(line for line in text.splitlines() if "│ task " in line))
    assert row[1:3] == [f"{points:.2f}", f"{are:.1f}%"]
    assert not any(old in text for old in OLD)
    html = _backtest_section(result).body
    assert "<th>task</th><th>mean abs error (points)</th><th>mean ARE</th>" in html
    assert f"<td class='num'>{points:.2f}</td><td class='num'>{are:.1f}%</td>" in html
    assert not any(old in html for old in OLD)
