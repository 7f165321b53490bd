"""Choosing a schedule, and backtesting a curve law on held-out schedules.

::

    compare_schedules(result, steps=24000, schedules=["cosine", "wsd:0.1", "wsd:0.2"])
    backtest_curves(curves, train=["cosine_24000", "constant_24000", "wsdcon_9"])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from scalinglab._errors import ConfigError, check_level
from scalinglab.curves import _repr
from scalinglab.curves._data import Curve
from scalinglab.curves._fit_curves import fit_curves
from scalinglab.curves._result import CurveFit
from scalinglab.curves._table import KEEP
from scalinglab.data._units import whole_quantity

__all__ = ["CurveBacktest", "ScheduleChoice", "backtest_curves", "compare_schedules"]


@dataclass(frozen=True)
class ScheduleChoice:
    """One schedule's predicted final loss and its gain over the baseline (cosine).

    Attributes:
        spec: The schedule as given.
        loss: Predicted final loss; ``lower``/``upper`` its interval.
        gain: Baseline's final loss minus this one's (positive: better than the baseline),
            with ``gain_lower``/``gain_upper`` from the same bootstrap draws.
        best: True for the lowest predicted final loss.
        schedule: The schedule evaluated, every value named (the fit's defaults filled in:
            ``cosine:end=3e-05,peak=0.0003,steps=24000,warmup=2160``).
    """

    spec: str
    loss: float
    lower: float
    upper: float
    gain: float
    gain_lower: float
    gain_upper: float
    best: bool = False
    schedule: str = ""


def compare_schedules(
    result: CurveFit,
    *,
    steps: int | str,
    schedules: Sequence[str],
    baseline: str = "cosine",
    params: float | str | None = None,
    level: float | None = None,
) -> list[ScheduleChoice]:
    """Predicted final loss of each schedule over ``steps`` steps (``24000`` or ``"24K"``),
    and the gain over ``baseline``. Specs take ``steps`` and the fit's peak, end and
    warm-up unless they say otherwise (:meth:`CurveFit.schedule`; ``wsd:0.2`` is WSD
    decaying over the last 20% of the steps); each row's ``schedule`` names every value. ``params``: the model size of a fit across sizes (``"7B"``); ``level``: the
    intervals' coverage (default: the fit's)."""
    if not schedules:
        raise ConfigError("no schedules to compare", hint="e.g. --schedules cosine,wsd:0.2")
    steps = whole_quantity(steps, "steps")
    level = result.level if level is None else check_level(level)
    size = result._size(params)
    scheds = [result.schedule(with_steps(spec, steps)) for spec in [baseline, *schedules]]
    finals, draws = result._losses(scheds, sizes=None if size is None else [size] * len(scheds))
    lo, hi = result._interval(draws, level)
    gain_lo, gain_hi = result._interval(draws[:, :1] - draws, level)  # baseline minus each
    best = int(np.argmin(finals[1:]))
    return [
        ScheduleChoice(
            spec,
            float(finals[i]),
            float(lo[i]),
            float(hi[i]),
            float(finals[0] - finals[i]),
            float(gain_lo[i]),
            float(gain_hi[i]),
            best=i - 1 == best,
            schedule=scheds[i].spec,
        )
        for i, spec in enumerate(schedules, start=1)
    ]


def with_steps(spec: str, steps: int) -> str:
    """``spec`` over ``steps`` steps; a spec of its own length is refused, since schedules
    compared over different budgets are not compared at all."""
    kind, _, rest = spec.partition(":")
    parts = [x for x in rest.split(",") if x.strip()]
    own = [x.partition("=")[2].strip() for x in parts if x.strip().startswith("steps=")]
    for value in own:
        try:
            same = whole_quantity(value, "steps") == steps
        except ConfigError:
            same = False
        if not same:
            raise ConfigError(
                f"schedule {spec!r} runs steps={value}, but the schedules are compared over "
                f"{steps} steps",
                hint="drop steps= from the spec (each takes the compared steps), or compare "
                "at that budget",
            )
    if not own:
        parts.append(f"steps={steps}")
    return f"{kind}:{','.join(parts)}"


@dataclass(frozen=True)
class CurveBacktest:
    """Errors of a curve law fitted on some curves and predicting the others.

    Attributes:
        fit: The fit on the training curves.
        runs: Held-out runs.
        mean_error: Mean absolute relative error over each held-out curve's logged points.
        worst_error: Largest absolute relative error on each.
    """

    fit: CurveFit
    runs: tuple[str, ...]
    mean_error: tuple[float, ...]
    worst_error: tuple[float, ...]

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.backtest(self)


def _matches(run: str, names: Sequence[str]) -> bool:
    return any(run == n or run.split("/")[-1] == n for n in names)


def backtest_curves(
    curves: Sequence[Curve],
    *,
    train: Sequence[str],
    law: str = "multipower",
    bootstrap: int = 0,
    level: float = 0.9,
    seed: int = 0,
    left_out: Mapping[str, str] | None = None,
) -> CurveBacktest:
    """Fit ``law`` on the curves named in ``train`` (full name or last path part) and
    predict every other curve's logged points; ``bootstrap``, ``level`` and ``seed`` are
    the fit's (:func:`fit_curves`): its intervals, not the errors, depend on them;
    ``left_out``, the runs the reader left out and why, is the fit's record too, and names
    a run in ``train`` among them as such."""
    fit_on = [c for c in curves if _matches(c.run, train)]
    held = [c for c in curves if not _matches(c.run, train)]
    missing = [n for n in train if not any(_matches(c.run, [n]) for c in curves)]
    gone = {run: why for run, why in (left_out or {}).items() if _matches(run, missing)}
    if gone:  # a name the reader left out: not a typo
        run, why = next(iter(gone.items()))
        raise ConfigError(
            f"training curve {run!r} was left out when the curves were read: {why}",
            hint=f"pass {KEEP} to keep a run that looks diverged",
        )
    if missing:
        raise ConfigError(
            f"training curves {missing} are not among the curves read",
            hint=f"the curves are: {', '.join(c.run for c in curves)}",
        )
    if not held:
        raise ConfigError("every curve is in --train: nothing is left to predict")
    result = fit_curves(
        fit_on, law=law, bootstrap=bootstrap, level=level, seed=seed, left_out=left_out
    )
    mean, worst = [], []
    for c in held:
        sized = result.law.startswith("sized:")
        pred = result.predict(
            c.schedule,
            steps=c.step[c.step >= c.schedule.warmup],
            params=c.params if sized else None,
        )
        obs = c.loss[c.step >= c.schedule.warmup]
        rel = np.abs(pred.loss - obs) / obs
        mean.append(float(rel.mean()))
        worst.append(float(rel.max()))
    return CurveBacktest(result, tuple(c.run for c in held), tuple(mean), tuple(worst))
