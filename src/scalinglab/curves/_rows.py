"""The coefficient table ``scalinglab curves fit`` prints, built once: the command draws it
with Rich (:mod:`scalinglab.cli._cmd_curves`), a notebook as HTML
(:mod:`scalinglab.curves._html_view`): the same title and cells."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._cells import estimate_parts
from scalinglab._format import format_number
from scalinglab._table_rows import Column, TableRows, cell
from scalinglab.curves._caveats import interval_header
from scalinglab.curves._registry import get_curve_law

if TYPE_CHECKING:
    from scalinglab.curves._result import CurveFit

__all__ = ["coef_table", "fit_title"]


def fit_title(result: CurveFit, n_curves: int) -> str:
    """``multipower fitted to 3 curves (converged)``."""
    curves = "curve" if n_curves == 1 else "curves"
    return f"{result.law} fitted to {n_curves} {curves} ({result.status})"


def coef_table(result: CurveFit, *, title: str) -> TableRows:
    """Each coefficient and its value, with the bootstrap interval where there are
    resamples (no bootstrap: two columns, as ``fit`` shows it)."""
    drawn = result.samples is not None
    # each coefficient's range: an end on a round bound is written bare
    by = {p.name: (p.lower, p.upper) for p in get_curve_law(result.law).params}
    columns: tuple[Column, ...] = (Column("coef"), Column("value", justify="right"))
    if drawn:
        columns += (Column(interval_header(result, result.level), justify="right"),)
    rows = tuple(
        # the ends to the value's decimals (1.9120 beside 1.7449), as ``fit``'s table writes them
        tuple(
            map(cell, (name, *estimate_parts(value, *result.intervals[name], bounds=by.get(name))))
        )
        if drawn
        else (cell(name), cell(format_number(value)))
        for name, value in result.coefs.items()
    )
    return TableRows(title, columns, rows)
