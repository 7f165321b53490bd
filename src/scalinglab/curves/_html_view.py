"""What a notebook shows of a curve fit (:class:`~scalinglab.curves.CurveFit`'s
``_repr_html_``): what ``scalinglab curves fit`` prints, from the same rows
(:mod:`scalinglab.curves._rows`), as escaped HTML (:mod:`scalinglab._html_table`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._html_table import html_block, html_lines, html_table
from scalinglab.curves._caveats import fit_summary
from scalinglab.curves._rows import coef_table, fit_title
from scalinglab.data._noted_runs import note_lines

if TYPE_CHECKING:
    from scalinglab.curves._result import CurveFit

__all__ = ["curve_fit_html"]


def curve_fit_html(result: CurveFit) -> str:
    """The law, curves and status, the data, the coefficients with their intervals, the
    starts, bounds and residuals line, then the warnings and notes."""
    return html_block(
        "curve-fit",
        fit_title(result, len(result.runs)),
        [
            html_lines([f"data: {result.source}"] if result.source else []),
            html_table(coef_table(result, title="")),
            html_lines([fit_summary(result)]),
            html_lines([*(f"warning: {w}" for w in result.warnings), *note_lines(result.notes)]),
        ],
    )
