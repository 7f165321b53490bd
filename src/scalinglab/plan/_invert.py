"""A prediction band inverted along a path in ``log C``: where each bound reaches a target.

One routine for every planned target met by one run: a loss (``plan --target-loss``,
:mod:`._inverse`), which falls as the compute grows, and a benchmark score (``downstream
plan``, :mod:`scalinglab.downstream._plan`), which rises. Of the band's two bounds the
*optimistic* one (a loss's lower, an accuracy's upper) reaches the target first: where it
does, below the point estimate's compute ``C*``, is the interval's lower end; the
*pessimistic* one (a loss's upper, an accuracy's lower) gives the upper end.

Each end is found in ``log C``: a walk out from ``C*`` in half decades brackets the first
crossing, and bisection narrows it to below 2e-11 in ``log C`` (each step one call of the
band at one point, so every value is the one a prediction there prints). The walk goes on to
the end of the range searched, ``[C_MIN, C_MAX]``, to check that the band is monotone: a
calibrated band widens with the distance beyond the runs, so far out its pessimistic bound
may turn back (the error grows faster than the law moves) and, for a target near the law's
limit, never reach it. An end never reached is unbounded (0 or ``inf``); that, and a bound
that crosses back within 3 decades, each get a note.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from scalinglab._format import format_flops, format_g
from scalinglab.plan._search import C_MAX, C_MIN, bisection_midpoints

__all__ = ["Crossings", "flops_text", "invert_band"]

#: Step of the walk that brackets each end, in ``log C`` (half a decade).
_STEP = 0.5 * math.log(10.0)
#: Bisection steps: half a decade / 2**36 is below 2e-11 in ``log C``.
_BISECTION_STEPS = 36
#: Bisection steps whose possible midpoints one prefetch finds together (``2**6 - 1``).
_AHEAD = 6
#: A bound crossing back this near its end (3 decades) is noted; farther, the law is long
#: past anything its runs test (the default fit's turns back 17 decades out).
_NEAR = 3 * math.log(10.0)

#: ``log C`` -> the band's ``(lower, upper)`` bounds there.
Band = Callable[[float], tuple[float, float]]


@dataclass(frozen=True)
class Crossings:
    """Where a band's bounds reach a target, in ``log C``.

    Attributes:
        lower: Where the optimistic bound reaches it (NaN: never, down to ``C_MIN``).
        upper: Where the pessimistic bound does (NaN: never, up to ``C_MAX``).
        notes: An end never reached, a bound crossing back.
    """

    lower: float
    upper: float
    notes: tuple[str, ...] = ()

    @property
    def compute(self) -> tuple[float, float]:
        """The ends as FLOPs: 0 and ``inf`` for an end never reached."""
        lower = 0.0 if math.isnan(self.lower) else math.exp(self.lower)
        return lower, math.inf if math.isnan(self.upper) else math.exp(self.upper)


@dataclass(frozen=True)
class _Walk:
    """Where a bound first reaches the target on a walk (``end``, NaN: never), where it
    crosses back past that (``again``, NaN: never), and where it came nearest before."""

    end: float
    again: float
    nearest: tuple[float, float]  # (gap to the target, log C)


def invert_band(
    band: Band,
    *,
    target: float,
    log_c: float,
    falling: bool,
    quantity: str,
    prefetch: Callable[[np.ndarray], object] | None = None,
) -> Crossings:
    """Where ``band``'s bounds reach ``target`` along ``log C``, walking out from ``log_c``.

    Args:
        band: ``log C`` -> the prediction band's ``(lower, upper)`` there.
        target: The value to reach.
        log_c: ``log C*``, where the point estimate reaches ``target``.
        falling: Whether the quantity falls as compute grows (a loss) or rises (an accuracy).
        quantity: Its name in the notes (``"loss"``, ``"accuracy"``).
        prefetch: Called with each walk's ``log C`` steps before it (the fine grid of an
            unreached end's note, and the points the next bisection steps may visit), so
            that the path under ``band`` is found for all of them at once.
    """
    w = _words(falling)
    sign = 1.0 if falling else -1.0  # in a falling quantity's terms: gap <= 0 is reached

    def optimistic(x: float) -> float:
        return sign * (target - band(x)[0 if falling else 1])

    def pessimistic(x: float) -> float:
        return sign * (band(x)[1 if falling else 0] - target)

    def steps(stop: float) -> np.ndarray:
        xs = _steps(log_c, stop)
        if prefetch is not None:
            prefetch(xs)
        return xs

    down = _walk(optimistic, steps(math.log(C_MIN)), prefetch)
    up = _walk(pessimistic, steps(math.log(C_MAX)), prefetch)
    at, notes = f"{quantity} {format_g(target)}", []
    if math.isnan(down.end):
        notes.append(
            f"the prediction interval's {w['opt']} bound stays {w['on']} {at} down to "
            f"{flops_text(C_MIN)} FLOPs, the least compute searched: the compute interval has "
            "no lower end (0)"
        )
    elif abs(down.again - down.end) <= _NEAR:  # NaN (never crosses back): False
        notes.append(
            f"the prediction interval's {w['opt']} bound {w['leaves']} {at} below "
            f"{flops_text(math.exp(down.end))} FLOPs but {w['returns']} it again near "
            f"{flops_text(math.exp(down.again))} FLOPs (it widens below the runs faster than "
            f"the law {w['down']}): the lower end is where it first crosses"
        )
    if math.isnan(up.end):
        near = up.nearest[1]
        xs = np.linspace(max(near - _STEP, log_c), min(near + _STEP, math.log(C_MAX)), 101)
        if prefetch is not None:
            prefetch(xs)
        gap, x = _lowest(pessimistic, up.nearest, xs)
        notes.append(
            f"the prediction interval's {w['pess']} bound never {w['reaches']} {at} up to "
            f"{flops_text(C_MAX)} FLOPs (from {flops_text(math.exp(log_c))} FLOPs on, its "
            f"{w['best']} is {format_g(target + sign * gap, 4)}, near {flops_text(math.exp(x))} FLOPs): "
            "a run may miss the target at any compute, and the compute interval has no upper "
            "end (∞)"
        )
    elif abs(up.again - up.end) <= _NEAR:
        notes.append(
            f"the prediction interval's {w['pess']} bound {w['reaches']} {at} at "
            f"{flops_text(math.exp(up.end))} FLOPs but {w['leaves']} it again near "
            f"{flops_text(math.exp(up.again))} FLOPs (it widens with the distance beyond the "
            f"runs faster than the law {w['up']}): the upper end is where it first "
            f"{w['reaches']} it"
        )
    return Crossings(down.end, up.end, tuple(notes))


def _words(falling: bool) -> dict[str, str]:
    """How the notes say a bound moves, for a quantity falling (a loss) or rising with
    compute (an accuracy)."""
    up, down = ("falls", "rises") if falling else ("rises", "falls")
    on, off = ("below", "above") if falling else ("above", "below")
    return {
        "opt": "lower" if falling else "upper",
        "pess": "upper" if falling else "lower",
        "on": on,  # the optimistic bound's side of the target, nearer C*
        "leaves": f"{down} {off}",
        "returns": f"{up} {on}",
        "reaches": f"{up} to",
        "up": up,  # how the law moves as compute grows
        "down": down,
        "best": "lowest" if falling else "highest",
    }


def _steps(start: float, stop: float) -> np.ndarray:
    """``log C`` from ``start`` to ``stop`` in equal steps of at most :data:`_STEP`."""
    return np.linspace(start, stop, max(1, math.ceil(abs(stop - start) / _STEP)) + 1)


def _walk(
    gap: Callable[[float], float],
    xs: np.ndarray,
    prefetch: Callable[[np.ndarray], object] | None = None,
) -> _Walk:
    """Walk the steps ``xs``: the first point where ``gap <= 0`` (bisected between it and the
    step before), the first point past it where ``gap > 0`` again, and the least gap before
    it (NaN gaps count as not reached)."""
    end, nearest = math.nan, (math.inf, float(xs[0]))
    for k, x in enumerate(map(float, xs)):
        value = gap(x)
        if math.isnan(end):
            if value <= 0:
                end = x if k == 0 else _bisect(gap, float(xs[k - 1]), x, prefetch)
            elif value < nearest[0]:
                nearest = (value, x)
        elif value > 0:
            return _Walk(end, x, nearest)
    return _Walk(end, math.nan, nearest)


def _lowest(
    gap: Callable[[float], float], near: tuple[float, float], xs: np.ndarray
) -> tuple[float, float]:
    """The least ``gap`` on the fine grid ``xs`` around the walk's nearest point ``near`` (a
    hundredth of a decade apart: what a note prints to four digits), or ``near``."""
    values = np.array([gap(float(v)) for v in xs])
    k = int(np.nanargmin(values)) if np.any(np.isfinite(values)) else 0
    return (float(values[k]), float(xs[k])) if values[k] < near[0] else near


def _bisect(
    gap: Callable[[float], float],
    outside: float,
    inside: float,
    prefetch: Callable[[np.ndarray], object] | None = None,
) -> float:
    """The point between ``outside`` (``gap > 0`` or NaN) and ``inside`` (``gap <= 0``)
    where ``gap`` reaches 0; every :data:`_AHEAD` steps ``prefetch`` gets each point the
    next ones may visit (one search of the path for them, not one a step)."""
    for k in range(_BISECTION_STEPS):
        if prefetch is not None and k % _AHEAD == 0:
            depth = min(_AHEAD, _BISECTION_STEPS - k)
            prefetch(np.array(bisection_midpoints(outside, inside, depth), dtype=float))
        mid = 0.5 * (outside + inside)
        if gap(mid) <= 0:
            inside = mid
        else:
            outside = mid
    return 0.5 * (outside + inside)


def flops_text(x: float) -> str:
    """A FLOP count as the plan table prints it, without a leading zero in the exponent."""
    mantissa, _, exponent = format_flops(x).partition("e")
    return f"{mantissa}e{int(exponent)}" if exponent else mantissa
