"""A comparison's notes say of which law each fit's own note is: ``B is at the edge of
identified`` of one law reads ``backtest fit (chinchilla): ...``, as its warnings do, while a
note every law's backtest says (reading the runs, coverage over few runs) is said once."""

from __future__ import annotations

import pytest

import scalinglab as sl
from scalinglab.validate._rows import comparison_notes


@pytest.mark.heavy  # 2.4 s in the suite on a 2-core AMD EPYC
def test_a_fits_own_note_names_its_law_and_a_shared_note_is_said_once() -> None:
    cmp = sl.compare(sl.bundled_runs(), laws=["chinchilla", "overtraining"], holdout="largest:3")
    chinchilla, overtraining = (s.backtest.notes for s in cmp.laws)
    own = [n for n in chinchilla if "at the edge of identified" in n]
    assert own and not [n for n in overtraining if n in own]
    notes = comparison_notes(cmp)
    for n in own:  # marked as the backtest fit's in its backtest; named by law here
        assert n.startswith("backtest fit: B is at the edge of identified"), n
        named = f"backtest fit (chinchilla): {n.removeprefix('backtest fit: ')}"
        assert named in notes and n not in notes
    shared = [n for n in chinchilla if n in overtraining]
    assert any(n.startswith("coverage over 3 held-out runs") for n in shared)
    for n in shared:
        assert notes.count(n) == 1
    # one law: nothing to tell apart, its notes as they are
    one = sl.compare(sl.bundled_runs(), laws=["chinchilla"], holdout="largest:3")
    assert comparison_notes(one) == [*one.notes, *one.laws[0].backtest.notes]


def test_one_law_backtested_is_not_said_to_be_the_lowest() -> None:
    one = sl.compare(sl.bundled_runs(), laws=["chinchilla"], holdout="largest:3", bootstrap=0)
    assert one.reason.endswith(", the only law backtested")
    two = sl.compare(
        sl.bundled_runs(), laws=["chinchilla", "overtraining"], holdout="largest:3", bootstrap=0
    )
    assert two.reason.endswith(", the lowest")
