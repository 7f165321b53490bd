"""What :func:`~scalinglab.report.write_report` reads, checked before any figure is drawn.

The runs must be the ones the fit was fitted to: the report draws the fit's residuals beside
the runs' values, so another table of the same length would give a page that looks right and
is wrong, and one of another length a matplotlib error. The runs may be a path or a DataFrame
(read as :func:`scalinglab.read_runs` reads them, as every other entry point takes them), and
the budgets numbers or strings with units (``"1e21"``, ``"5.76e23"``, ``[1e21, "1e23"]``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_g, join_first
from scalinglab.data._compare import compared, condition_said

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["report_budgets", "report_runs"]

#: Relative tolerance of a run's residual recomputed from the runs given (the law in double
#: precision at the same values reproduces it to rounding).
_RTOL = 1e-6


def _hint(result: FitResult, *, y: str) -> str:
    """What to pass instead: the runs read as the fit read them (its loss column ``y=``,
    its recorded ``where``, its outliers dropped or not)."""
    where = dict(result.where or {})  # None: a file from before it was recorded
    said = (
        f"a path or DataFrame is narrowed by the fit's where {where!r}; a table is taken "
        "as given, so narrow it as the fit's was: runs."
        + ".".join(  # a comparison as where('params>=2e7'), as it was written
            f"where({condition_said(c, v)!r})" if compared(c, v) else f"where({c!r}, {v!r})"
            for c, v in where.items()
        )
        if where
        else "the fit records no where: a path or DataFrame is taken whole, so pass the "
        "table it was fitted to where it was narrowed (read_runs(...).where(COLUMN, VALUE))"
    )
    return (
        f"pass the runs the fit was fitted to, read with the same options: y= the column "
        f"it fitted as the loss (y={y!r} here); {said}; read_runs(path, drop_outliers=True) "
        "when the fit dropped outliers"
    )


def report_budgets(budgets: Sequence[float | str] | float | str | None) -> tuple[float, ...]:
    """The planning table's budgets as FLOP counts, in increasing order: numbers or strings
    with units (``"1e21"``, ``"5.76e23"``, ``"1e21,1e23"`` as ``--compute`` writes them);
    none for ``None`` or none (the page takes the runs' default:
    :func:`~scalinglab.plan._budgets.budgets_for`); one given twice is used once, with a
    warning.

    Raises:
        ConfigError: A budget that is no positive number.
    """
    from scalinglab.validate._isoflop_checks import budget_values

    if budgets is None or (not isinstance(budgets, str) and np.size(np.asarray(budgets)) == 0):
        return ()
    return tuple(budget_values(budgets) or ())


def report_runs(result: FitResult, runs: Any, *, y: str) -> RunTable:
    """``runs`` as the :class:`RunTable` ``result`` was fitted to: a table as it is, a path
    or DataFrame read as :func:`scalinglab.read_runs` reads it (the columns the fit names
    read as the fit read them, ``y`` as the loss) and narrowed by the fit's recorded
    ``where`` (:attr:`FitResult.where`; none where not recorded), each checked to hold the
    fitted runs, in order, with the values the fit's residuals were computed from.

    Raises:
        ConfigError: Runs other than the fitted ones (other names, another count or order),
            or the fitted names with other values (the law at the fitted coefficients does
            not give the fit's residuals); the message says which.
        DataError: A path or DataFrame that cannot be read, or without the loss column
            (the hint names ``y=``) or a column the fit read (the hint names
            ``read_runs(columns=)``: ``write_report`` maps no columns of its own).
    """
    from scalinglab.data import RunTable
    from scalinglab.data._readers import to_table

    if isinstance(runs, RunTable):
        table = runs
    else:  # as the fit read them: its recorded where (None: a file before it, none)
        where = tuple((result.where or {}).items())
        table = to_table(
            runs,
            x=dict(result.columns),
            y=y,
            where=where,
            loss_option="y=COLUMN, the column the fit fitted as the loss",
        )
    _check_columns(result, table)
    _check_names(result, table, y=y)
    _check_values(result, table, y=y)
    return table


def _check_columns(result: FitResult, table: RunTable) -> None:
    """Refuse runs without a column the fit read: a file whose size column the fitted
    table was read with ``columns={'params': 'model'}``, say. The table's own hint would
    name ``--map``, and ``write_report`` takes no ``columns=``: the runs are read first."""
    for symbol, column in result.columns.items():
        if table.column_for(column) is not None:
            continue
        raise DataError(
            f"write_report: the runs have no numeric column {column!r}, which the fit read "
            f"as {symbol} (numeric columns: {', '.join(table.columns) or 'none'})",
            source=table.source,
            hint=f"read the runs as the fit's were read and pass that table: "
            f"read_runs(path, columns={{{column!r}: COLUMN}})",
        )


def _check_names(result: FitResult, table: RunTable, *, y: str) -> None:
    """Refuse a table whose run names are not the fit's, in the fit's order."""
    if table.runs == result.runs:
        return
    fitted, given = set(result.runs), set(table.runs)
    missing = [r for r in result.runs if r not in given]
    extra = [r for r in table.runs if r not in fitted]
    said = [
        *([f"{len(missing)} fitted not given ({join_first(missing, 3)})"] * bool(missing)),
        *([f"{len(extra)} given not fitted ({join_first(extra, 3)})"] * bool(extra)),
    ]
    raise ConfigError(
        f"write_report: runs are not the runs the fit was fitted to: {len(table)} given, "
        f"{len(result.runs)} fitted; " + ("; ".join(said) or "the same runs in another order"),
        hint=_hint(result, y=y),
    )


def _check_values(result: FitResult, table: RunTable, *, y: str) -> None:
    """Refuse a table with the fitted names whose values do not give the fit's residuals
    (another file whose runs are named by row, say)."""
    law, columns = result.law, result.columns
    data = {s: np.asarray(table[c], dtype=np.float64) for s, c in columns.items()}
    loss = np.asarray(table[y], dtype=np.float64)
    with np.errstate(all="ignore"):
        fitted = np.asarray(law(dict(result.coefs), **data), dtype=np.float64)
        again = np.log(fitted) - np.log(loss) if result.space == "log" else fitted - loss
    residuals = np.asarray(result.residuals, dtype=np.float64)
    if again.shape != residuals.shape:
        return  # a law that reads columns beyond its symbols: the names were checked
    both = np.isfinite(again) & np.isfinite(residuals)
    scale = np.abs(loss) if result.space == "linear" else 1.0
    off = both & ~np.isclose(again, residuals, rtol=_RTOL, atol=_RTOL * np.asarray(scale))
    if not off.any():
        return
    first = int(np.flatnonzero(off)[0])
    raise ConfigError(
        f"write_report: runs have the fitted run names but not the fitted values: at "
        f"{int(off.sum())} of {len(table)} runs the law at the fitted coefficients misses "
        f"{y} by other than the fit's residual (first: run {table.runs[first]!r}, {y} "
        f"{format_g(loss[first])}, residual {format_g(again[first], 4)} against the fit's "
        f"{format_g(residuals[first], 4)})",
        hint=_hint(result, y=y),
    )
