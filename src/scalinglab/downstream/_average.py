"""The average accuracy over a set of tasks (:attr:`DownstreamFit.average`, "average (N tasks)").

Two ways to predict it (``average_law``):

- ``"mean"`` (the default): the mean of the member tasks' own chained predictions, taken
  per resample and per noise draw, so that its interval carries the members' shared loss
  law and their separate task laws. This is what "the average of these tasks" means to a
  reader: it always lies between the members' predictions. Every member must be predictable.
- ``"exp-error"``: Gadre et al. 2024 (arXiv:2403.08540, eq. 5) fit the *average* top-1
  error directly, ``Err = ε − k·exp(−γ·L)``: the average is far less noisy than any one
  task, it can include tasks near chance at small scales (``average_of``: Gadre et al.'s
  17 tasks), and within the fitted losses it backtests better (README, `downstream
  backtest`). But its law has no ceiling below 100% that its members' laws share: read far
  past the fitted losses it outruns every member (7B, 2T tokens on the c4 models: 0.965
  against members of 0.645–0.850), so a prediction outside the interval of the mean of its
  members' predictions says so (:attr:`TaskPrediction.warnings`).

Either way the average has its own backtest on the fitted sizes through the same first link.
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

__all__ = [
    "AVERAGE", "AVERAGE_LAW", "AVERAGE_LAWS", "average_accuracy", "backtest_average",
    "fit_average",
]  # fmt: skip

#: The name of the average target among a chain's predictions.
AVERAGE = "average"
#: The law fitted to it as one target: Gadre et al.'s exponential law of the average error.
AVERAGE_LAW = "exp-error"
#: How it is predicted: the mean of the members' predictions, or its own law.
AVERAGE_LAWS = ("mean", AVERAGE_LAW)


def average_accuracy(evals: Evals, members: Sequence[str]) -> Array:
    """Every run's mean accuracy over ``members`` (NaN where a member was not evaluated)."""
    return np.asarray(np.mean([evals.accuracy(t) for t in members], axis=0), dtype=np.float64)


def fit_average(
    evals: Evals,
    fits: Mapping[str, TaskFit],
    weights: Array | None,
    margin: float,
    *,
    need: int,
    members: Sequence[str] | None = None,
    law: str = "mean",
) -> TaskFit | None:
    """The average over ``members`` (default: the predictable tasks of ``fits``).

    With ``law="mean"`` nothing is fitted (``step`` is ``None``): the chain averages its
    members' predictions, so each member must be a predictable task of ``fits``, else the
    average is refused with the reason. With ``"exp-error"`` its own law is fitted against
    the runs' loss, and named ``members`` are averaged whether or not each one is
    predictable by itself (as Gadre et al. average a set of tasks fixed in advance).

    ``None`` with fewer than two members, or when a task is itself named ``"average"``. Its
    chance level is the members' mean (NaN if any is unknown; no law uses it), its
    evaluation noise that of the mean of independent evaluations, at the models the
    backtest holds out with ``need`` models below (:func:`largest_size_noise`).
    """
    if members is None:
        members = tuple(n for n, f in fits.items() if f.predictable)
    members = tuple(dict.fromkeys(evals.task(t) for t in members))
    if len(members) < 2 or AVERAGE in evals.tasks:
        return None
    chance = float(np.mean([evals.chance.get(t, math.nan) for t in members]))
    sds = np.array([_eval_noise(evals, fits, t, need=need) for t in members])
    noise = float(np.sqrt(np.sum(sds**2)) / len(members))
    if law == "mean":
        return TaskFit(
            AVERAGE, chance, None, _unpredictable(fits, members), members=members,
            eval_noise=noise,
        )  # fmt: skip
    acc = average_accuracy(evals, members)
    fitted = fit_scores(AVERAGE, acc, chance, evals.runs["loss"], AVERAGE_LAW, weights, margin)
    return replace(fitted, members=members, eval_noise=noise)


def _unpredictable(fits: Mapping[str, TaskFit], members: Sequence[str]) -> str:
    """Why the mean of ``members``' predictions cannot be taken, or ``""``."""
    for t in members:
        if t not in fits or not fits[t].predictable:
            why = "not one of the chain's tasks" if t not in fits else fits[t].reason
            return (
                f"the mean of its tasks' predictions needs each to be predictable, and {t} is "
                f"not ({why}); --average-law exp-error (average_law='exp-error') fits their "
                "mean accuracy as one target"
            )
    return ""


def _eval_noise(evals: Evals, fits: Mapping[str, TaskFit], task: str, *, need: int) -> float:
    """A member's evaluation noise per model at the largest fitted size (its fit's, else
    computed as the fit computes it)."""
    if task in fits:
        return fits[task].eval_noise
    return largest_size_noise(evals, task, need=need)


def backtest_average(
    evals: Evals, average: TaskFit, screen: SizeBacktest, *, margin: float, max_error: float
) -> TaskFit:
    """``average`` with its backtest on the fitted sizes: the mean of its members' misses
    there (``"mean"``), or its law fitted on the models below the held-out size, read at the
    loss the chain fitted below predicts for the held-out models (:attr:`SizeBacktest.loss`);
    refused, as a task is, when it misses them by more than ``max_error`` (seen through its
    evaluation noise)."""
    if screen.held is None or screen.loss is None or not average.predictable:
        return average
    if average.step is None:  # the mean of the members' predictions: the mean of their misses
        signed = np.mean([screen.misses[t] for t in average.members], axis=0)
        return _judged(average, np.abs(signed), max_error)
    held = screen.held
    acc = average_accuracy(evals, average.members)
    below = fit_scores(
        AVERAGE, acc[~held], average.chance, evals.runs["loss"][~held], AVERAGE_LAW, None, margin
    )
    if not below.predictable or below.step is None:
        return replace(average, reason=f"no backtest on the fitted sizes: {below.reason}")
    step = below.step
    pred = as_accuracy(step, step.evaluate(step.theta, {"L": screen.loss}))
    return _judged(average, np.abs(pred - acc[held]), max_error)


def _judged(average: TaskFit, miss: Array, max_error: float) -> TaskFit:
    """``average`` with its mean ``miss`` on the held-out models, refused past ``max_error``."""
    error = float(np.nanmean(miss)) if np.isfinite(miss).any() else math.nan
    limit = noisy_threshold(max_error, average.eval_noise)
    reason = ""
    if not error <= limit:
        reason = (
            f"the backtest on the fitted sizes misses the held-out models by {100 * error:.1f} "
            f"points on average (> {100 * limit:.1f})"
        )
    return replace(average, backtest_error=error, reason=reason)
