"""Curves -> scaling data: the cooled-down loss at every checkpoint of a run.

Hägele et al. 2024 ("Scaling Laws and Compute-Optimal Training Beyond Fixed Training
Durations", arXiv:2405.18392) show that a constant-rate run cooled down over its last ~20% of
steps matches a cosine run of that length: one constant (or WSD) run plus short cooldowns
gives the final loss at many lengths. A fitted curve law predicts those cooldowns without
running them: at each checkpoint ``s`` of a run, continue its schedule with a decay over
``c`` steps (``c / (s + c)`` the cooldown fraction) to the end rate, and read the predicted
loss at ``s + c``. Each becomes a run ``(params, tokens, loss)`` for :func:`scalinglab.fit`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab.curves._data import Curve
from scalinglab.curves._result import CurveFit
from scalinglab.curves._schedule_defaults import end_ratio
from scalinglab.curves._schedules import Schedule

__all__ = ["cooldown_runs", "cooldown_schedule"]


def cooldown_schedule(
    base: Schedule, at: int, *, cooldown: float, end: float, shape: str = "sqrt"
) -> Schedule:
    """``base`` up to step ``at``, then a decay to ``end`` taking the fraction ``cooldown``
    of the new total (``shape``: ``sqrt`` for 1-sqrt as Hägele et al. recommend,
    ``linear`` or ``exp``)."""
    if not 0 < cooldown < 1:
        raise ConfigError(f"cooldown must be a fraction in (0, 1), got {cooldown}")
    if not base.warmup < at <= base.steps:
        raise ConfigError(f"a cooldown starts after warm-up and within the run, got step {at}")
    c = max(1, round(cooldown / (1 - cooldown) * at))
    start = float(base.lr[at - 1])
    u = np.arange(1, c + 1) / c
    if shape == "sqrt":
        tail = end + (start - end) * (1 - np.sqrt(u))
    elif shape == "linear":
        tail = start + (end - start) * u
    elif shape == "exp":
        tail = start * (end / start) ** u
    else:
        raise ConfigError(f"cooldown shape {shape!r} is not one of sqrt, linear, exp")
    return Schedule(
        np.concatenate([base.lr[:at], tail]),
        warmup=base.warmup,
        spec=f"{base.spec or 'run'} cooled down from step {at} over {c} steps ({shape})",
    )


def cooldown_runs(
    result: CurveFit,
    curves: Sequence[Curve],
    *,
    cooldown: float = 0.2,
    shape: str = "sqrt",
    end: float | None = None,
    checkpoints: int = 12,
    tokens_per_step: float | None = None,
) -> pd.DataFrame:
    """Predicted cooled-down final losses at checkpoints of each curve, as a run table.

    Args:
        result: A curve fit (``sized:...`` for curves of several sizes).
        curves: The runs to cool down (constant or WSD: checkpoints are taken while the
            rate has stayed at its peak since warm-up). Runs sharing a schedule prefix give
            the same predictions; duplicates are dropped.
        cooldown: Fraction of the cooled-down run spent decaying.
        shape: ``sqrt`` (1-sqrt), ``linear`` or ``exp``.
        end: Rate at the end of the cooldown (default: the run's peak times the fit's
            end/peak ratio, :func:`~scalinglab.curves._schedule_defaults.end_ratio`: the
            lowest the fitted curves decayed to).
        checkpoints: Checkpoints per curve, spaced evenly in log steps.
        tokens_per_step: Tokens per step; without it ``tokens`` counts steps.

    Returns:
        Columns ``run, params, tokens, steps, loss, lower, upper, source_run``.
    """
    sized = result.law.startswith("sized:")
    rows = []
    for c in curves:
        s = c.schedule
        # checkpoints while the rate has stayed at its peak since warm-up
        level = np.minimum.accumulate(s.lr[s.warmup :]) >= (1 - 1e-6) * s.peak
        ok = (c.step > s.warmup) & (c.step <= s.steps)
        ok[ok] = level[np.minimum(c.step[ok], s.steps) - 1 - s.warmup]
        flat = c.step[ok]
        if len(flat) == 0:
            continue
        lo, hi = np.log(max(int(flat[0]), s.warmup + 1)), np.log(int(flat[-1]))
        picks = np.unique(np.exp(np.linspace(lo, hi, checkpoints)).round().astype(int))
        stop = end if end is not None else s.peak * end_ratio(result.defaults)
        for at in picks:
            sched = cooldown_schedule(s, int(at), cooldown=cooldown, end=stop, shape=shape)
            loss, low, up = result.final_loss(sched, params=c.params if sized else None)
            total = sched.steps
            rows.append(
                {
                    "run": f"{c.run}@{at}+cooldown",
                    "params": c.params,
                    "tokens": total * (tokens_per_step or 1.0),
                    "steps": total,
                    "loss": loss,
                    "lower": low,
                    "upper": up,
                    "source_run": c.run,
                }
            )
    if not rows:
        raise ConfigError(
            "no checkpoint to cool down: every curve has decayed from its peak",
            hint="cool down constant or WSD runs (before their decay)",
        )
    frame = pd.DataFrame(rows)
    key = frame[["params", "steps"]].assign(loss=frame["loss"].round(9))
    return frame[~key.duplicated()].reset_index(drop=True)
