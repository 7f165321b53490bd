"""A backtest on an axis whose values reach 0 or below (``U`` from -1 to 4 in
``Linf + A*exp(-k*U)``) has no extrapolation factor: a run at 4 over a largest fitted -0.21
is "-19× fitted". Its distances count spans of the fitted range past the largest fitted
value, as ``predict``'s do, in the split, the runs, their JSON, the command line and the
report; a positive axis keeps its factor."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.report._backtest_plot import backtest_figure
from scalinglab.report._report_validation import backtest_section
from scalinglab.validate import Backtest

LAW = "Linf + A*exp(-k*U)"
#: x = -1 + 5k/19, k = 0..19: the 4 fitted (x <= 0) run from -1 to -4/19, a span of 15/19.
X = np.linspace(-1.0, 4.0, 20)


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    path = tmp_path / "signed.csv"
    loss = (1 + 3 * np.exp(-0.7 * X)) * (1 + 0.002 * np.sin(7 * X))
    pd.DataFrame({"x": X, "loss": loss}).to_csv(path, index=False)
    return path


def _backtest(path: Path) -> Backtest:
    return sl.backtest(path, law=LAW, x={"U": "x"}, holdout="x>0", bootstrap=0)


def test_distances_count_spans_of_the_fitted_range_not_a_factor(signed: Path) -> None:
    bt = _backtest(signed)
    split = bt.split
    assert split.span() == pytest.approx(15 / 19)
    # run k lies (k - 3) * (5/19) past the largest fitted, -4/19: (k - 3) / 3 spans
    np.testing.assert_allclose(split.spans_beyond(), (np.arange(4, 20) - 3) / 3)
    assert np.isnan(split.times_fitted()).all()  # was -0.25 ... -19
    last = bt.runs[-1]
    assert last.spans_beyond == pytest.approx(16 / 3) and math.isnan(last.times_fitted)
    assert last.to_dict()["spans_beyond"] == pytest.approx(16 / 3)


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_positive_axis_keeps_its_factor(tmp_path: Path) -> None:
    path = tmp_path / "positive.csv"
    x = X + 2  # 1 to 6
    pd.DataFrame({"x": x, "loss": 1 + 3 * np.exp(-0.7 * x)}).to_csv(path, index=False)
    bt = sl.backtest(path, law=LAW, x={"U": "x"}, holdout="x>5", bootstrap=0)
    assert bt.split.span() is None and math.isnan(bt.runs[-1].spans_beyond)
    assert bt.runs[-1].times_fitted == pytest.approx(6 / x[15])


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_command_line_gives_spans_and_never_a_negative_factor(
    capsys: pytest.CaptureFixture[str], signed: Path
) -> None:
    args = ("--law", LAW, "--x", "U=x", "--holdout", "x>0", "--bootstrap", "0", "--no-rolling")
    code, out, err = cli(capsys, "backtest", str(signed), *args)
    assert code == 0, err
    assert (
        "held out 16 runs (x>0); fitted on 4 runs up to x -0.211; extrapolation up to 5.33 "
        "spans of the fitted x range (-1 to -0.211) past the largest fitted x (x reaches 0 or "
        "below: no factor)"
    ) in " ".join(out.split())
    table = out.split("held-out runs:")[1]
    assert "spans past fitted" in table and "× fitted" not in out
    last = next(line for line in table.splitlines() if "row21" in line)
    assert last.split("│")[3].strip() == "5.33"  # run, x, spans past fitted
    # The data line names a temporary path (pytest-192 holds "-19"): check the rest.
    shown = "\n".join(line for line in out.splitlines() if not line.startswith("data:"))
    assert "-0.25" not in shown and "-19" not in shown


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_the_report_table_and_distance_panel_count_spans(signed: Path) -> None:
    bt = _backtest(signed)
    body = backtest_section(bt, level=0.9).body
    assert "<th>spans past fitted</th>" in body and "distance ×" not in body
    assert "in spans of the fitted range" in body
    panel = backtest_figure([bt], level=0.9, rolling=None).axes[1]
    assert panel.get_xscale() == "linear"
    np.testing.assert_allclose(panel.get_lines()[0].get_xdata(), (np.arange(4, 20) - 3) / 3)
    assert panel.get_xlabel().startswith("extrapolation: spans of the fitted x range")
