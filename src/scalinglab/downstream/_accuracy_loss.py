"""Accuracy -> loss: the loss at which a task's law (or the mean of an average's tasks' laws)
reaches a target accuracy, for :func:`scalinglab.downstream.plan_for_accuracy`.

One law is inverted in closed form; a mean of laws by bisection (each law falls with the
loss, so their mean does).
"""

from __future__ import annotations

import numpy as np

from scalinglab.downstream._step import Step
from scalinglab.fit._objective import Array

__all__ = ["accuracy_range", "loss_for"]

_FAR_LOSS = 1e3  # a loss past every law's floor: accuracy at "infinite" loss


def accuracy_range(step: Step, theta: Array) -> tuple[Array, Array]:
    """Accuracy at infinite (1e3) and at zero loss of each row."""
    ends = [_accuracy(step, theta, np.full(len(theta), v)) for v in (_FAR_LOSS, 0.0)]
    a_inf, a_zero = ends
    return np.minimum(a_inf, a_zero), np.maximum(a_inf, a_zero)


def loss_for(steps: list[Step], thetas: list[Array], target: float) -> Array:
    """The loss at which the mean of the laws ``steps`` (at the rows ``thetas``, one array
    per law) reaches ``target``, by row (NaN where it never does): closed form for one law,
    else bisection between losses 0 and 1e3 to 1e-12."""
    if len(steps) == 1:
        return _inverse(steps[0], thetas[0], target)
    lo, hi = np.zeros(len(thetas[0])), np.full(len(thetas[0]), _FAR_LOSS)

    def mean(loss: Array) -> Array:
        return np.asarray(
            np.mean([_accuracy(s, t, loss) for s, t in zip(steps, thetas, strict=True)], axis=0)
        )

    reached = (mean(lo) >= target) & (mean(hi) <= target)
    for _ in range(50):  # 1e3 / 2**50 ~ 1e-12
        mid = 0.5 * (lo + hi)
        above = mean(mid) >= target  # accuracy falls with loss: the root lies past mid
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    return np.where(reached, 0.5 * (lo + hi), np.nan)


def _accuracy(step: Step, theta: Array, loss: Array) -> Array:
    """Each row's law's accuracy at that row's ``loss``."""
    with np.errstate(over="ignore", invalid="ignore"):
        values = step.law.rows(theta, loss[:, None])[:, 0]  # type: ignore[attr-defined]
    return np.asarray(1 - values if getattr(step.law, "target", "") == "error" else values)


def _inverse(step: Step, theta: Array, target: float) -> Array:
    """The loss at which each row's law reaches ``target`` (NaN where it never does)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        if getattr(step.law, "target", "") == "error":  # Err = eps - k exp(-gamma L)
            eps, k, gamma = theta[:, 0], theta[:, 1], theta[:, 2]
            return np.asarray(-np.log((eps - (1 - target)) / k) / gamma)
        a, k, l0 = theta[:, 0], theta[:, 1], theta[:, 2]
        b = theta[:, 3] if theta.shape[1] > 3 else step.law.chance  # type: ignore[attr-defined]
        return np.asarray(l0 - np.log(a / (target - b) - 1) / k)
