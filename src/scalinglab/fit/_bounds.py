"""Which coefficients of a fit ended at a bound of the fitted space, and the fit's information
criteria: one rule each for every family of laws that reports them (scaling laws, curve laws,
a downstream chain's loss step)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

__all__ = ["at_bound_names", "information_criteria"]

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

    def close(t: float, bound: float) -> bool:
        return math.isfinite(bound) and abs(t - bound) <= _CLOSE * (1 + abs(bound))

    return tuple(
        n
        for n, t, lo, hi in zip(names, fitted, lower, upper, strict=True)
        if close(float(t), float(lo)) or close(float(t), float(hi))
    )


def information_criteria(rss: float, n: int, k: int) -> tuple[float, float]:
    """AIC and BIC of a least-squares fit of ``k`` parameters to ``n`` runs with residual
    sum of squares ``rss``, under Gaussian residuals (their shared ``n·ln(rss/n)`` term)."""
    gauss = n * math.log(max(rss, 1e-300) / n)
    return gauss + 2 * k, gauss + k * math.log(n)
