"""A message counts things in words, singular for one: ``1 run``, ``5 runs``, never
``1 run(s)``."""

from __future__ import annotations

from scalinglab._format import format_counted
from scalinglab.curves._logged import no_loss_note


def test_format_counted_says_one_and_many() -> None:
    assert [format_counted(n, "run") for n in (0, 1, 2)] == ["0 runs", "1 run", "2 runs"]
    assert format_counted(1, "match", "matches") == "1 match"
    assert format_counted(3, "match", "matches") == "3 matches"


def test_the_no_loss_note_of_a_curve_reader_counts_one_row() -> None:
    one = no_loss_note("c.csv", "loss", {"a": 1})
    assert one.startswith("c.csv: 1 row without a finite loss in column 'loss' skipped")
    two = no_loss_note("c.csv", "loss", {"a": 1, "b": 1})
    assert two.startswith("c.csv: 2 rows without a finite loss")


def test_the_isoflop_window_note_agrees_with_one_run() -> None:
    from scalinglab.validate._isoflop_window import window_note

    assert window_note(1, 0.5) == (
        "1 run farther than 0.5 decades of N from its budget's lowest-loss run was left out "
        "(--window, window=)"
    )
    assert window_note(185, 0.75).startswith("185 runs farther than 0.75 decades of N from their")


def test_the_left_out_note_agrees_with_one_run() -> None:
    from scalinglab.data._run_states import left_out_note

    one = left_out_note({"failed": ["a"]}, kept="finished", runs="stored run", then="(x)")
    assert one == "left out 1 stored run that is not finished: 1 failed (a) (x)"
    two = left_out_note({"failed": ["a", "b"]}, kept="finished", runs="run", then="(x)")
    assert two == "left out 2 runs that are not finished: 2 failed (a, b) (x)"
