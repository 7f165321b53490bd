"""Coverage over fewer than 10 held-out runs is shown as a count ("0 of 1", not "0%"), with
a note that so few runs cannot judge calibration; "1 run", not "1 runs"."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab.validate._few_runs import FEW_RUNS, coverage_said, few_runs_note


def test_a_coverage_of_few_runs_is_a_count() -> None:
    assert coverage_said(0.0, 1) == "0 of 1"
    assert coverage_said(2 / 3, 3) == "2 of 3"
    assert coverage_said(7 / 9, 9) == "7 of 9"
    assert coverage_said(0.8, FEW_RUNS) == "80%"
    assert coverage_said(math.nan, 0) == "—"


def test_the_note_gives_the_standard_error_over_the_runs() -> None:
    bt = sl.backtest(isoflop_runs(seed=0), holdout="largest:4", bootstrap=20)
    note = (
        "coverage over 4 held-out runs cannot judge calibration: each run moves it 25 points, "
        "and its standard error at 90%, √(p(1−p)/n), is ±15 points; hold out 10 or more runs "
        "to judge it (counts shown: 'k of n' runs inside)"
    )
    assert few_runs_note(bt.summary, (0.5, 0.8, 0.9)) == note and note in bt.notes
    many = sl.backtest(isoflop_runs(seed=0), holdout="largest:12", bootstrap=20)
    assert few_runs_note(many.summary, (0.5, 0.8, 0.9)) is None
    assert not any("cannot judge calibration" in n for n in many.notes)
    points = sl.backtest(isoflop_runs(seed=0), holdout="largest:4", bootstrap=0)
    assert not any("cannot judge calibration" in n for n in points.notes)  # no coverage


def test_the_command_line_counts_the_runs_inside(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "runs.csv"
    isoflop_runs(seed=0).to_csv(path, index=False)
    args = ["backtest", str(path), "--bootstrap", "20", "--no-rolling"]
    code, out, err = cli(capsys, *args, "--holdout", "largest:1")
    assert code == 0, err
    text = " ".join(out.split())
    said = "held out 1 run (the largest run by flops; 6 runs share the cut value, flops 1e20: "
    assert said + "1 of them held out); fitted on 29 runs" in text
    assert re.search(
        r"coverage of nominal intervals over the 1 run held out: 50%: [01] of 1, 80%: [01] of 1, "
        r"90%: [01] of 1(?! \()",
        text,
    )
    assert re.search(
        r"│ chinchilla +│ +[\d.]+% │ +[\d.]+% │ [01] of 1 │ [01] of 1 │ [01] of 1 │", out
    )
    assert "note: coverage over 1 held-out run cannot judge calibration" in text
    code, out, _ = cli(capsys, *args, "--holdout", "largest:12")
    assert code == 0
    assert re.search(
        r"intervals over the 12 runs held out: .*90%: \d+%(?! \()", " ".join(out.split())
    )
    assert "cannot judge calibration" not in out
