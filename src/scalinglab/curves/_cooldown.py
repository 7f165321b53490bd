"""Curves -> scaling data: the cooled-down loss at every checkpoint of a run.

Hägele et al. 2024 ("Scaling Laws and Compute-Optimal Training Beyond Fixed Training
Durations", arXiv:2405.18392) show that a constant-rate run cooled down over its last ~20% of
steps matches a cosine run of that length: one constant (or WSD) run plus short cooldowns
gives the final loss at many lengths. A fitted curve law predicts those cooldowns without
running them: at each checkpoint ``s`` of a run (0-based, as curves count: its loss is
after steps ``0..s``), continue its schedule from step ``s + 1`` with a decay over ``c``
steps (``c / (s + 1 + c)`` the cooldown fraction) to the end rate, and read the predicted
loss at its last step, ``s + c``. Each becomes a run ``(params, tokens, loss)`` for
:func:`scalinglab.fit`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.curves import _asked
from scalinglab.curves._data import Curve
from scalinglab.curves._result import CurveFit
from scalinglab.curves._schedule_defaults import end_ratio
from scalinglab.curves._schedules import Schedule
from scalinglab.data._quantity_args import step_tokens
from scalinglab.fit._resamples import Resamples

__all__ = [
    "CHECKPOINTS",
    "check_cooldown",
    "cooldown_resamples",
    "cooldown_runs",
    "cooldown_schedule",
]

#: Checkpoints per curve by default, spaced evenly in log steps over its flat stretch.
CHECKPOINTS = 12


def check_cooldown(cooldown: float, *, option: str = "cooldown") -> None:
    """Refuse a cooldown that is no fraction in (0, 1), naming ``option`` (``--cooldown`` on
    the command line, which checks it before the curve law is fitted).

    Raises:
        ConfigError: Saying what the fraction is and what to give.
    """
    if 0 < cooldown < 1:
        return
    flag = option.startswith("--")
    said = f"{option} {format_g(cooldown)}" if flag else f"{option}={cooldown!r}"
    raise ConfigError(
        f"{said} is not a fraction in (0, 1): it is the share of each cooled-down run spent "
        "decaying",
        hint=f"e.g. {option}{' ' if flag else '='}0.2, the 20% Hägele et al. 2024 recommend",
    )


def cooldown_schedule(
    base: Schedule, at: int, *, cooldown: float, end: float, shape: str = "sqrt"
) -> Schedule:
    """``base`` through step ``at`` (inclusive), then a decay to ``end`` taking the fraction
    ``cooldown`` of the new total (``shape``: ``sqrt`` for 1-sqrt as Hägele et al. recommend,
    ``linear`` or ``exp``).

    Steps are 0-based, as a curve's are: its loss at step ``at`` is the one after the
    schedule's steps ``0..at`` (``cumsum(lrs)[at]``), so the checkpoint there has taken
    ``at + 1`` updates at the base rate and the decay starts at step ``at + 1``. Read at
    step ``at``, the cooled-down run is the base run.
    """
    check_cooldown(cooldown)
    if not base.warmup <= at < base.steps:
        raise ConfigError(
            f"a cooldown starts at a step after warm-up and within the run (0-based: "
            f"{base.warmup} to {base.steps - 1}), got step {at}"
        )
    done = at + 1  # updates the checkpoint has taken
    c = max(1, round(cooldown / (1 - cooldown) * done))
    start = float(base.lr[at])
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
        np.concatenate([base.lr[:done], tail]),
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
    checkpoints: int = CHECKPOINTS,
    tokens_per_step: float | str | None = None,
) -> pd.DataFrame:
    """Predicted cooled-down final losses at checkpoints of each curve, as a run table.

    Args:
        result: A curve fit (``sized:...`` for curves of several sizes).
        curves: The runs to cool down (constant or WSD: checkpoints are taken while the
            rate has stayed at its peak since warm-up). Each curve's checkpoints are its
            own, so runs sharing a schedule prefix give checkpoints along it at their own
            steps; one they give at the same step (the same schedule up to it) is one row.
        cooldown: Fraction of the cooled-down run spent decaying.
        shape: ``sqrt`` (1-sqrt), ``linear`` or ``exp``.
        end: Rate at the end of the cooldown (default: the run's peak times the fit's
            end/peak ratio, :func:`~scalinglab.curves._schedule_defaults.end_ratio`: the
            lowest the fitted curves decayed to).
        checkpoints: Checkpoints per curve, spaced evenly in log steps.
        tokens_per_step: Tokens per step, a number or text as ``--tokens-per-step`` reads
            it (``"0.5M tokens"``); without it ``tokens`` counts steps.

    Returns:
        Columns ``run, params, tokens, steps, loss, lower, upper, source_run``.
    """
    frame, _ = cooldown_resamples(
        result, curves, cooldown=cooldown, shape=shape, end=end,
        checkpoints=checkpoints, tokens_per_step=tokens_per_step,
    )  # fmt: skip
    return frame


def cooldown_resamples(
    result: CurveFit,
    curves: Sequence[Curve],
    *,
    cooldown: float = 0.2,
    shape: str = "sqrt",
    end: float | None = None,
    checkpoints: int = CHECKPOINTS,
    tokens_per_step: float | str | None = None,
) -> tuple[pd.DataFrame, Resamples | None]:
    """:func:`cooldown_runs`, and the runs as each resample of the fit's bootstrap gives them
    (``None`` without one): for :func:`scalinglab.fit` to refit, as ``fit --from-curves``
    does (``fit(law, runs, resamples=resamples)`` refits every one; curves of one size give
    no ``params``: fit a law of D to ``runs[["run", "tokens", "loss"]]``).

    In resample ``b`` each run's loss is the one the curve law predicts at resample ``b``'s
    coefficients, and its weight is its curve's weight in resample ``b``
    (:attr:`CurveFit.curve_weights`: whole curves drawn, so every point of a curve moves
    with it). A checkpoint that several curves give alike (the same step of a schedule
    prefix they share: one row) weighs the mean of their weights: 1 in the fit itself, as
    its one row. A curve
    the fit did not see weighs 1 throughout. This is the bootstrap of the whole two-stage
    estimate (curves -> curve law -> cooled-down runs -> scaling law) with curves as the
    unit drawn: one resample of the curves runs through both fits.

    Args:
        result: The curve fit, as :func:`cooldown_runs` takes it.
        curves: The runs to cool down.
        cooldown: Fraction of the cooled-down run spent decaying.
        shape: ``sqrt`` (1-sqrt), ``linear`` or ``exp``.
        end: Rate at the end of the cooldown (default: as :func:`cooldown_runs`).
        checkpoints: Checkpoints per curve, spaced evenly in log steps.
        tokens_per_step: Tokens per step, a number or text as ``--tokens-per-step`` reads
            it (``"0.5M tokens"``); without it ``tokens`` counts steps.

    Returns:
        The run table of :func:`cooldown_runs`, and its resamples (``None`` without a
        bootstrap).
    """
    check_cooldown(cooldown)  # before any schedule is built
    per_step = 1.0 if tokens_per_step is None else step_tokens(tokens_per_step)  # or steps
    rows, scheds, owner, prefix = [], [], [], []
    prefixes: dict[tuple[bytes, float], int] = {}  # a schedule up to a checkpoint, and its end
    for i, c in enumerate(curves):
        s = c.schedule
        # checkpoints while the rate has stayed at its peak since warm-up
        level = np.minimum.accumulate(s.lr[s.warmup :]) >= (1 - 1e-6) * s.peak
        # (0-based: the loss at step t is after the rates of steps 0..t, all at the peak)
        ok = (c.step > s.warmup) & (c.step < s.steps)
        ok[ok] = level[c.step[ok] - s.warmup]
        flat = c.step[ok]
        if len(flat) == 0:
            continue
        lo, hi = np.log(max(int(flat[0]), s.warmup + 1)), np.log(int(flat[-1]))
        picks = np.unique(np.exp(np.linspace(lo, hi, checkpoints)).round().astype(int))
        stop = end if end is not None else s.peak * end_ratio(result.defaults)
        for at in picks:
            sched = cooldown_schedule(s, int(at), cooldown=cooldown, end=stop, shape=shape)
            total = sched.steps
            scheds.append(sched)
            owner.append(i)
            so_far = (s.lr[: int(at) + 1].tobytes(), float(stop))
            prefix.append(prefixes.setdefault(so_far, len(prefixes)))
            rows.append(
                {
                    "run": f"{c.run}@{at}+cooldown",
                    "params": c.params,
                    "tokens": total * per_step,
                    "steps": total,
                    "source_run": c.run,
                }
            )
    if not rows:
        raise ConfigError(
            "no checkpoint to cool down: every curve has decayed from its peak",
            hint="cool down constant or WSD runs (before their decay)",
        )
    frame = pd.DataFrame(rows)
    # each row's final loss at its curve's size, at the fit and at each of its resamples
    frame["loss"], draws = _asked.losses(result, scheds, sizes=list(frame["params"]))
    frame["lower"], frame["upper"] = _asked.interval(result, draws, result.level)
    # the cooled-down loss is a function of the schedule up to the checkpoint: one row per
    # (size, schedule so far, end), whichever runs share it
    key = frame[["params"]].assign(prefix=prefix)
    kept = ~key.duplicated().to_numpy()
    resamples = None
    if len(draws) and result.curve_weights is not None:
        # each row's producers: the curves sharing its schedule up to its checkpoint
        group = key.groupby(list(key.columns), sort=False, dropna=False).ngroup().to_numpy()
        index = {r: k for k, r in reversed(list(enumerate(result.runs)))}
        ones = np.ones((len(draws), 1))
        per_curve = np.hstack(
            [result.curve_weights[:, [index[c.run]]] if c.run in index else ones for c in curves]
        )
        weights = per_curve[:, owner]
        mean = np.stack([weights[:, group == g].mean(axis=1) for g in group[kept]], axis=1)
        resamples = Resamples(tuple(frame["run"][kept]), draws[:, kept], mean, result.resample)
    return frame[kept].reset_index(drop=True), resamples
