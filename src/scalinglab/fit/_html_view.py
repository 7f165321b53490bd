"""A fit as compact HTML, what a notebook shows of a :class:`~scalinglab.fit.FitResult`
(its ``_repr_html_``): the words and numbers of its text summary
(:func:`scalinglab.fit._text.fit_text`), every one escaped, laid out as a heading, a
coefficient table and lines, with the solver the one-line repr names."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from scalinglab.fit._text import fit_text

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult

__all__ = ["render_fit_html"]

_WARNING = "warning: "


def render_fit_html(r: FitResult) -> str:
    """The fit as an HTML fragment: law and formula, data, fit quality and status, the
    coefficients with their intervals, then at bound, AIC/BIC, warnings and notes."""
    text = fit_text(r)
    head = "".join(f"<th>{escape(c)}</th>" for c in text.columns)
    rows = "".join(
        "<tr>"
        + f"<td><b>{escape(row[0])}</b></td>"
        + "".join(f"<td style='text-align:right'>{escape(c)}</td>" for c in row[1:])
        + "</tr>"
        for row in text.rows
    )
    lines = [*text.head, f"solver: {r.solver}"]
    tail = "".join(
        f"<li style='color:#8a5a00'><b>warning:</b> {escape(line.removeprefix(_WARNING))}</li>"
        if line.startswith(_WARNING)
        else f"<li>{escape(line)}</li>"
        for line in text.tail
    )
    return (
        "<div class='scalinglab-fit'>"
        f"<p><b>{escape(text.title)}</b></p>"
        + "".join(f"<div>{escape(line)}</div>" for line in lines)
        + f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        + f"<ul style='margin:0.3em 0'>{tail}</ul></div>"
    )
