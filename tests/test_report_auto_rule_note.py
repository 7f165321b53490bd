"""A report whose law ``--law auto`` chose says, beside its backtest of that law alone, what
``backtest --law auto`` says of the same choice: auto chooses by rolling-origin cuts, not by
the held-out split, whose winner may be another law (on this grid it is)."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.report._report_validation import validation_sections
from scalinglab.validate._auto_rule import auto_rule, chosen_by_auto_note

pytestmark = pytest.mark.heavy  # a fit with its law choice, and its backtest


def _grid() -> pd.DataFrame:
    """A user's 5 × 6 grid, 20M-700M params by 400M-35B tokens, from E + A/N^0.33 +
    B/D^0.30 with 1.5% noise."""
    rng = np.random.default_rng(0)
    rows = [
        (N, D, (1.8 + 400.0 / N**0.33 + 1200.0 / D**0.30) * np.exp(0.015 * rng.standard_normal()))
        for N in np.geomspace(20e6, 700e6, 5)
        for D in np.geomspace(400e6, 35e9, 6)
    ]
    return pd.DataFrame(rows, columns=["params", "tokens", "loss"])


def test_the_report_says_the_rule_backtest_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs_csv = tmp_path / "runs.csv"
    _grid().to_csv(runs_csv, index=False)
    runs = sl.read_runs(runs_csv)
    result = sl.fit("auto", runs, bootstrap=0)
    chosen = result.law_choice.chosen
    sections, _ = validation_sections(result, runs, isoflop=False)
    (backtest,) = sections
    assert chosen == "overtraining"  # fit's rule; backtest's split names chinchilla
    assert chosen_by_auto_note(chosen) in html.unescape(backtest.body)
    # the CLI's note, in the same words: its winner here is another law than auto's choice
    code, out, err = cli(capsys, "backtest", str(runs_csv), "--law", "auto", "--bootstrap", "0",
                         "--no-rolling", one_line=True)  # fmt: skip
    said = " ".join((out + err).split())  # its notes, wherever the console wraps them
    assert code == 0 and "winner: chinchilla" in said
    assert "note: " + auto_rule("this winner's") in said
    assert f"it chooses {chosen}" in said


def test_a_law_given_gets_no_such_note(tmp_path: Path) -> None:
    runs = sl.read_runs(_grid())
    result = sl.fit("chinchilla", runs, bootstrap=0)
    sections, _ = validation_sections(result, runs, isoflop=False)
    assert "law auto's choice" not in html.unescape(sections[0].body)
