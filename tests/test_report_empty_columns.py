"""The report's tables leave out a column empty in every row: the downstream page's
"backtest per task" wrote a "note" column with nothing in it on the shared data."""

from __future__ import annotations

import re
from types import SimpleNamespace

import numpy as np

from scalinglab.downstream._task import TaskFit
from scalinglab.downstream._task_backtest import TaskBacktest
from scalinglab.report._downstream import _backtest_section


def _scored(task: str) -> TaskBacktest:
    return TaskBacktest(task, *(np.array([x]) for x in (0.6, 0.5, 0.7, 0.6895)))


def _table(fits: dict[str, TaskFit]) -> tuple[list[str], list[int]]:
    """The per-task backtest's headers, and how many columns each body row fills."""
    tasks = {name: _scored(name) for name in fits}
    result = SimpleNamespace(
        tasks=tasks,
        average=lambda: None,
        rows=lambda: dict(tasks),
        chain=SimpleNamespace(
            tasks=fits,
            level=0.9,
            n_bootstrap=20,
            loss_step=SimpleNamespace(samples=np.ones((20, 3))),
        ),
        held_out_runs=("m1",),
        holdout_description="the largest models",
        coverage_note=None,
    )
    body = _backtest_section(result).body  # type: ignore[arg-type]
    table = re.search(r"<table>.*?</table>", body, re.S)
    assert table is not None
    heads = re.findall(r"<th>([^<]*)</th>", table.group(0))
    widths = [
        sum(int(span or 1) for span in re.findall(r"<t[dh][^>]*?(?:colspan='(\d+)')?[^>]*>", row))
        for row in re.findall(r"<tbody>.*", table.group(0))[0].split("<tr>")[1:]
    ]
    return heads, widths


def test_an_empty_note_column_is_left_out() -> None:
    quiet = {t: TaskFit(t, 0.5, None, examples=1838.0, eval_noise=0.011) for t in ("piqa", "arc")}
    heads, widths = _table(quiet)
    assert heads == ["task", "mean abs error (points)", "mean ARE", "90% coverage"]
    assert widths == [4, 4]


def test_a_note_in_any_row_keeps_the_column() -> None:
    fits = {
        "copa": TaskFit("copa", 0.5, None, examples=100.0, eval_noise=0.048, notes=("noisy",)),
        "piqa": TaskFit("piqa", 0.5, None, examples=1838.0, eval_noise=0.011),
    }
    heads, widths = _table(fits)
    assert heads[-1] == "note"
    assert widths == [5, 5]


def test_a_spanning_cell_narrows_with_the_column_left_out() -> None:
    from scalinglab.report._table_html import Td, table_html

    rows = [
        [Td("a", row_header=True), Td("1", num=True), Td("")],
        [Td("b", row_header=True), Td("not predictable", span=2)],
    ]
    html = table_html(["task", "error", "note"], rows)
    assert "<th>note</th>" not in html
    assert "<td>not predictable</td>" in html  # one column now: no colspan
    rows[0][2] = Td("noisy")
    assert "<th>note</th>" in table_html(["task", "error", "note"], rows)
