"""A fitted chain's prediction for one model: each task's accuracy with its interval.

The interval is for one new model: each resample's chain (loss law, then the task's law, both
from the same resampled models) plus draws of each step's residual noise, of the loss law's
measured extrapolation error and of the task's, from the backtest on the fitted sizes.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import ConfigError, check_level
from scalinglab.data._units import as_quantities
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._average import AVERAGE
from scalinglab.downstream._refit import scale_inputs
from scalinglab.downstream._task import as_accuracy

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit

__all__ = ["TaskPrediction", "predict_tasks"]

#: Fewest (resample, noise) draws behind an interval.
_DRAWS = 4000


@dataclass(frozen=True)
class TaskPrediction:
    """Predicted accuracy of one task at one scale.

    Attributes:
        task: The task.
        accuracy: The chain's point prediction (NaN when the task is not predictable).
        lower: Lower end of the prediction interval.
        upper: Upper end.
        level: Coverage of the interval.
        loss: The predicted loss the chain went through.
        reason: Why there is no number, for a task that is not predictable.
    """

    task: str
    accuracy: float
    lower: float
    upper: float
    level: float
    loss: float
    reason: str = ""


def predict_tasks(
    chain: DownstreamFit, *, params: float | str, tokens: float | str, level: float | None
) -> dict[str, TaskPrediction]:
    """:meth:`DownstreamFit.predict`: every task's (and the average's) accuracy."""
    level = chain.level if level is None else level
    check_level(level)
    params, tokens = _one(params, "params"), _one(tokens, "tokens")
    if not (params > 0 and tokens > 0 and math.isfinite(params * tokens)):
        raise ConfigError(f"params and tokens must be positive, got {params}, {tokens}")
    nd = scale_inputs(chain.loss_step.law, np.array([params]), np.array([tokens]))
    loss = float(chain.loss_step.evaluate(chain.loss_step.theta, nd)[0])
    rng = np.random.default_rng(chain.seed)
    samples = chain.loss_step.samples
    per = max(1, math.ceil(_DRAWS / max(len(samples), 1)))
    drawn, ex = None, chain.extrapolation
    if len(samples):
        drawn = link.loss_draws(chain.loss_step, ex, nd, level=level, rng=rng, per=per)
    q = [50 * (1 - level), 50 * (1 + level)]
    out = {}
    targets = dict(chain.tasks) | ({} if chain.average is None else {AVERAGE: chain.average})
    for name, task in targets.items():
        if not task.predictable or task.step is None:
            out[name] = TaskPrediction(name, math.nan, math.nan, math.nan, level, loss, task.reason)
            continue
        step = task.step
        point = as_accuracy(step, step.evaluate(step.theta, {"L": np.array([loss])})[0])
        if not 0.0 <= point <= 1.0:  # Gadre et al.'s error law has no floor at 0
            why = (
                f"the {step.law.name} law gives accuracy {point:.3f} at loss {loss:.3f}, "
                "outside [0, 1]: this loss is beyond the law's domain"
            )
            out[name] = TaskPrediction(name, math.nan, math.nan, math.nan, level, loss, why)
            continue
        lo = hi = math.nan
        if drawn is not None and len(step.samples) == len(drawn):
            draws = step.law.rows(step.samples, drawn)  # type: ignore[attr-defined]
            # each task's own stream: its interval does not depend on which other
            # tasks were fitted or in what order
            stream = np.random.default_rng([chain.seed, zlib.crc32(name.encode())])
            z = stream.standard_normal(draws.shape)
            noisy = step.with_noise(draws, z) + task.extra_noise * stream.standard_normal(
                draws.shape
            )
            acc = as_accuracy(step, noisy).ravel()
            # an accuracy is a fraction of questions: noise drawn past 0 or 1 is not one
            acc = np.clip(acc[np.isfinite(acc)], 0.0, 1.0)
            if len(acc):
                lo, hi = (float(v) for v in np.percentile(acc, q))
        out[name] = TaskPrediction(name, float(point), lo, hi, level, loss)
    return out


def _one(value: object, name: str) -> float:
    """One size or token count (a number or ``"7B"``): a chain predicts one model a call."""
    q = as_quantities(value, name)
    if q.size != 1:
        raise ConfigError(
            f"{name} must be one number, got {q.size}: a chain predicts one model at a time",
            hint="call predict once per model",
        )
    return float(q.reshape(-1)[0])
