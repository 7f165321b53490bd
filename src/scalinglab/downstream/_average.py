"""The average accuracy over the predictable tasks as a target of its own (Gadre et al. 2024).

Gadre et al. 2024 (arXiv:2403.08540, eq. 5) predict the *average* top-1 error over a set of
tasks directly from the loss, ``Err = ε − k·exp(−γ·L)``, instead of averaging one prediction
per task: the average is far less noisy than any one task (its evaluation noise is that of
all the tasks' examples together), and one law of it does not add up the tasks' separate
extrapolation errors. A chain fits it as one more task, on the same bootstrap weights, over
the tasks it calls predictable or over a set named in advance (``average_of``: the issue's
"tasks the target models do >= 5 points above chance", Gadre et al.'s 17 tasks)
(:attr:`DownstreamFit.average`, the row "average (N tasks)"), with its own backtest on the
fitted sizes through the same first link.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from scalinglab.downstream._evals import Evals
from scalinglab.downstream._noise import noisy_threshold
from scalinglab.downstream._screen import SizeBacktest
from scalinglab.downstream._task import TaskFit, as_accuracy, fit_scores, largest_size_noise
from scalinglab.fit._objective import Array

__all__ = ["AVERAGE", "AVERAGE_LAW", "average_accuracy", "backtest_average", "fit_average"]

#: The name of the average target among a chain's predictions.
AVERAGE = "average"
#: Its law: Gadre et al.'s exponential law of the average top-1 error.
AVERAGE_LAW = "exp-error"


def average_accuracy(evals: Evals, members: Sequence[str]) -> Array:
    """Every run's mean accuracy over ``members`` (NaN where a member was not evaluated)."""
    return np.asarray(np.mean([evals.accuracy(t) for t in members], axis=0), dtype=np.float64)


def fit_average(
    evals: Evals,
    fits: Mapping[str, TaskFit],
    weights: Array | None,
    margin: float,
    *,
    members: Sequence[str] | None = None,
) -> TaskFit | None:
    """The average over ``members`` (default: the predictable tasks of ``fits``), fitted
    against the runs' loss.

    Named ``members`` are averaged whether or not each one is predictable by itself (as
    Gadre et al. average a set of tasks fixed in advance, some near chance at small
    scales): the average carries far less noise than its members.

    ``None`` with fewer than two members, or when a task is itself named ``"average"``. Its
    chance level is the members' mean (NaN if any is unknown; the law does not use it), its
    evaluation noise that of the mean of independent evaluations.
    """
    if members is None:
        members = tuple(n for n, f in fits.items() if f.predictable)
    members = tuple(dict.fromkeys(evals.task(t) for t in members))
    if len(members) < 2 or AVERAGE in evals.tasks:
        return None
    acc = average_accuracy(evals, members)
    chance = float(np.mean([evals.chance.get(t, math.nan) for t in members]))
    fitted = fit_scores(AVERAGE, acc, chance, evals.runs["loss"], AVERAGE_LAW, weights, margin)
    sds = np.array([_eval_noise(evals, fits, t) for t in members])
    noise = float(np.sqrt(np.sum(sds**2)) / len(members))
    return replace(fitted, members=members, eval_noise=noise)


def _eval_noise(evals: Evals, fits: Mapping[str, TaskFit], task: str) -> float:
    """A member's evaluation noise per model at the largest fitted size (its fit's, else
    computed as the fit computes it)."""
    return fits[task].eval_noise if task in fits else largest_size_noise(evals, task)


def backtest_average(
    evals: Evals, average: TaskFit, screen: SizeBacktest, *, margin: float, max_error: float
) -> TaskFit:
    """``average`` with its backtest on the fitted sizes: its law fitted on the models below
    the held-out size, read at the loss the chain fitted below predicts for the held-out
    models (:attr:`SizeBacktest.loss`); refused, as a task is, when it misses them by more
    than ``max_error`` (seen through its evaluation noise)."""
    if screen.held is None or screen.loss is None or not average.predictable:
        return average
    held = screen.held
    acc = average_accuracy(evals, average.members)
    below = fit_scores(
        AVERAGE, acc[~held], average.chance, evals.runs["loss"][~held], AVERAGE_LAW, None, margin
    )
    if not below.predictable or below.step is None:
        return replace(average, reason=f"no backtest on the fitted sizes: {below.reason}")
    step = below.step
    pred = as_accuracy(step, step.evaluate(step.theta, {"L": screen.loss}))
    miss = np.abs(pred - acc[held])
    error = float(np.nanmean(miss)) if np.isfinite(miss).any() else math.nan
    limit = noisy_threshold(max_error, average.eval_noise)
    reason = ""
    if not error <= limit:
        reason = (
            f"the backtest on the fitted sizes misses the held-out models by {100 * error:.1f} "
            f"points on average (> {100 * limit:.1f})"
        )
    return replace(average, backtest_error=error, reason=reason)
