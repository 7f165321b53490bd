"""An allocation as compact HTML, what a notebook shows of a
:class:`~scalinglab.plan.Allocation` (its ``_repr_html_``): the table ``scalinglab plan``
prints, from the same rows (:func:`scalinglab.plan._text.allocation_text`), every word
escaped, then its method, FLOP rule, warnings and notes; and a
:class:`~scalinglab.plan.Frontier`'s, the plan table ``scalinglab fit`` prints
(:func:`scalinglab.plan._text.frontier_text`)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from scalinglab._html_table import CELL_PAD
from scalinglab.plan._text import (
    allocation_text,
    flops_interval_line,
    frontier_text,
    loss_interval_line,
)

if TYPE_CHECKING:
    from scalinglab.plan._result import Allocation

__all__ = ["render_allocation_html", "render_frontier_html"]

#: A number's cell: padded as every view's cells are (:data:`CELL_PAD`), right-aligned.
_RIGHT = f"{CELL_PAD};text-align:right"


def _cell(text: str) -> str:
    """A cell's text escaped, its lines (a distance's factor, then its decades) kept."""
    return "<br>".join(escape(line) for line in text.split("\n"))


def _over(value: str, band: str) -> str:
    """A value over its interval, as the terminal stacks them (``""``: no interval)."""
    return f"{value}\n{band}" if band else value


def _dim(line: str) -> str:
    """A line in the dim grey the terminal prints it in (``""``: nothing)."""
    return f"<div style='opacity:0.65'>{escape(line)}</div>" if line else ""


def render_allocation_html(a: Allocation) -> str:
    """The allocation as an HTML fragment: the title, the table of N*, D*, tokens per
    parameter, loss, compute and how far outside the runs, what the loss (or, for a target
    loss, the compute) interval is where it is a prediction interval, then the method, the
    FLOP rule, each warning and each note."""
    text = allocation_text(a, query=a.query)
    head = "".join(f"<th style='{CELL_PAD}'>{escape(c)}</th>" for c in text.columns)
    rows = "".join(
        f"<tr><td style='{CELL_PAD}'><b>{_cell(label)}</b></td>"
        + "".join(f"<td style='{_RIGHT}'>{_cell(c)}</td>" for c in cells)
        + "</tr>"
        for label, *cells in text.rows
    )
    lines = [f"method: {a.method}", f"FLOPs counted as: {a.flops_rule}"]
    tail = "".join(
        f"<li style='color:#8a5a00'><b>warning:</b> {escape(w)}</li>" for w in a.warnings
    ) + "".join(f"<li>{escape(n)}</li>" for n in a.notes)
    return (
        "<div class='scalinglab-allocation'>"
        f"<p><b>{escape(text.title)}</b></p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        + _dim(loss_interval_line([a]) if a.query == "flops" else flops_interval_line(a))
        + "".join(f"<div>{escape(line)}</div>" for line in lines)
        + (f"<ul style='margin:0.3em 0'>{tail}</ul>" if tail else "")
        + "</div>"
    )


def render_frontier_html(allocations: Sequence[Allocation], *, why: Sequence[str] = ()) -> str:
    """Several budgets' allocations as an HTML fragment: the title, one row per budget
    (compute, N*, D*, tokens per parameter and loss, each value over its interval, and how
    far outside the runs), what the loss interval is where it is a prediction interval,
    then the method, each warning and each note, said once. ``why``: the lines that say
    why there are no intervals (the title says there are none), under the table."""
    from scalinglab.plan._pinned import said_once  # several budgets' lines said as one

    text = frontier_text(allocations, above=False)
    head = "".join(f"<th style='{CELL_PAD}'>{escape(c)}</th>" for c in text.columns)
    rows = "".join(
        "<tr>"
        + "".join(f"<td style='{_RIGHT}'>{_cell(_over(value, band))}</td>" for value, band in row)
        + "</tr>"
        for row in text.rows
    )
    warnings, notes = said_once(allocations)
    tail = "".join(
        f"<li style='color:#8a5a00'><b>warning:</b> {escape(w)}</li>" for w in warnings
    ) + "".join(f"<li>{escape(n)}</li>" for n in notes)
    return (
        "<div class='scalinglab-frontier'>"
        f"<p><b>{escape(text.title)}</b></p>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        + _dim(loss_interval_line(allocations))
        + "".join(_dim(line) for line in why)
        + f"<div>{escape(f'method: {allocations[0].method}')}</div>"
        + (f"<ul style='margin:0.3em 0'>{tail}</ul>" if tail else "")
        + "</div>"
    )
