"""A backtest fit's own notes carry the ``backtest fit:`` mark its warnings carry, in
``backtest``'s notes, ``scalinglab backtest`` and a report's backtest section: "E, A and B
are at the edge of identified ..." of the fit on the runs kept read as the main fit's. Its
notes of reading the runs (the same runs, read once) stay unmarked; several laws name
theirs, as their warnings are named."""

from __future__ import annotations

import pytest
from tests._cli import cli

import scalinglab as sl
from scalinglab.data import bundled_runs
from scalinglab.report._report_validation import backtest_section
from scalinglab.validate._rows import comparison_notes

EDGE = "E, A and B are at the edge of identified: "
READ = "bundled real runs; flops = 6·params·tokens"


@pytest.fixture(scope="module")
def bt() -> sl.Backtest:
    return sl.backtest(bundled_runs(), holdout="top-decile", bootstrap=200)


def test_the_fit_notes_are_marked_and_the_reading_notes_are_not(bt: sl.Backtest) -> None:
    assert any(n.startswith(EDGE) for n in bt.fit.notes)  # the fit's own, as it says it
    edge = [n for n in bt.notes if EDGE in n]
    assert len(edge) == 1 and edge[0].startswith(f"backtest fit: {EDGE}"), edge
    assert READ in bt.notes  # read once, of the runs, not of the fit
    for note in bt.fit.notes:
        assert (
            note in bt.notes
            if note in bt.split.fitted.notes
            else f"backtest fit: {note}" in bt.notes
        )


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_the_report_section_says_it_marked(bt: sl.Backtest) -> None:
    from scalinglab.report._html_parts import escape

    body = backtest_section(bt).body
    assert f"<li>{escape(f'backtest fit: {EDGE}')}" in body
    # the main fit's notes are its section's: not said again, marked or not
    omitted = backtest_section(
        bt, omit=[*bt.fit.notes, *(f"backtest fit: {n}" for n in bt.fit.notes)]
    )
    assert EDGE not in omitted.body


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_several_laws_name_the_fit_once() -> None:
    runs = bundled_runs()
    laws = ["chinchilla", "E + A*N**-alpha + B*D**-beta"]
    comparison = sl.compare(runs, laws=laws, holdout="top-decile", bootstrap=200)
    notes = comparison_notes(comparison)
    edge = [n for n in notes if EDGE in n]
    assert edge and all(n.startswith("backtest fit (") for n in edge), edge
    assert not any("backtest fit: " in n for n in notes), notes
    assert READ in notes


@pytest.mark.heavy
def test_backtest_prints_it_marked(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "backtest", one_line=True)
    assert code == 0, err
    said = out + err
    assert f"note: backtest fit: {EDGE}" in said
    assert f"note: {EDGE}" not in said
