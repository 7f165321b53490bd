"""Which coefficients of a fit ended at a bound of the fitted space (and which bootstrap
intervals reach one), and the fit's information criteria: one rule each for every family of
laws that reports them (scaling laws, curve laws, a downstream chain's loss step)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = [
    "MANY_AT_BOUND",
    "at_bound_names",
    "at_bounds",
    "information_criteria",
    "interval_at_bounds",
    "ranges",
]

#: A fitted value this close to a bound (relative, plus an absolute floor of the same size)
#: ended there: the solver clips to the bound, so a value that hit it sits on it to rounding.
_CLOSE = 1e-6


def at_bound_names(
    names: Sequence[str],
    fitted: Iterable[float],
    lower: Iterable[float],
    upper: Iterable[float],
) -> tuple[str, ...]:
    """The ``names`` whose ``fitted`` value (in the fitted space: logs of coefficients) sits
    on its finite ``lower`` or ``upper`` bound."""
    return tuple(
        n
        for n, t, lo, hi in zip(names, fitted, lower, upper, strict=True)
        if _close(float(t), float(lo)) or _close(float(t), float(hi))
    )


def ranges(space: Any) -> dict[str, tuple[float, float]]:
    """Each parameter's range, ``(lower, upper)`` in natural units, by name: an interval's
    end on a round one is written bare (:func:`scalinglab._cells.estimate_parts`)."""
    return {p.name: (p.lower, p.upper) for p in space.params}


def interval_at_bounds(
    interval: tuple[float, float], bounds: tuple[float, float], *, positive: bool
) -> tuple[bool, bool]:
    """Whether each end of a bootstrap ``interval`` (natural units) sits on its side's bound
    of ``bounds`` (natural units; ``positive``: judged in log space, where it is fitted), by
    the rule of :func:`at_bound_names`: resamples ended there, so the bound sets that end."""

    def fitted(v: float) -> float:
        if not positive:
            return v
        return math.log(v) if v > 0 else -math.inf

    ends = [fitted(float(v)) for v in interval]
    sides = [fitted(float(b)) for b in bounds]
    return _close(ends[0], sides[0]), _close(ends[1], sides[1])


def _close(t: float, bound: float) -> bool:
    return math.isfinite(bound) and abs(t - bound) <= _CLOSE * (1 + abs(bound))


#: Coefficients at a bound of their range from which a fit draws a warning
#: (:func:`at_bounds`): one is a constraint the fit's summary line reports; two or more mean
#: the ranges, not the data, hold the law's shape.
MANY_AT_BOUND = 2


def at_bounds(names: Sequence[str]) -> str | None:
    """The warning for :data:`MANY_AT_BOUND` or more coefficients ended at a bound of
    their range, or ``None``."""
    if len(names) < MANY_AT_BOUND:
        return None
    return (
        f"{len(names)} coefficients ended at a bound of their range ({', '.join(names)}): "
        "the bounds, not the data, hold them there, so their values and intervals are the "
        "range's and the law may not suit the data"
    )


def information_criteria(rss: float, n: int, k: int) -> tuple[float, float]:
    """AIC and BIC of a least-squares fit of ``k`` parameters to ``n`` runs with residual
    sum of squares ``rss``, under Gaussian residuals (their shared ``n·ln(rss/n)`` term)."""
    gauss = n * math.log(max(rss, 1e-300) / n)
    return gauss + 2 * k, gauss + k * math.log(n)
