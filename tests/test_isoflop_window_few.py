"""Where ``window=`` (``--window``) leaves budgets with too few runs for a parabola, isoflop
says the window did it and names the narrowest wider window that keeps enough at two
budgets: on examples/isoflop-tiny ``--window 0.05`` said only "no budget has 3 or more
runs" with a hint about budgets and --tolerance."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab import DataError, isoflop
from scalinglab.cli import main

TINY = Path(__file__).resolve().parents[1] / "examples" / "isoflop-tiny" / "runs.parquet"
BUDGETS = [2e11, 4e11, 8e11]


def test_a_window_that_leaves_no_budget_enough_runs_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["isoflop", str(TINY), "--window", "0.05", "--bootstrap", "0"]) == 2
    err = " ".join(capsys.readouterr().err.split())
    assert err == (
        f"error: {TINY}: no budget has 3 or more runs within 0.05 decades of N of its "
        "lowest-loss run (--window, window=) (the fullest has 1); a parabola per budget needs "
        "3 hint: --window 0.05 (window=) left 3 budgets of 3+ runs with fewer: widen it "
        "(--window 0.29 keeps 3+ runs at 2 budgets), or leave it out to fit each budget's "
        "every run"
    )
    with pytest.raises(DataError, match=r"within 0\.2 decades of N") as info:
        isoflop(TINY, window=0.2, budgets=BUDGETS, bootstrap=0)  # budgets given: the same
    assert "--window 0.29 keeps 3+ runs at 2 budgets" in info.value.hint


def test_the_window_suggested_fits_and_the_notes_say_what_it_cut() -> None:
    found = isoflop(TINY, window=0.29, bootstrap=0)
    assert len(found.budgets) == 2
    assert (
        "2 runs in 1 group of fewer than 3 runs left out, at 2e11 FLOPs (too few within "
        "0.05 decades "
        "of each other; 1 of them had 3+ before --window 0.29 (window=) left out its farther "
        "runs)"
    ) in found.notes
    given = isoflop(TINY, window=0.29, budgets=BUDGETS, bootstrap=0)
    assert (
        "budget 2e11 FLOPs skipped: 2 runs, fewer than 3 (--window 0.29 (window=) left out "
        "2 of its 4)"
    ) in given.notes


def test_without_a_window_the_budgets_hint_stands() -> None:
    with pytest.raises(
        DataError, match=r"no budget has 5 or more runs \(the fullest has 4\)"
    ) as info:
        isoflop(TINY, min_runs=5, bootstrap=0)
    assert "--window" not in str(info.value) and "tolerance" in info.value.hint
