"""Schedules from spec strings: ``kind:key=value,...`` into a :class:`Schedule`.

::

    parse_schedule("wsd:peak=3e-4,end=3e-5,warmup=2160,decay=0.2,steps=24000")
    parse_schedule("cosine:steps=24000", defaults={"peak": 3e-4, "warmup": 2160})

A spec is built from the pieces of :mod:`scalinglab.ladder._schedules` (``join``,
``cosine``, ``linear``, ``constant``), scaled by the peak learning rate, but with the
conventions of the shared lr-schedule curves (Luo et al.'s data), which are not the
ladder's: ``lr[s]`` is the rate at step ``s``, the warm-up ``peak·s/warmup`` (0 at step
0, the peak at step ``warmup``; the ladder's ``warmup()`` gives update ``k`` ``(k+1)/W``);
``wsd`` decays over the last ``round(decay·steps)`` steps, exponentially by default as
the source's do, and at its last step is one decay step short of ``end`` with every
shape (the ladder's ``wsd()`` decays linearly and reaches its ``final`` on the last
step). ``cosine`` and ``linear`` reach ``end`` on the last step, as the ladder's do (the
source's cosine divides by ``steps - warmup``, not ``- 1``: 1.7e-4 relative apart on
``cosine_24000``). A spec that comes closest to a ladder WSD run says ``shape=linear``,
and is still up to ``(1 - end/peak)/(decay·steps)`` of the peak from it; a ladder run in a
store gets its own schedule from its stored config instead
(:mod:`scalinglab.curves._stored_schedules`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

import numpy as np

from scalinglab._checks import check_mapping
from scalinglab._errors import ConfigError, check_text, did_you_mean
from scalinglab._format import format_g
from scalinglab._keywords import keywords_checked
from scalinglab.curves._multistep_spec import multistep_piece, within_warmup
from scalinglab.curves._schedules import MAX_STEPS, Schedule, check_steps
from scalinglab.curves._spec_separators import spaced
from scalinglab.data._quantity_args import whole_quantity
from scalinglab.ladder import _schedules as pieces

__all__ = ["MAX_STEPS", "SCHEDULE_KINDS", "parse_schedule", "spec_keys"]

#: The spec kinds :func:`parse_schedule` reads, with what each means.
SCHEDULE_KINDS: Mapping[str, str] = {
    "constant": "the peak after warm-up",
    "cosine": "half-cosine from peak to end over the steps after warm-up",
    "linear": "linear from peak to end over the steps after warm-up",
    "wsd": "warmup-stable-decay: peak, then a decay over the last decay·steps steps "
    "(shape=exp|linear|sqrt, exp by default)",
    "multistep": "peak, then lr=v1;v2... from steps at=s1;s2... on",
}
_KEYS = {"peak", "end", "warmup", "steps", "decay", "shape", "at", "lr"}
#: Keys every kind takes (``end`` means nothing to constant and multistep, but specs are
#: often written once and their kind swapped), and those only some read: another kind's own
#: key (``constant:...,decay=0.3``) is refused, not ignored.
_COMMON = {"peak", "warmup", "steps", "end"}
_OWN = {"wsd": {"decay", "shape"}, "multistep": {"at", "lr"}}
_SHAPES = ("exp", "linear", "sqrt")
#: Kinds that decay from ``peak`` to ``end`` (an end above the peak is refused).
_DECAYING = {"cosine", "linear", "wsd"}
#: Keys a kind's canonical spec leaves out: they mean nothing to it.
_UNUSED = {"constant": {"end"}, "multistep": {"end"}}
#: Lowest peak learning rate a spec takes (a lower one underflows the laws' powers of it).
_LOWEST_PEAK = 1e-12


@keywords_checked("scalinglab.parse_schedule")
def parse_schedule(spec: str, *, defaults: Mapping[str, float] | None = None) -> Schedule:
    """A schedule from a spec string ``kind:key=value,...``.

    Keys: ``peak`` (lr after warm-up), ``end`` (final lr; default ``peak/10``), ``warmup``
    (linear warm-up steps from 0), ``steps`` (total, warm-up included; step counts take
    units, ``steps=24K``, and are whole, ``steps`` 1 or more), ``decay`` (wsd: fraction of
    steps spent decaying, also ``wsd:0.2``), ``shape`` (wsd: ``exp``, the default, which needs
    ``end`` above 0; ``linear`` or ``sqrt`` for 1-sqrt), ``at`` and ``lr`` (multistep:
    ``;``-separated steps and the rate from each on).

    Args:
        spec: The spec, e.g. ``"cosine:peak=3e-4,steps=24000"``; its kind is one of
            :data:`SCHEDULE_KINDS`.
        defaults: Values of the keys the spec leaves out (``{"steps": 24000}``); a key the
            spec gives wins.

    Returns:
        The :class:`Schedule`: the learning rate at every step ``0 .. steps-1``.

    Raises:
        ConfigError: naming the part of the spec that does not parse.

    Examples:
        >>> import scalinglab as sl
        >>> s = sl.parse_schedule("wsd:peak=3e-4,decay=0.2,steps=24000,warmup=2160")
        >>> len(s.lr), float(s.lr[0]), float(s.lr[2160]), s.warmup
        (24000, 0.0, 0.0003, 2160)
    """
    kind, given = spec_keys(spec)
    fills = check_mapping("defaults", defaults, example="{'steps': 24000}")  # not a list
    opts: dict[str, str] = {k: str(v) for k, v in fills.items()} | given

    def number(key: str, default: float | None = None) -> float:
        if key not in opts:
            if default is None:
                raise ConfigError(f"schedule {spec!r}: {key}= is missing", hint=_missing(key))
            return default
        try:
            value = float(opts[key])
        except ValueError:
            raise ConfigError(
                f"schedule {spec!r}: {key}={opts[key]!r} is not a number",
                hint=_number(key, opts[key]),
            ) from None
        if not math.isfinite(value):
            raise ConfigError(
                f"schedule {spec!r}: {key}={opts[key]} is not a finite number", hint=_number(key)
            )
        return value

    def whole(key: str, default: float | None = None) -> int:
        if key not in opts:
            return int(number(key, default))  # its default, or the error that it is missing
        try:  # a count of steps: units as --params takes them (24K), whole
            example, least = ("2160", 0) if key == "warmup" else ("24K", 1)
            value = whole_quantity(opts[key], key, example=example, least=least)
        except ConfigError as err:
            raise ConfigError(f"schedule {spec!r}: {err.message}", hint=err.hint) from None
        opts[key] = str(value)  # the canonical spec says steps=24000, not 24K
        return value

    peak = number("peak")
    steps = whole("steps")
    warmup = whole("warmup", 0.0)
    end = number("end", peak / 10)
    whence = {k: "" if k in given else " (a default: the spec gives none)" for k in opts}
    if steps <= warmup:
        raise ConfigError(
            f"schedule {spec!r}: steps={steps} must exceed warmup={warmup}"
            f"{whence.get('warmup', '')}: steps counts the whole run, warm-up included",
            hint=f"give steps= above {warmup} (the total steps), or a shorter warmup=",
        )
    check_steps(steps, f"schedule {spec!r}")
    if peak <= 0:
        raise ConfigError(f"schedule {spec!r}: peak={format_g(peak)}{whence['peak']} must be > 0")
    if peak < _LOWEST_PEAK:  # the laws' powers of the rate underflow: no finite loss
        raise ConfigError(
            f"schedule {spec!r}: peak={format_g(peak)} is below {format_g(_LOWEST_PEAK)}, far from any "
            "learning rate a model trains with",
            hint="give the peak learning rate, e.g. peak=3e-4",
        )
    if end < 0:
        raise ConfigError(f"schedule {spec!r}: end={format_g(end)} must be >= 0")
    if kind in _DECAYING and end > peak:
        raise ConfigError(
            f"schedule {spec!r}: end={format_g(end)}{whence.get('end', '')} is above "
            f"peak={format_g(peak)}{whence['peak']}: a {kind} schedule decays from its peak to its end",
            hint=f"give an end below the peak (end={format_g(peak / 10, 3)}), or a higher peak=",
        )
    rest_steps, final = steps - warmup, end / peak
    if kind == "constant":
        after: pieces.Schedule = pieces.constant(1.0)
    elif kind == "cosine":
        after = pieces.cosine(rest_steps, final=final)
    elif kind == "linear":
        after = pieces.linear(rest_steps, final=final)
    elif kind == "wsd":
        after = _wsd(spec, rest_steps, number("decay", 0.2), steps, opts.get("shape", "exp"), final)
    else:
        after = multistep_piece(spec, opts, warmup, peak, steps)
    sched = pieces.join([_warmup(warmup), after], boundaries=[warmup])
    lr = peak * np.array([sched(s) for s in range(steps)], dtype=np.float64)
    notes = within_warmup(opts, warmup) if kind == "multistep" else ()
    return Schedule(lr, warmup=warmup, spec=_canonical(kind, opts), notes=notes)


def spec_keys(spec: str) -> tuple[str, dict[str, str]]:
    """A spec's kind and the values it gives, by key, as written (``wsd:0.2`` gives
    ``decay``): ``("wsd", {"decay": "0.2"})``.

    Raises:
        ConfigError: for an unknown kind, a part that does not read as ``key=value``, a key
            the kind does not take, or one given twice.
    """
    check_text(spec, what="a schedule", example="'cosine:peak=3e-4,steps=24000', or a Schedule")
    kind, _, rest = spec.strip().partition(":")
    kind = kind.strip().lower()
    if (spacing := spaced(spec, SCHEDULE_KINDS)) is not None and (
        kind not in SCHEDULE_KINDS or re.search(r"\w\s+\w", rest)
    ):  # `cosine peak=3e-3 steps=2000`: said as such, not as an unknown kind or key
        raise spacing
    if kind not in SCHEDULE_KINDS:
        raise ConfigError(
            f"schedule {spec!r}: unknown kind {kind!r}{did_you_mean(kind, SCHEDULE_KINDS)}",
            hint=f"use one of {', '.join(SCHEDULE_KINDS)}, e.g. 'cosine:peak=3e-4,steps=24000'",
        )
    given: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, eq, value = part.partition("=")
        key = key.strip().lower()
        if any("=" in v for v in value.split(";")):  # peak=3e-4;steps=24000: ';' for ','
            fixed = spec.strip().replace(part, part.replace(";", ","))
            raise ConfigError(
                f"schedule {spec!r}: {part!r} holds two keys: keys are separated by commas "
                "(';' separates the values of multistep's at= and lr=)",
                hint=f"write {fixed!r}",
            )
        if not eq and kind == "wsd" and "decay" not in rest:
            key, value = "decay", part  # wsd:0.2
        elif not eq or key not in _KEYS:
            listed = kind == "multistep" and not eq and part.replace(".", "").isdigit()
            slip = did_you_mean(key, _KEYS) if eq else ""  # stpes=24000: steps
            raise ConfigError(
                f"schedule {spec!r}: cannot read {part!r}{slip}",
                hint="multistep lists with ';': at=8000;12000,lr=9e-5;3e-5"
                if listed
                else f"write key=value with keys {', '.join(sorted(_KEYS))}",
            )
        if key not in _COMMON | _OWN.get(kind, set()):
            raise ConfigError(
                f"schedule {spec!r}: {kind} takes no {key}=",
                hint=f"its keys are {', '.join(sorted(_COMMON | _OWN.get(kind, set())))}",
            )
        if key in given:
            raise ConfigError(f"schedule {spec!r}: {key}= is given twice", hint="keep one")
        given[key] = value.strip()
    return kind, given


def _warmup(steps: int) -> pieces.Schedule:
    # linear from 0 at step 0 to the peak at step `steps` (the shared curves' convention:
    # lr = peak·s/warmup), so the first post-warm-up step is exactly the peak
    return lambda s: s / steps if steps > 0 else 1.0


def _wsd(
    spec: str, rest: int, decay: float, steps: int, shape: str, final: float
) -> pieces.Schedule:
    if not 0 < decay <= 1:
        raise ConfigError(f"schedule {spec!r}: decay={decay} must be a fraction in (0, 1]")
    if shape not in _SHAPES:
        raise ConfigError(f"schedule {spec!r}: shape={shape!r} is not one of {', '.join(_SHAPES)}")
    if shape == "exp" and final == 0:  # a geometric decay never reaches 0
        raise ConfigError(
            f"schedule {spec!r}: an exponential decay (shape=exp, wsd's default) never "
            "reaches end=0",
            hint="to decay to 0, say how: shape=linear or shape=sqrt (1-sqrt); or keep "
            "shape=exp with an end above 0 (end=3e-6)",
        )
    n = min(max(1, round(decay * steps)), rest)

    def decay_piece(k: int) -> float:
        u = min(k, n) / n
        if shape == "exp":  # geometric from 1 to final
            return float(final**u)
        if shape == "linear":
            return 1.0 - (1.0 - final) * u
        return final + (1.0 - final) * (1.0 - math.sqrt(u))  # 1 - sqrt (Hägele et al. 2024)

    return pieces.join([pieces.constant(1.0), decay_piece], boundaries=[rest - n])


def _canonical(kind: str, opts: Mapping[str, str]) -> str:
    keys = sorted(set(opts) - _UNUSED.get(kind, set()))
    return kind + ":" + ",".join(f"{k}={_short(opts[k])}" for k in keys)


def _short(value: str) -> str:
    """A number as people write it (``3e-05``, ``2160``), not as float arithmetic left it
    (``2.9999999999999997e-05``, ``2160.0``); other text as it is."""
    try:
        number = float(value)
    except ValueError:
        return value
    return f"{number:.12g}"


def _number(key: str, text: str = "") -> str:
    """The hint for a value that is no finite number: ``decay`` is a fraction of the steps
    (``decay=20%`` is ``decay=0.2``), the other keys read as numbers learning rates."""
    if key == "decay":
        said = text.strip().removesuffix("%")
        try:  # a percentage: the fraction it means
            fraction = format_g(float(said) / 100) if text.strip().endswith("%") else "0.2"
        except ValueError:
            fraction = "0.2"
        return f"give decay as the fraction of the steps spent decaying: decay={fraction}"
    return f"give {key} as a learning rate such as 3e-4"


def _missing(key: str) -> str:
    """The hint for a spec without ``key``: a fit fills the peak (its curves' median), never
    the steps (a schedule's length is the question asked of it)."""
    if key == "steps":
        return (
            "add steps=N, the total steps, warm-up included (steps=24000 or steps=24K): "
            "nothing fills it, a fitted curve law neither"
        )
    return (
        f"add {key}=...; a fitted curve law fills it from its curves "
        "(CurveFit.predict(spec), curves predict --fit)"
    )
