"""A fit that keeps runs the reader flagged as diverged warns once (and is not trusted)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab.data import read_runs

KEPT = (
    "{n} runs that look diverged are kept in the fit ({named}; why, in the notes): a loss far "
    "above the trend of the rest can move the coefficients and the plans made from them — pass "
    "--drop-outliers (drop_outliers=True to read_runs() or fit()) to exclude them, or check "
    "them and keep them knowingly"
)


def _runs() -> pd.DataFrame:
    """Clean Chinchilla-law runs with 2 losses pushed 2.5x up: flagged, runs r5 and r40."""
    frame = chinchilla_runs(outliers=0)
    frame.loc[[5, 40], "loss"] *= 2.5
    return frame


def test_kept_runs_warn_once_and_the_fit_is_not_trusted() -> None:
    result = sl.fit("chinchilla", _runs(), bootstrap=0)
    assert result.warnings[0] == KEPT.format(n=2, named="r5, r40")
    assert not result.trusted and result.to_dict()["trusted"] is False
    kept = [n for n in result.notes if "looks diverged" in n and "kept" in n]
    assert len(kept) == 2  # each run is still named in a note


def test_dropped_runs_do_not_warn() -> None:
    result = sl.fit("chinchilla", _runs(), bootstrap=0, drop_outliers=True)
    assert not [w for w in result.warnings if "look diverged" in w]


def test_a_selection_without_the_flagged_runs_does_not_warn() -> None:
    table = read_runs(_runs())
    assert [run for run, _ in table.flagged] == ["r5", "r40"]
    assert table.select(~np.isin(table.runs, ["r5", "r40"])).flagged == ()
    one = table.select(np.array(table.runs) != "r40")
    assert [run for run, _ in one.flagged] == ["r5"]
    said = sl.fit("chinchilla", one, bootstrap=0).warnings
    assert said[0].startswith("1 run that looks diverged is kept in the fit")


def test_chinchilla_points_warn_of_their_7_kept_runs(chinchilla_csv_path: Path) -> None:
    result = sl.fit("chinchilla", chinchilla_csv_path, bootstrap=0)
    named = ", ".join(_kept_in_notes(result.notes))
    assert KEPT.format(n=7, named=named) in result.warnings and not result.trusted


def _kept_in_notes(notes: tuple[str, ...] | list[str]) -> list[str]:
    """The runs the notes name as kept though they look diverged: ``run 'row2' (row 3)``."""
    kept = [n for n in notes if "looks diverged" in n and "kept" in n]
    return [re.match(r"run '([^']+)'", n).group(1) for n in kept]  # type: ignore[union-attr]


@pytest.mark.heavy
def test_report_names_the_kept_runs_on_the_terminal(
    chinchilla_csv_path: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """report shows its notes only on the page: the terminal's warning said "named in the
    notes" of 7 runs it never named."""
    page = tmp_path / "report.html"
    code, _, err = cli(
        capsys, "report", str(chinchilla_csv_path), "--out", str(page), "--no-validate",
        "--bootstrap", "0",
    )  # fmt: skip
    assert code == 0, err
    runs = _kept_in_notes(sl.fit("chinchilla", chinchilla_csv_path, bootstrap=0).notes)
    assert len(runs) == 7
    warned = " ".join(err.split())
    assert f"7 runs that look diverged are kept in the fit ({', '.join(runs)}; why" in warned

    many = chinchilla_runs(outliers=0)
    many.loc[list(range(0, 40, 4)), "loss"] *= 2.5  # ten kept: eight named, two counted
    said = sl.fit("chinchilla", many, bootstrap=0).warnings[0]
    assert said.startswith(
        "10 runs that look diverged are kept in the fit (r0, r4, r8, r12, r16, r20, r24, r28 "
        "and 2 more; why, in the notes)"
    )


def test_the_terminal_shows_ten_kept_runs_and_counts_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Fourteen runs kept: ten notes and one line for four more; --json has all fourteen."""
    frame = chinchilla_runs(outliers=0)
    frame.loc[list(range(0, 56, 4)), "loss"] *= 2.5
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    code, out, err = cli(capsys, "fit", str(path), "--bootstrap", "0", "--json")
    assert code == 0, err
    kept = [n for n in json.loads(out)["notes"] if "looks diverged" in n and "kept" in n]
    assert len(kept) == 14
    lines = err.splitlines()
    assert sum("looks diverged" in line for line in lines) == 10
    assert (
        "note: ... and 4 more runs look diverged, kept (each is a note of --json; "
        "--drop-outliers excludes them)"
    ) in lines
