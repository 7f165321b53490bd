"""An allocation as compact HTML, what a notebook shows of a
:class:`~scalinglab.plan.Allocation` (its ``_repr_html_``): the table ``scalinglab plan``
prints, from the same rows (:func:`scalinglab.plan._text.allocation_text`), every word
escaped, then its method, FLOP rule, warnings and notes; and a
:class:`~scalinglab.plan.Frontier`'s, the plan table ``scalinglab fit`` prints
(:func:`scalinglab.plan._text.frontier_text`). Both are laid out as every other view is
(:mod:`scalinglab._html_table`): the same colours, the same ``warning:`` and ``note:``
lines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scalinglab._html_table import html_block, html_lines, html_table
from scalinglab._table_rows import Cell, Column, TableRows, cell
from scalinglab.data._noted_runs import note_lines
from scalinglab.plan._text import (
    BEYOND,
    allocation_text,
    flops_interval_line,
    frontier_text,
    loss_interval_line,
)

if TYPE_CHECKING:
    from scalinglab.plan._result import Allocation

__all__ = ["render_allocation_html", "render_frontier_html"]


def _beyond(a: Allocation, text: str) -> Cell:
    """How far outside the runs, bold yellow past a decade, as every table says it
    (:func:`scalinglab._cells.beyond_style`)."""
    from scalinglab._cells import beyond_style

    return cell(text, beyond_style(a.distance))


def _stacked(value: str, band: str) -> Cell:
    """A value over its interval in dim text, as the terminal stacks them (``""``: none)."""
    return cell(value).plus(f"\n{band}", "dim") if band else cell(value)


def _caveats(warnings: Sequence[str], notes: Sequence[str]) -> str:
    """Each warning, then each note as the terminal prints it (:func:`note_lines`)."""
    return html_lines([*(f"warning: {w}" for w in warnings), *note_lines(notes)])


def render_allocation_html(a: Allocation) -> str:
    """The allocation as an HTML fragment: the title, the table of N*, D*, tokens per
    parameter, loss, compute and how far outside the runs, what the loss (or, for a target
    loss, the compute) interval is where it is a prediction interval, then the method, the
    FLOP rule, each warning and each note."""
    text = allocation_text(a, query=a.query)
    label, *numbers = text.columns
    columns = (Column(label, style="bold"), *(Column(c, justify="right") for c in numbers))
    rows = tuple(
        (cell(name), _beyond(a, value) if name == BEYOND else cell(value), cell(band))
        for name, value, band in text.rows
    )
    line = loss_interval_line([a]) if a.query == "flops" else flops_interval_line(a)
    return html_block(
        "allocation",
        text.title,
        [
            html_table(TableRows("", columns, rows)),
            html_lines([line], style="dim"),
            html_lines([f"method: {a.method}", f"FLOPs counted as: {a.flops_rule}"]),
            _caveats(a.warnings, a.notes),
        ],
    )


def render_frontier_html(allocations: Sequence[Allocation], *, why: Sequence[str] = ()) -> str:
    """Several budgets' allocations as an HTML fragment: the title, one row per budget
    (compute, N*, D*, tokens per parameter and loss, each value over its interval, and how
    far outside the runs), what the loss interval is where it is a prediction interval,
    then the method, each warning and each note, said once. ``why``: the lines that say
    why there are no intervals (the title says there are none), under the table."""
    from scalinglab.plan._pinned import said_once  # several budgets' lines said as one

    text = frontier_text(allocations, above=False)
    columns = tuple(Column(c, justify="right") for c in text.columns)
    rows = []
    for a, row in zip(allocations, text.rows, strict=True):
        cells = [_stacked(value, band) for value, band in row]
        if text.far:  # the last column: how far outside the runs
            cells[-1] = _beyond(a, row[-1][0])
        rows.append(tuple(cells))
    warnings, notes = said_once(allocations)
    return html_block(
        "frontier",
        text.title,
        [
            html_table(TableRows("", columns, tuple(rows))),
            html_lines([loss_interval_line(allocations), *why], style="dim"),
            html_lines([f"method: {allocations[0].method}"], style="dim"),
            _caveats(warnings, notes),
        ],
    )
