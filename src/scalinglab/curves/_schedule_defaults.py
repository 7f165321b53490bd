"""The schedule values a spec may leave out, taken from the fitted curves, and a spec filled
with them.

A fit keeps ``defaults = {peak, end, warmup}`` (:attr:`scalinglab.curves.CurveFit.defaults`):

- ``peak``: the median of the curves' peak learning rates (for an even count the lower of
  the two middle ones, so it is a peak some curve ran);
- ``warmup``: the median of their warm-ups, likewise;
- ``end``: ``peak`` times the lowest ratio of final to peak rate among the curves, as far
  as any of them decayed, so that a default schedule stays within the rates the law was
  fitted on (a median would be pulled up by partial decays: a two-step schedule, a curve
  logged before its decay ends); to 2 significant figures, since a curve's last logged step
  often falls a little before its schedule's end (0.101 for a cosine to 0.1 logged every 50
  of 3000 steps); ``peak/10`` when no curve decays (each ends within 1% of its peak).

A spec without ``end=`` ends at its own peak times that ratio (``cosine:peak=1e-3`` at
``1e-3 · end/peak``), so a spec's peak and end keep the curves' proportion; where the
curves decayed to 0, a ``wsd`` spec without ``shape=`` decays linearly (its default,
exponential, never reaches 0) and its spec says so; one with ``shape=exp`` and no ``end=``
is refused, saying that the end of 0 is the fit's.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab._format import format_g, format_grouped, join_and
from scalinglab.curves._given_warmup import CONTRADICTS
from scalinglab.curves._schedule_spec import parse_schedule, spec_keys
from scalinglab.curves._schedules import Schedule
from scalinglab.data._quantity_args import whole_quantity

__all__ = [
    "DECAYED",
    "NOTE",
    "end_ratio",
    "fill",
    "filled_note",
    "schedule_defaults",
    "steps_missing",
]

#: A curve whose final rate is below this fraction of its peak decays (its end counts).
DECAYED = 0.99
#: How the note of :func:`schedule_defaults` begins (a command that uses no spec leaves it out).
NOTE = "schedule values a spec leaves out, from the fitted curves"
_NO_DECAY = 0.1  # the end/peak ratio when no fitted curve decays (the usual peak/10)


def schedule_defaults(schedules: Sequence[Schedule]) -> tuple[dict[str, float], str]:
    """``{peak, end, warmup}`` from the fitted curves' schedules (the module's docstring
    says how), and a note saying which values they are and where they come from."""
    peaks = [float(s.peak) for s in schedules]
    peak = statistics.median_low(peaks)
    warmup = statistics.median_low([s.warmup for s in schedules])
    ratios = [float(s.lr[-1]) / float(s.peak) for s in schedules]
    lowest = min(ratios)
    ratio = float(f"{lowest:.2g}") if lowest < DECAYED else _NO_DECAY
    if lowest < DECAYED:
        why = f"{format_g(ratio)} of the peak: the lowest end/peak of the fitted curves"
    else:
        why = "peak/10: no fitted curve decays"
    note = (
        f"{NOTE}: peak={format_g(peak, 4)} (their median peak), end={format_g(peak * ratio, 4)} ({why}; a "
        f"spec's own peak keeps the ratio), warmup={warmup} ({_whose(schedules)})"
    )
    return {"peak": peak, "end": float(f"{peak * ratio:.6g}"), "warmup": float(warmup)}, note


def _whose(schedules: Sequence[Schedule]) -> str:
    """Where the warm-up is from: their median, or the one given (``--warmup``), which
    their logged lr contradicts (a warning says so), not any they ran."""
    if all(any(n.startswith(CONTRADICTS) for n in s.notes) for s in schedules):
        return "as given: --warmup; see the warning"
    return "their median"


def end_ratio(defaults: Mapping[str, float]) -> float:
    """The fit's end/peak ratio (``0.1`` where a default is missing)."""
    peak, end = defaults.get("peak", 0.0), defaults.get("end")
    return end / peak if end is not None and peak > 0 else _NO_DECAY


def fill(
    spec: str,
    defaults: Mapping[str, float],
    *,
    fitted_steps: int = 0,
    lengths: Sequence[int] = (),
) -> Schedule:
    """The schedule of ``spec`` with what it leaves out from ``defaults``; without ``end=``
    it ends at its own peak times :func:`end_ratio`. Its ``spec`` names every value
    (``cosine:end=3e-05,peak=0.0003,steps=24000,warmup=2160``).

    Raises:
        ConfigError: for a spec :func:`parse_schedule` refuses, a spec without ``steps=``
            (no default fills it; the hint's example is ``fitted_steps``, the longest fitted
            curve's, where known, and it names the fitted curves' ``lengths``), a spec whose
            steps lie within the warm-up it takes from ``defaults``, or a ``wsd`` spec with
            ``shape=exp`` that would take an end of 0 from ``defaults``.
    """
    kind, given = spec_keys(spec)
    if "steps" not in given and "steps" not in defaults:
        head = spec.rstrip(", ")  # "cosine:" and "cosine:peak=1e-3," take steps= as the next key
        sep = "" if head.endswith(":") else ("," if ":" in head else ":")
        example = f"{head}{sep}steps="
        raise steps_missing(f"schedule {spec!r}: steps= is missing", "steps=", example,
                            fitted_steps=fitted_steps, lengths=lengths)  # fmt: skip
    if "warmup" not in given and "warmup" in defaults and "steps" in given and _reads(given):
        _within_warmup(spec, given["steps"], defaults["warmup"])
    fills = {k: v for k, v in defaults.items() if k != "end"}
    if "end" not in given and "peak" in defaults:
        try:
            peak = float(given.get("peak", defaults["peak"]))
        except ValueError:  # parse_schedule names the bad value
            peak = defaults["peak"]
        fills["end"] = peak * end_ratio(defaults)
        if fills["end"] == 0 and kind == "wsd":
            # the curves decayed to 0, which wsd's default exponential decay never reaches:
            # the default end comes with a decay that does (the spec then says shape=linear)
            if "shape" not in given:
                spec += ",shape=linear" if ":" in spec else ":shape=linear"
            elif given["shape"] == "exp":  # the end was not the user's: say where it is from
                raise ConfigError(
                    f"schedule {spec!r}: the fit's default end is 0 (its curves decayed "
                    "to 0), which an exponential decay (shape=exp) never reaches",
                    hint=f"give the spec an end above 0 ({spec},end=3e-6), or decay to 0 "
                    "with shape=linear or shape=sqrt (1-sqrt)",
                )
    return parse_schedule(spec, defaults=fills)


def _reads(given: dict[str, str]) -> bool:
    """Whether the spec's rates read as finite numbers: where one does not,
    :func:`parse_schedule` names it (it reads them before it checks the steps), before a
    step count within the fit's warm-up is told (``wsd:peak=abc,steps=100`` is first of
    all a peak that is no number)."""
    for key in ("peak", "end"):
        try:
            if key in given and not math.isfinite(float(given[key])):
                return False
        except ValueError:
            return False
    return True


def _within_warmup(spec: str, steps: str, warmup: float) -> None:
    """Refuse ``spec``, whose ``steps`` lie within the fit's ``warmup`` it takes (it gives
    none), saying whose warm-up that is: "steps=50 must exceed warmup=100" alone names a
    warm-up the spec never gave."""
    try:
        n = whole_quantity(steps, "steps", least=1)
    except ConfigError:
        return  # parse_schedule names what is wrong with it (steps=0: no run at all)
    if n > warmup:
        return
    raise ConfigError(
        f"schedule {spec!r}: steps={n} is within the fit's warm-up of {warmup:.0f} steps (the "
        "fitted curves' median, used where a spec gives none)",
        hint=f"give more than {warmup:.0f} steps, or the spec a shorter warm-up of its own "
        f"({spec.rstrip(', ')},warmup={n // 10})",
    )


def steps_missing(
    message: str, option: str, example: str, *, fitted_steps: int, lengths: Sequence[int] = ()
) -> ConfigError:
    """The error for a step count not given (a spec's ``steps=``, ``curves compare``'s
    ``--steps``): a fit never fills it; the hint says to add ``option`` N, with ``example``
    followed by the longest fitted curve's steps (``fitted_steps``; 24000 where unknown), and
    names the fitted curves' ``lengths`` (each once; where not recorded, the longest alone)."""
    longest = format_grouped(fitted_steps)  # as prose writes steps; the spec's example, as typed
    ran = f" (the longest fitted curve ran {longest} steps)" if fitted_steps else ""
    if lengths:
        ran = f" (the fitted curves ran {join_and([format_grouped(n) for n in sorted(lengths)])} steps)"
    return ConfigError(
        message,
        hint=f"add {option}N, the total steps with warm-up, e.g. {example}"
        f"{fitted_steps or 24000}{ran}; a fit fills peak, end and warmup, never steps",
    )


def filled_note(defaults: Mapping[str, float], steps: int, example: Schedule) -> str:
    """What a comparison over ``steps`` steps filled into its specs, with one schedule
    (``example``, the baseline) in full: ``each schedule over 24,000 steps, with the fit's
    peak=0.0003, end at 0.1 of the peak and warmup=2160 where its spec leaves them out
    (...)``."""
    parts = []
    if "peak" in defaults:
        parts.append(f"peak={format_g(defaults['peak'], 4)}")
        parts.append(f"end at {format_g(end_ratio(defaults), 3)} of the peak")
    if "warmup" in defaults:
        parts.append(f"warmup={defaults['warmup']:.0f}")
    given = ", ".join(parts[:-1]) + f" and {parts[-1]}" if len(parts) > 1 else "".join(parts)
    return (
        f"each schedule over {format_grouped(steps)} steps, with the fit's {given} where its spec leaves them "
        f"out (so {example.spec.partition(':')[0]} is {example.spec})"
    )
