"""One method's score on one held-out cell of a hyperparameter backtest:
:class:`HparamBacktestCell`, named as a loss backtest's rows are (``Backtest`` ->
``BacktestRun``, one held-out run; ``HparamBacktest`` -> ``HparamBacktestCell``, one held-out
cell); ``HeldOutScore``, its old name, is read for one release with a DeprecationWarning."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scalinglab._errors import ConfigError

__all__ = ["HparamBacktestCell", "check_method", "median_finite", "method_summary"]


def check_method(method: object, methods: tuple[str, ...]) -> None:
    """Refuse a ``method`` no score has (``summary("nope")``), naming those there are,
    rather than NumPy's error from the median of no scores."""
    if method not in methods:
        raise ConfigError(
            f"no method {method!r} in this backtest; its methods are {', '.join(methods)}",
            hint="summarise one of them, e.g. summary('scalinglab')",
        )


@dataclass(frozen=True)
class HparamBacktestCell:
    """One method's prediction for one held-out cell (a row of
    :attr:`HparamBacktest.held_out`, as :class:`~scalinglab.validate.BacktestRun` is one of a
    loss backtest's; ``HeldOutScore`` is its old name, deprecated).

    Attributes:
        method: ``"scalinglab"``, ``"naive"`` or a preset name.
        cell: The cell's label (``N=537M D=10B``).
        params, tokens: The cell.
        lr, batch: The predicted optimum (batch in the sweep's unit).
        lr_ratio, batch_ratio: Predicted over located optimum (``batch_ratio`` ``nan`` where
            the method predicted no batch: scored at the located one, on lr only).
        regret: Relative loss regret on the cell's surface (0.001 = 0.1%).
        beyond_grid: The prediction lies outside the cell's grid of runs: the surface
            extrapolates past every run, and ``grid_regret`` is ``nan``.
        grid_regret: The same regret read off the cell's runs themselves, independent of
            any surface: the runs' loss interpolated linearly (over log lr, log batch) at
            the prediction, over the best run's, minus one; ``nan`` where it cannot be
            read, ``grid_note`` saying why.
        grid_note: Why ``grid_regret`` is ``nan`` (outside the grid, or next to a grid
            point never run, named); ``""`` when it was read.
        beyond_window: The prediction lies more than 4x in lr or batch from the cell's
            surface centre, beyond the runs the surface was fitted on (it extrapolates).
    """

    method: str
    cell: str
    params: float
    tokens: float
    lr: float
    batch: float
    lr_ratio: float
    batch_ratio: float
    regret: float
    beyond_grid: bool
    grid_regret: float = math.nan
    grid_note: str = ""
    beyond_window: bool = False


def median_finite(values: Sequence[float]) -> float:
    """The median of the finite ``values`` (``nan`` for none: no method's batch scored)."""
    finite = [v for v in values if math.isfinite(v)]
    return float(np.median(finite)) if finite else math.nan


def method_summary(
    held_out: Sequence[HparamBacktestCell], method: str, methods: tuple[str, ...]
) -> dict[str, float]:
    """:meth:`HparamBacktest.summary` of ``method``, over the cells ``held_out``."""
    from scalinglab.hparams._grid_notes import common_cells
    from scalinglab.hparams._old_names import with_old_keys

    check_method(method, methods)
    rows = [s for s in held_out if s.method == method]
    reg = np.array([s.regret for s in rows])
    common = set(common_cells(held_out))
    grid = [s.grid_regret for s in rows if s.cell in common]
    said = {  # max_*: the largest, as a loss backtest's max_are
        "median_regret": float(np.median(reg)),
        "max_regret": float(np.max(reg)),
        "median_grid_regret": float(np.median(grid)) if grid else math.nan,
        "max_grid_regret": float(np.max(grid)) if grid else math.nan,
        "grid_cells": len(grid),
        "median_lr_ratio": float(np.median([s.lr_ratio for s in rows])),
        "median_batch_ratio": median_finite([s.batch_ratio for s in rows]),
        "cells": len(rows),
    }
    return with_old_keys(said)
