"""Which tasks extrapolate, judged on the fitted runs alone: a backtest on the fitted sizes.

The models of the largest fitted size are held out, the chain (the same loss law, each
task's law) is fitted without a bootstrap on the smaller ones, and every task's accuracy at
the held-out size is predicted. A task whose prediction there misses by more than
``max_error`` on average, or that cannot be fitted below the largest size (it leaves
chance only there), is "not predictable from these runs", with the figure. The decision
uses the runs being fitted, never the models a user goes on to predict.

On the over-trained models of Gadre et al. 2024 (fit on <= 154M, predict 411.6M; see
``benchmarks/downstream_accuracy.py``) the tasks this refuses are the ones that miss the
held-out size by 3.3-8.4 points, while those it keeps miss by 1.9-3.4.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scalinglab.downstream._evals import Evals

__all__ = ["DEFAULT_MAX_ERROR", "SizeBacktest", "backtest_sizes"]

#: Tasks whose backtest on the fitted sizes misses by more than this (accuracy, 3 points)
#: are not predictable from these runs.
DEFAULT_MAX_ERROR = 0.03


@dataclass(frozen=True)
class SizeBacktest:
    """The backtest on the fitted sizes.

    Attributes:
        held_out: Parameters of the held-out size (NaN when no backtest could be made).
        n_held_out: Models held out.
        errors: Task -> mean absolute error at the held-out size (NaN: not fitted below it).
        reasons: Task -> why the task is not predictable from these runs, or ``""``.
        note: What was done, or why no backtest could be made.
    """

    held_out: float
    n_held_out: int
    errors: Mapping[str, float]
    reasons: Mapping[str, str]
    note: str


def backtest_sizes(
    evals: Evals,
    tasks: Sequence[str],
    *,
    fit: Callable[[Evals], object],
    need: int,
    max_error: float,
) -> SizeBacktest:
    """Hold out the largest fitted size, fit the chain below it, score every task there.

    Args:
        evals: The runs being fitted.
        tasks: The tasks to judge.
        fit: Fits the chain without a bootstrap on a subset of ``evals`` (a
            :class:`~scalinglab.downstream.DownstreamFit`).
        need: Fewest models the chain needs.
        max_error: Largest mean absolute error (accuracy units) of a predictable task.
    """
    params = np.asarray(evals.runs["params"], dtype=np.float64)
    largest = float(np.max(params))
    below = params < largest * (1 - 1e-9)
    held = ~below
    if len(np.unique(params[below])) < 2 or int(below.sum()) < need:
        return SizeBacktest(
            math.nan,
            0,
            dict.fromkeys(tasks, math.nan),
            dict.fromkeys(tasks, ""),
            f"no backtest on the fitted sizes: below the largest ({_size(largest)} "
            f"parameters) there are {int(below.sum())} models at "
            f"{len(np.unique(params[below]))} size(s); {need} models at 2+ sizes are needed",
        )
    chain = fit(evals.select(below))
    size = _size(largest)
    errors: dict[str, float] = {}
    reasons: dict[str, str] = {}
    got: dict[str, list[float]] = {t: [] for t in tasks}
    for i in np.flatnonzero(held):
        preds = chain.predict(  # type: ignore[attr-defined]
            params=float(params[i]), tokens=float(evals.runs["tokens"][i])
        )
        for t in tasks:
            got[t].append(preds[t].accuracy - float(evals.accuracy(t)[i]))
    for t in tasks:
        inner = chain.tasks[t]  # type: ignore[attr-defined]
        miss = np.abs(np.array(got[t], dtype=np.float64))
        if not inner.predictable:
            errors[t] = math.nan
            reasons[t] = f"no backtest on the fitted sizes: below {size} parameters, {inner.reason}"
            continue
        errors[t] = float(np.nanmean(miss)) if np.isfinite(miss).any() else math.nan
        if not errors[t] <= max_error:
            reasons[t] = (
                f"the backtest on the fitted sizes misses the {size} models by "
                f"{100 * errors[t]:.1f} points on average (> {100 * max_error:g})"
            )
        else:
            reasons[t] = ""
    return SizeBacktest(
        largest,
        int(held.sum()),
        errors,
        reasons,
        f"backtest on the fitted sizes: {int(below.sum())} models below {size} parameters "
        f"fitted, the {int(held.sum())} at {size} predicted",
    )


def _size(n: float) -> str:
    """A parameter count as people write it: ``411.6M``, ``6.9B``."""
    return f"{n / 1e9:.3g}B" if n >= 1e9 else f"{n / 1e6:.4g}M"
