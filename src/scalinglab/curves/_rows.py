"""The coefficient table ``scalinglab curves fit`` prints, built once: the command draws it
with Rich (:mod:`scalinglab.cli._cmd_curves`), a notebook as HTML
(:mod:`scalinglab.curves._html_view`): the same title and cells."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from scalinglab._cells import estimate_ends
from scalinglab._errors import ConfigError
from scalinglab._table_rows import Column, TableRows, cell
from scalinglab.curves._caveats import interval_header
from scalinglab.curves._registry import get_curve_law

if TYPE_CHECKING:
    from scalinglab.curves._result import CurveFit

__all__ = ["coef_cells", "coef_table", "fit_title"]


def fit_title(result: CurveFit, n_curves: int) -> str:
    """``multipower fitted to 3 curves (converged)``."""
    curves = "curve" if n_curves == 1 else "curves"
    return f"{result.law} fitted to {n_curves} {curves} ({result.status})"


def coef_cells(result: CurveFit, name: str) -> tuple[str, str, str]:
    """Coefficient ``name``'s value and its interval's two ends as ``curves fit``'s table,
    its notebook view and the report's curves page write them (the ends to the value's
    decimals, 1.9120 beside 1.7449, one on a round bound of its range bare:
    :func:`~scalinglab._cells.estimate_ends`); the ends ``""`` where it has no interval."""
    bounds = _range(result.law, name)
    lower, upper = result.intervals.get(name, (math.nan, math.nan))
    return estimate_ends(result.coefs[name], lower, upper, bounds=bounds)


def _range(law: str, name: str) -> tuple[float, float] | None:
    """Coefficient ``name``'s range in curve law ``law``; ``None`` where the law is not one
    this version knows (a view shows a fit whatever wrote it) or has no such coefficient."""
    try:
        params = get_curve_law(law).params
    except ConfigError:
        return None
    param = next((p for p in params if p.name == name), None)
    return None if param is None else (param.lower, param.upper)


def coef_table(result: CurveFit, *, title: str) -> TableRows:
    """Each coefficient and its value, with the bootstrap interval where there are
    resamples (no bootstrap: two columns, as ``fit`` shows it)."""
    drawn = result.samples is not None
    columns: tuple[Column, ...] = (Column("coef"), Column("value", justify="right"))
    if drawn:
        columns += (Column(interval_header(result, result.level), justify="right"),)
    rows = []
    for name in result.coefs:
        shown, lower, upper = coef_cells(result, name)
        band = (cell(f"[{lower}, {upper}]" if lower else ""),) if drawn else ()
        rows.append((cell(name), cell(shown), *band))
    return TableRows(title, columns, tuple(rows))
