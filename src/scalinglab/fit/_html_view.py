"""A fit as compact HTML, what a notebook shows of a :class:`~scalinglab.fit.FitResult`
(its ``_repr_html_``): the words and numbers of its text summary
(:func:`scalinglab.fit._text.fit_text`), every one escaped, laid out as a heading, a
coefficient table and lines (:mod:`scalinglab._html_table`), with the solver the one-line
repr names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._html_table import html_block, html_lines, html_table
from scalinglab._table_rows import Column, TableRows, cell
from scalinglab.fit._text import fit_text

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult

__all__ = ["render_fit_html"]


def render_fit_html(r: FitResult) -> str:
    """The fit as an HTML fragment: law and formula, data, fit quality and status, the
    coefficients with their intervals, then at bound, AIC/BIC, warnings and notes."""
    text = fit_text(r)
    right = (Column(c, justify="right") for c in text.columns[1:])
    columns = (Column(text.columns[0], style="bold"), *right)
    table = TableRows("", columns, tuple(tuple(cell(c) for c in row) for row in text.rows))
    return html_block(
        "fit",
        text.title,
        [html_lines([*text.head, f"solver: {r.solver}"]), html_table(table), html_lines(text.tail)],
    )
