"""A ``multistep`` schedule spec's pieces (:func:`~scalinglab.curves.parse_schedule`):
the rate from each step of ``at=s1;s2`` on, ``lr=v1;v2`` as fractions of the peak, and the
note for a step change within the warm-up."""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted, format_grouped, join_and
from scalinglab.data._quantity_args import whole_quantity
from scalinglab.ladder import _schedules as pieces

__all__ = ["multistep_piece", "within_warmup"]


def multistep_piece(
    spec: str, opts: dict[str, str], warmup: int, peak: float, steps: int
) -> pieces.Schedule:
    """The rate, as a fraction of ``peak``, at each step after the warm-up: 1, then each
    ``lr=`` from its ``at=`` step on; ``opts["at"]`` is rewritten in whole steps (the
    canonical spec says ``at=8000``, not ``8K``).

    Raises:
        ConfigError: ``at=`` and ``lr=`` that are no numbers, not as many, not increasing,
            or a step before 0 or past ``steps``.
    """
    try:
        at = [whole_quantity(x, "at") - warmup for x in opts.get("at", "").split(";") if x.strip()]
        opts["at"] = ";".join(str(a + warmup) for a in at)  # canonical: at=8000, not 8K
        lrs = [float(x) / peak for x in opts.get("lr", "").split(";") if x.strip()]
    except (ValueError, ConfigError):
        raise ConfigError(
            f"schedule {spec!r}: at= and lr= must be ';'-separated numbers (at= whole steps)"
        ) from None
    if at and len(at) != len(lrs):
        raise _counts(spec, opts["at"], opts.get("lr", ""), len(at), len(lrs))
    if not at or any(b <= a for a, b in itertools.pairwise(at)):
        raise ConfigError(
            f"schedule {spec!r}: multistep needs at=s1;s2 (increasing) and as many lr=v1;v2",
            hint="e.g. multistep:peak=3e-4,at=8000,lr=9e-5,steps=16000,warmup=2160",
        )
    if at[0] + warmup < 0:  # increasing: the first is the earliest
        raise ConfigError(
            f"schedule {spec!r}: a step at {at[0] + warmup} is before the run's first step, 0",
            hint="every at= must be a step of the run: 0 or more, and before steps=",
        )
    if at[-1] + warmup >= steps:
        raise ConfigError(
            f"schedule {spec!r}: a step at {at[-1] + warmup} is never reached in {steps} steps",
            hint="every at= must lie before steps=",
        )
    values = [1.0, *lrs]
    return lambda k: values[sum(k >= a for a in at)]


def _counts(spec: str, at: str, lr: str, n_at: int, n_lr: int) -> ConfigError:
    """The refusal of ``at=`` and ``lr=`` lists of different lengths: each count, which list
    is short, and the two fixes (the missing values added, or the unmatched ones dropped)."""
    steps, rates = at.split(";"), [x.strip() for x in lr.split(";") if x.strip()]
    given = f"at={at} gives {format_counted(n_at, 'step change')} and " + (
        f"lr={lr} {format_counted(n_lr, 'rate')}" if n_lr else "no lr= is given"
    )
    if n_lr < n_at:
        short, extra = "lr=", steps[n_lr:]
        fix = (f"add a rate to lr= for the step change at {join_and(extra)} "
               f"(lr={';'.join([*rates, *['RATE'] * len(extra)])}), or drop "
               + (f"{join_and(extra)} from at= (at={';'.join(steps[:n_lr])})" if n_lr else "at="))  # fmt: skip
    else:
        short, extra = "at=", rates[n_at:]
        fix = (f"add a step to at= for the rate{'s' * (len(extra) > 1)} {join_and(extra)} "
               f"(at={';'.join([*steps, *['STEP'] * len(extra)])}), or drop "
               f"{join_and(extra)} from lr= (lr={';'.join(rates[:n_at])})")  # fmt: skip
    return ConfigError(
        f"schedule {spec!r}: {given}: {short} is short by {abs(n_at - n_lr)} (each at= step "
        "takes the lr= rate in its place)",
        hint=fix,
    )


def within_warmup(opts: Mapping[str, str], warmup: int) -> tuple[str, ...]:
    """A multistep schedule's note for step changes within its warm-up: they take effect
    only where the warm-up ends."""
    early = [a for a in opts["at"].split(";") if int(a) < warmup]
    if not early:
        return ()
    return (
        f"multistep: the step change at {', '.join(early)} lies within the warm-up "
        f"({format_grouped(warmup)} steps): the warm-up still rises to the peak, and the "
        f"lowered rate starts when it ends, at step {format_grouped(warmup)}",
    )
