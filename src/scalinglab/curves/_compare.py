"""Choosing a schedule: each schedule's predicted final loss over one step budget, and its
gain over a baseline (cosine).

::

    compare_schedules(result, steps=24000, schedules=["cosine", "wsd:0.1", "wsd:0.2"])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from scalinglab._errors import ConfigError, check_level
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked
from scalinglab._pairs import drop_repeats
from scalinglab._warn import warn_at_caller
from scalinglab.curves import _asked
from scalinglab.curves._result import CurveFit
from scalinglab.curves._schedule_defaults import fill
from scalinglab.curves._schedule_spec import spec_keys
from scalinglab.curves._schedules import Schedule
from scalinglab.data._quantity_args import whole_quantity

__all__ = [
    "ScheduleChoice",
    "compare_schedules",
    "compared",
    "compared_steps",
    "distinct_schedules",
    "marks",
]

#: A schedule as given: a spec's text, or a :class:`Schedule`.
_S = TypeVar("_S", bound=str | Schedule)


@dataclass(frozen=True)
class ScheduleChoice:
    """One schedule's predicted final loss and its gain over the baseline (cosine).

    Attributes:
        spec: The schedule as given.
        loss: Predicted final loss.
        lower, upper: Its interval.
        gain: Baseline's final loss minus this one's (positive: better than the baseline).
        gain_lower, gain_upper: Its interval, from the same bootstrap draws.
        best: True for the lowest predicted final loss among all the schedules compared,
            the baseline included: when the baseline is lowest, only its row (if shown)
            is best, and no schedule given beats it.
        schedule: The schedule evaluated, every value named (the fit's defaults filled in:
            ``cosine:end=3e-05,peak=0.0003,steps=24000,warmup=2160``).
        baseline: True for the baseline's row (added by ``include_baseline``, or a
            schedule given that is the baseline itself).
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
    baseline: bool = False

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """``curves compare --json``'s row (NaN as ``"nan"``): each estimate as ``plan
        --json`` writes one, ``loss``, ``loss_lower``, ``loss_upper`` and ``gain``,
        ``gain_lower``, ``gain_upper``; the old ``lower`` and ``upper`` (the loss's) are
        written beside them for one release.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        out: dict[str, object] = {"spec": self.spec, "loss": self.loss}
        out |= {"loss_lower": self.lower, "loss_upper": self.upper}
        out |= {"lower": self.lower, "upper": self.upper}  # the old keys, one release
        out |= {k: getattr(self, k) for k in ("gain", "gain_lower", "gain_upper", "best",
                                              "schedule", "baseline")}  # fmt: skip
        return out


@keywords_checked("scalinglab.curves.compare_schedules")
def compare_schedules(
    result: CurveFit,
    *,
    steps: int | str,
    schedules: str | Schedule | Sequence[str | Schedule],
    baseline: str | Schedule = "cosine",
    params: float | str | None = None,
    level: float | None = None,
    include_baseline: bool = False,
) -> list[ScheduleChoice]:
    """Predicted final loss of each schedule over ``steps`` steps (``24000`` or ``"24K"``),
    and the gain over ``baseline``.

    Specs take ``steps`` and the fit's peak, end and warm-up unless they say otherwise
    (:meth:`CurveFit.schedule`; ``wsd:0.2`` is WSD decaying over the last 20% of the
    steps); each row's ``schedule`` names every value. A :class:`Schedule` is taken as it
    is, and must run ``steps`` steps.

    Args:
        result: The curve fit.
        steps: The step budget, warm-up included.
        schedules: One spec or schedule, or several.
        baseline: What the gains are measured against.
        params: The model size of a fit across sizes (``"7B"``).
        level: The intervals' coverage (default: the fit's).
        include_baseline: Start the rows with the baseline's own (gain 0) unless a schedule
            given is the baseline.

    Returns:
        One row per schedule given, in order, after the baseline's where it is included; a
        schedule given twice is compared once, with a warning (``UserWarning``) naming it.

    Raises:
        ConfigError: for a step budget that is not a positive whole count or lies within
            the warm-up a schedule takes from the fit, and for a spec that does not parse.
    """
    if isinstance(schedules, str | Schedule):
        schedules = [schedules]
    if not schedules:
        raise ConfigError("no schedules to compare", hint="e.g. --schedules cosine,wsd:0.2")
    schedules, repeated = distinct_schedules(schedules)
    if repeated:  # one row each, as isoflop's budgets given twice are one budget
        warn_at_caller(repeated, UserWarning)
    n_steps = compared_steps(steps)
    level = result.level if level is None else check_level(level)
    size = result._size(params)
    scheds = [compared(result, s, n_steps, baseline=i == 0)
              for i, s in enumerate([baseline, *schedules])]  # fmt: skip
    finals, draws = _asked.losses(
        result, scheds, sizes=None if size is None else [size] * len(scheds)
    )
    lo, hi = _asked.interval(result, draws, level)
    gain_lo, gain_hi = _asked.interval(result, draws[:, :1] - draws, level)  # baseline minus each
    lowest = float(finals.min())  # the baseline included: a schedule must beat it
    same = [i == 0 or scheds[i].spec == scheds[0].spec for i in range(len(scheds))]
    specs = [_name(s) for s in [baseline, *schedules]]
    added = include_baseline and not any(same[1:])
    # the baseline's gain is 0 exactly, and its interval [0, 0] where there are draws;
    # without a bootstrap no row has an interval, the baseline's included
    zero = 0.0 if len(draws) else math.nan
    return [
        ScheduleChoice(
            specs[i],
            float(finals[i]),
            float(lo[i]),
            float(hi[i]),
            0.0 if same[i] else float(finals[0] - finals[i]),
            zero if same[i] else float(gain_lo[i]),
            zero if same[i] else float(gain_hi[i]),
            best=bool(finals[i] <= lowest),
            schedule=scheds[i].spec,
            baseline=same[i],
        )
        for i in range(0 if added else 1, len(scheds))
    ]


def distinct_schedules(schedules: Sequence[_S], *, who: str = "schedules") -> tuple[list[_S], str]:
    """``schedules`` in the order given, each repeat dropped (a spec by its text, a
    :class:`Schedule` by identity), and the one line that says so, naming them as ``who``
    (``--schedules`` on the command line): ``""`` where none repeats. Two rows of one
    schedule would both be marked best, or neither."""
    return drop_repeats(list(schedules), who=who, shown=_name)


def compared_steps(steps: int | str, *, option: str = "steps") -> int:
    """A comparison's step budget, checked: a positive whole count (``24000``, ``"24K"``),
    named ``option`` in errors (``--steps`` on the command line)."""
    n = whole_quantity(steps, option)
    if n < 1:
        raise ConfigError(
            f"{option}={steps} is not a step budget: it must be a positive count of steps",
            hint=f"pass e.g. {option}=24000 (warm-up included)",
        )
    return n


def compared(
    result: CurveFit, schedule: str | Schedule, steps: int, *, baseline: bool = False
) -> Schedule:
    """``schedule`` as compared over ``steps`` steps: a spec takes ``steps`` (one of its own
    length is refused, since schedules compared over different budgets are not compared at
    all) and the fit's defaults; a :class:`Schedule` must run ``steps`` steps. Errors quote
    the spec as given; ``baseline`` names it as the baseline in them."""
    what = f"{_name(schedule)!r}" + (" (the baseline)" if baseline else "")
    if isinstance(schedule, Schedule):
        if schedule.steps != steps:
            raise ConfigError(
                f"schedule {what} runs {schedule.steps} steps, but the schedules are "
                f"compared over {steps}",
                hint=f"build it over {steps} steps, or compare at its length",
            )
        return schedule
    kind, given = spec_keys(schedule)  # the parser's own reading of keys (case, spaces)
    if "steps" in given:
        try:
            same = whole_quantity(given["steps"], "steps") == steps
        except ConfigError:
            same = False
        if not same:
            raise ConfigError(
                f"schedule {what} runs steps={given['steps']}, but the schedules are "
                f"compared over {steps} steps",
                hint="drop steps= from the spec (each takes the compared steps), or compare "
                "at that budget",
            )
    warmup = result.defaults.get("warmup")
    if "warmup" not in given and warmup is not None and steps <= warmup:
        own = f"{kind}:warmup={steps // 10}"  # an example shorter than the steps compared
        where = (
            f"give the baseline a warm-up of its own (baseline='{own}'; "
            "--baseline on the command line)"
            if baseline
            else f"give the spec a warm-up of its own ({own})"
        )
        raise ConfigError(
            f"schedule {what} takes the fit's warm-up of {warmup:.0f} steps (the fitted "
            f"curves' median, used where a spec gives none), and the schedules are compared "
            f"over {steps} steps, within it",
            hint=f"compare over more than {warmup:.0f} steps, or {where}",
        )
    return _fill_steps(schedule, steps, result)


def _fill_steps(spec: str, steps: int, result: CurveFit) -> Schedule:
    """``spec`` with ``steps`` among the defaults it may leave out: its text is kept, so an
    error quotes it as written."""
    return fill(spec, {**result.defaults, "steps": float(steps)})


def _name(schedule: str | Schedule) -> str:
    return schedule.spec or "custom" if isinstance(schedule, Schedule) else schedule


def marks(choice: ScheduleChoice) -> str:
    """`` (baseline, best)``: what a compared schedule's row is, beside its spec (best: the
    lowest final loss of all the schedules compared, the baseline included)."""
    said = [m for m in ("baseline", "best") if getattr(choice, m)]
    return f" ({', '.join(said)})" if said else ""
