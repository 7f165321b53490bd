"""What :func:`scalinglab.validate.isoflop` checks: its options before any work (the level,
resamples, tolerance and space, and the budgets given: a list, one value, or
``"6e18,1e19"``), and whether the runs lie on isoFLOP slices at all.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError, DataError, check_level
from scalinglab._pairs import drop_repeats
from scalinglab._warn import warn_at_caller
from scalinglab.data._missing_column import column_meant
from scalinglab.data._readers import read_for, xy_columns
from scalinglab.data._table import RunTable
from scalinglab.data._units import as_quantities
from scalinglab.data._where_rows import Where, as_where
from scalinglab.fit._options import check_whole

__all__ = [
    "POINTS_NOTE",
    "budget_values",
    "check_options",
    "off_slices",
    "read_isoflop_runs",
]

#: isoflop's note when it draws no resamples (``bootstrap=0``), as a backtest says it
#: (:data:`scalinglab.validate._guards.UNSCORED_NOTE`): a level given sets nothing.
POINTS_NOTE = (
    "no intervals: with no bootstrap (bootstrap=0, --bootstrap 0) each budget's optimum and "
    "the laws across budgets are points, so level (--level) has no effect"
)


def check_options(
    level: float, bootstrap: int, tolerance: object, space: str, seed: int, min_runs: int = 3
) -> None:
    """Refuse an option isoflop cannot use, naming it.

    Raises:
        ConfigError: For a level outside (0, 1), a bootstrap count or a seed that is no
            whole number ≥ 0, a tolerance that is no positive number, a space other than
            linear or log, or a ``min_runs`` under 3.
    """
    check_level(level)
    check_whole("bootstrap", bootstrap, least=0, example=200)
    check_whole("seed", seed, least=0, example=0)
    if isinstance(tolerance, bool) or not isinstance(tolerance, numbers.Real):  # "0.1"
        raise ConfigError(
            f"tolerance must be a number of decades of FLOPs, got {type(tolerance).__name__} "
            f"{tolerance!r}",
            hint="pass e.g. --tolerance 0.05 (tolerance=0.05 in Python)",
        )
    if not (math.isfinite(float(tolerance)) and float(tolerance) > 0):
        raise ConfigError(
            f"tolerance must be a positive number of decades of FLOPs, got {tolerance}",
            hint="e.g. 0.05: runs within a factor 10^0.05 ≈ 1.12 of a budget belong to it",
        )
    if space not in ("linear", "log"):
        raise ConfigError(f"space must be 'linear' or 'log', got {space!r}")
    if isinstance(min_runs, bool) or not isinstance(min_runs, int) or min_runs < 3:
        raise ConfigError(
            f"min_runs must be a whole number ≥ 3, got {min_runs!r}",
            hint="a parabola has 3 parameters: a budget needs at least 3 runs",
        )


def read_isoflop_runs(
    runs: object, *, x: object, y: object, drop_outliers: bool, where: Where | None
) -> tuple[RunTable, str]:
    """The runs and loss column of :func:`~scalinglab.validate.isoflop`, read as fit reads
    its runs (:func:`read_for`), so its ``x``, ``y``, ``drop_outliers`` and ``where`` mean
    what fit's do.

    Raises:
        ConfigError: For an ``x`` naming a symbol other than ``N``, ``D`` or ``C`` (isoFLOP
            profiles read only sizes, tokens and compute, so any other would be ignored).
        DataError: For an ``x`` naming a column the runs lack.
    """
    xs, column = xy_columns(x, y)  # "loss=val_loss" as --y takes it
    other = sorted(set(xs or {}) - {"N", "D", "C"})
    if other:
        raise ConfigError(
            f"isoflop got x={xs!r}, and {other} name no column it reads: it reads the runs' "
            "N (params), D (tokens) and C (flops)",
            hint="map only those, e.g. x={'N': 'params_no_embed'}",
        )
    table = read_for("isoflop", runs, x=xs, y=column, drop_outliers=drop_outliers,
                     where=as_where(where))  # fmt: skip
    coordinates = {"N": "params", "D": "tokens", "C": "flops"}
    for symbol, name in (xs or {}).items():
        if table.column_for(name) != coordinates[symbol]:  # fit would say so; isoflop must
            raise DataError(
                f"isoflop got x={{{symbol!r}: {name!r}}}, and no column {name!r} could be read "
                f"as {coordinates[symbol]}{column_meant(table, name)}",
                source=table.source,
                column=name,
                hint=f"name a numeric column of the runs: {', '.join(table.columns)}",
            )
    return table, column


def budget_values(
    budgets: Sequence[float | str] | float | str | None,
) -> list[float] | None:
    """The budgets given, as FLOP counts in increasing order (``None``: none given); a
    budget given twice is used once, with a :class:`UserWarning` (as ``--compute`` on
    every command).

    Raises:
        ConfigError: For a value that is no positive number.
    """
    if budgets is None:
        return None
    given: Any = budgets
    if isinstance(given, str):  # "6e18,1e19" as the command line writes it
        given = [part for part in given.split(",") if part.strip()]
    values = [float(v) for v in np.atleast_1d(as_quantities(given, "budgets")).ravel()]
    if not values or not all(math.isfinite(b) and b > 0 for b in values):
        raise ConfigError(
            f"budgets must be positive FLOP counts, got {budgets!r}",
            hint="e.g. budgets=[6e18, 1e19, 3e19] (--compute 6e18,1e19,3e19)",
        )
    kept, repeated = drop_repeats(values, who="budgets")
    if repeated:
        warn_at_caller(repeated, UserWarning)
    return sorted(kept)


def off_slices(used: int, runs: int, budgets: int, *, found: bool, cut: int = 0) -> str | None:
    """A warning when the budgets the exponent rests on hold under half the runs the window
    kept, or ``None``.

    Runs at scattered ``(N, D)`` are not isoFLOP slices: the few that happen to share a
    compute form chance budgets, and a line through their vertices says little, however
    exact it looks.

    Args:
        used: Runs in the budgets used.
        runs: All the runs read.
        budgets: Budgets used.
        found: Whether the budgets were found in the data (not given).
        cut: Runs ``--window`` left out: chosen, so not counted against the slices, but
            said, so that the count is of the runs read.
    """
    if 2 * used >= runs - cut:
        return None
    why = (
        "the runs do not lie on isoFLOP slices (several model sizes at each of a few compute "
        "budgets), and budgets found among scattered runs are chance groupings"
        if found
        else "most runs lie off the budgets given, in budgets of too few runs, or in flagged ones"
    )
    windowed = f"; the window (--window, window=) left {cut} of them out" if cut else ""
    return (
        f"the exponent rests on {used} of the {runs} runs read ({budgets} budgets used"
        f"{windowed}): {why}; to use every run, fit a law to them (scalinglab fit; "
        "scalinglab.fit)"
    )
