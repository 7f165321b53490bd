"""Compute for a benchmark score: invert the chain, accuracy -> loss -> the cheapest (N, D).

For resample r of the chain (the same resampled models for both steps): the task's law r
gives the loss at which the *expected* accuracy reaches the target (for an average taken as the
mean of its tasks' predictions, the loss at which the mean of their laws r does, by bisection:
each law falls with the loss, so their mean does); the loss law r gives, at
each compute budget, the lowest loss any split of C = 6·N·D reaches (a search over tokens
per parameter from 1 to 10,000); the first budget whose lowest loss is at or below the target
loss is the compute needed, with its N and D. Percentiles over resamples are the interval.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from scalinglab._errors import ConfigError, check_level
from scalinglab.downstream._average import AVERAGE
from scalinglab.downstream._chain import DownstreamFit
from scalinglab.downstream._refit import Step, scale_inputs
from scalinglab.fit._objective import Array

__all__ = ["AccuracyPlan", "plan_for_accuracy"]

_LOG10_C = np.arange(15.0, 29.0 + 1e-9, 0.05)  # budgets 1e15 ... 1e29 FLOPs
_RATIO = np.logspace(0.0, 4.0, 61)  # tokens per parameter, 1 ... 10,000
_FAR_LOSS = 1e3  # a loss past every law's floor: accuracy at "infinite" loss


@dataclass(frozen=True)
class AccuracyPlan:
    """The compute, size and tokens at which a task's expected accuracy reaches a target.

    Each quantity is ``(value, lower, upper)``: the best fit's, and the percentile interval
    over the chain's resamples at ``level`` (NaN bounds without a bootstrap). A resample that
    never reaches the target below 1e29 FLOPs counts as infinite compute. ``note`` says
    why there is no number, when the best fit's loss law never reaches the loss needed.
    ``distance`` is how far the best fit's (N, D) lies outside the chain's fitted models, in
    decades (:meth:`DownstreamFit.distance`; 0 inside, NaN when not known or not reached).

    The intervals are the laws' parameter error alone (for the expected accuracy, the
    laws' mean): they leave out one model's run-to-run noise in loss and accuracy and the
    loss law's extrapolation error, which :meth:`DownstreamFit.predict` holds, so they are
    narrower than a target loss's plan (``scalinglab plan --target-loss``, which inverts
    the prediction band) at the same loss; :attr:`interval_note` says so.
    """

    task: str
    target: float
    level: float
    loss: tuple[float, float, float]
    flops: tuple[float, float, float]
    params: tuple[float, float, float]
    tokens: tuple[float, float, float]
    note: str = ""
    distance: float = math.nan

    @property
    def interval_note(self) -> str:
        """What the intervals leave out, in words (``""`` without intervals)."""
        if math.isnan(self.flops[1]):
            return ""
        return (
            "over the chain's resamples, for the expected accuracy (the laws' mean): the laws' "
            "parameter error only, not one model's run-to-run noise nor the loss law's "
            "extrapolation error, so narrower than plan --target-loss at the same loss (which "
            "inverts one run's prediction band); downstream predict at the planned size gives "
            "one model's interval"
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, in the keys of a loss plan's allocation: ``params``, ``params_lower``...,
        and what the loss and compute intervals are, as a loss plan says it: ``"parameters"``
        (over the resamples, for the expected accuracy: no run-to-run noise nor extrapolation
        error), ``"none"`` without a bootstrap; ``interval_note`` says that in words."""
        out: dict[str, object] = {"task": self.task, "target": self.target, "level": self.level}
        for name in ("loss", "flops", "params", "tokens"):
            value, lower, upper = getattr(self, name)
            out |= {name: value, f"{name}_lower": lower, f"{name}_upper": upper}
        kind = "none" if math.isnan(self.flops[1]) else "parameters"
        # the keys of a loss plan's distance, notes and interval kinds
        return out | {
            "distance": self.distance,
            "notes": self.note,
            "loss_interval_kind": kind,
            "flops_interval_kind": kind,
            "interval_note": self.interval_note,
        }


def plan_for_accuracy(
    chain: DownstreamFit, task: str, target: float, *, level: float | None = None
) -> AccuracyPlan:
    """The compute-optimal (N, D) at which ``task`` is expected to reach ``target`` accuracy.

    Raises:
        ConfigError: An unknown or unpredictable task, or a target outside what its law
            reaches (between chance and its ceiling; one in percent says so).
    """
    level = check_level(chain.level if level is None else level)
    targets = dict(chain.tasks) | ({} if chain.average is None else {AVERAGE: chain.average})
    if task not in targets:
        raise ConfigError(f"unknown task {task!r}", hint="the tasks are " + ", ".join(targets))
    fitted = targets[task]
    if not fitted.predictable:
        raise ConfigError(f"task {task!r} is not predictable from these runs: {fitted.reason}")
    if 1 < target <= 100:  # an accuracy in percent, as benchmark tables print them
        raise ConfigError(
            f"target accuracy {target:g} for {task!r} is above 1: accuracies are fractions",
            hint=f"did you mean {target / 100:g}? (--target-accuracy {task}={target / 100:g})",
        )
    # the laws whose mean is the target: the task's own, or an average's tasks'
    steps = (
        [fitted.step] if fitted.step is not None else [chain.tasks[t].step for t in fitted.members]
    )
    laws = [s for s in steps if s is not None]
    ranges = [_range(s, s.theta[None, :]) for s in laws]
    floor, ceiling = (float(np.mean([r[k][0] for r in ranges])) for k in (0, 1))
    if not floor < target < min(ceiling, 1.0):  # past 100%: a law past its domain
        raise ConfigError(
            f"target accuracy {target:g} for {task!r} is outside what its law reaches "
            f"({max(floor, 0.0):.3f} at high loss to {min(ceiling, 1.0):.3f} at zero loss)",
            hint="choose a target between them",
        )
    thetas = [([s.theta[None, :] for s in laws], chain.loss_step.theta[None, :])]
    resampled = [chain.loss_step.samples, *(s.samples for s in laws)]
    if len(resampled[0]) and all(len(r) == len(resampled[0]) for r in resampled):
        good = np.all([np.all(np.isfinite(r), axis=1) for r in resampled], axis=0)
        thetas.append(([s.samples[good] for s in laws], chain.loss_step.samples[good]))
    out = []
    for task_thetas, loss_theta in thetas:
        loss = _loss_for(laws, task_thetas, target)
        out.append((loss, *_cheapest(chain.loss_step, loss_theta, loss)))
    q = [50 * (1 - level), 50 * (1 + level)]

    def estimate(k: int) -> tuple[float, float, float]:
        value = float(out[0][k][0])
        if len(out) == 1:
            return value, math.nan, math.nan
        # "nearest": a resample that never reaches the target is infinite compute, and
        # interpolating between it and a finite one would give NaN
        lo, hi = np.percentile(np.nan_to_num(out[1][k], nan=np.inf), q, method="nearest")
        return value, float(lo), float(hi)

    note = ""
    whose = "the mean of its tasks' laws" if len(laws) > 1 else "its law"
    if not math.isfinite(float(out[0][1][0])):
        note = (
            f"{task}: the loss law does not reach loss {float(out[0][0][0]):.3f} (where "
            f"{whose} gives {target:g}) "
            f"below 1e{_LOG10_C[-1]:.0f} FLOPs: its loss levels off above it"
        )
    plan = (estimate(0), estimate(1), estimate(2), estimate(3))
    far = math.nan
    if math.isfinite(plan[2][0]) and math.isfinite(plan[3][0]):
        far = chain.distance(params=plan[2][0], tokens=plan[3][0])
    return AccuracyPlan(task, target, level, *plan, note=note, distance=far)


def _range(step: Step, theta: Array) -> tuple[Array, Array]:
    """Accuracy at infinite (1e3) and at zero loss of each row."""
    ends = [_accuracy(step, theta, np.full(len(theta), v)) for v in (_FAR_LOSS, 0.0)]
    a_inf, a_zero = ends
    return np.minimum(a_inf, a_zero), np.maximum(a_inf, a_zero)


def _loss_for(steps: list[Step], thetas: list[Array], target: float) -> Array:
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


def _cheapest(loss_step: Step, theta: Array, loss: Array) -> tuple[Array, Array, Array]:
    """Least compute (and its N, D) at which each row's loss law reaches ``loss``.

    On the grid (0.05 decades of compute, 61 ratios over 4 decades), then refined: each
    budget's lowest loss and its ratio from the parabola through the best ratio and its two
    neighbours, and the compute by interpolating in ``log C`` between the last budget short
    of ``loss`` and the first that reaches it (without it the plan was rounded up to the
    grid, overstating compute by up to 12%).
    """
    c = 10.0**_LOG10_C
    n = np.sqrt(c[:, None] / (6.0 * _RATIO[None, :]))  # (nC, nR): D = ratio * N
    d = _RATIO[None, :] * n
    flops = np.full(len(theta), np.nan)
    params, tokens = flops.copy(), flops.copy()
    for i in range(0, len(theta), 100):  # ~100 x 17k values at a time
        part = theta[i : i + 100]
        inputs = scale_inputs(loss_step.law, n.ravel(), d.ravel())
        grid = loss_step.evaluate(part, inputs).reshape(len(part), len(c), len(_RATIO))
        frontier, log_ratio = _frontier(np.where(np.isfinite(grid), grid, np.inf))
        reached = frontier <= loss[i : i + 100, None]
        first = np.argmax(reached, axis=1)
        ok = reached[np.arange(len(part)), first]
        rows = np.arange(len(part))[ok]
        j = first[ok]
        log_c, log_r = _LOG10_C[j], log_ratio[rows, j]
        inner = j > 0  # between the budget short of the loss and the first that reaches it
        k, r = j[inner] - 1, rows[inner]
        above, below = frontier[r, k], frontier[r, k + 1]
        with np.errstate(invalid="ignore", divide="ignore"):
            t = np.clip((above - loss[i : i + 100][r]) / (above - below), 0.0, 1.0)
        t = np.where(np.isfinite(t), t, 1.0)
        log_c[inner] = _LOG10_C[k] + t * (_LOG10_C[k + 1] - _LOG10_C[k])
        log_r[inner] = log_ratio[r, k] + t * (log_ratio[r, k + 1] - log_ratio[r, k])
        best_c, best_r = 10.0**log_c, 10.0**log_r
        flops[i : i + 100][ok] = best_c
        params[i : i + 100][ok] = np.sqrt(best_c / (6.0 * best_r))
        tokens[i : i + 100][ok] = best_r * params[i : i + 100][ok]
    return flops, params, tokens


def _frontier(grid: Array) -> tuple[Array, Array]:
    """Lowest loss over ratios at each budget, and ``log10`` of its ratio ``(rows, nC)``:
    the parabola's vertex through the best grid ratio and its neighbours (the grid point
    itself at an edge or where the three are not convex)."""
    best = np.argmin(grid, axis=2)
    inner = np.clip(best, 1, len(_RATIO) - 2)
    left, mid, right = (np.take_along_axis(grid, (inner + o)[..., None], axis=2)[..., 0]
                        for o in (-1, 0, 1))  # fmt: skip
    curve = left - 2.0 * mid + right
    with np.errstate(invalid="ignore", divide="ignore"):
        shift = 0.5 * (left - right) / curve
    fine = (best == inner) & np.isfinite(shift) & (curve > 0) & (np.abs(shift) <= 1.0)
    step = np.log10(_RATIO[1] / _RATIO[0])
    at_best = np.take_along_axis(grid, best[..., None], axis=2)[..., 0]
    value = np.where(fine, mid - 0.25 * (left - right) * np.where(fine, shift, 0.0), at_best)
    log_ratio = np.log10(_RATIO[best]) + np.where(fine, shift, 0.0) * step
    return value, log_ratio
