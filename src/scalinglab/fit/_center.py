"""Centred coordinates for power-law terms: the same fit, a better-conditioned search.

A term ``A * N**-alpha`` fitted as ``a = log A`` couples ``a`` and ``alpha`` through
``log N`` (about 20 for parameter counts): along the valley ``a - alpha * log N = const``
the objective barely changes, and a damped Newton step, whose damping is the same in every
direction, crawls along it. Writing the term about the data's geometric mean ``N0``,

    A * N**-alpha = exp(a - alpha * log N0) * (N / N0)**-alpha,

and solving for ``a' = a - alpha * log N0`` instead of ``a`` is a linear change of
coordinates: the objective is the same function, its minima are the same points, but the
valley is no longer diagonal. On the Chinchilla points and the Epoch grid, twice as many
starts reach the best optimum in these coordinates (about 3,300 of 4,500 rather than
1,700). Every result is mapped back, so nothing outside the solver sees them.

A term qualifies when its coefficient is fitted as a log with no bounds, its exponent as
itself (the shift ``alpha * log N0`` is then linear in the fitted vector, which
:mod:`._delta` relies on), and both the coefficient and the variable appear nowhere else
in the law (so scaling the variable changes only that term).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab.fit._objective import Array
from scalinglab.fit._terms import power_terms, symbol_counts
from scalinglab.laws import Law

__all__ = ["Centering", "centering_for"]


@dataclass(frozen=True)
class Centering:
    """The map between a law's fitted vector ``theta`` and the solver's centred one.

    Attributes:
        terms: ``(coefficient index, exponent index, log N0)`` per centred term.
        scale: Each centred variable's geometric mean ``N0``.
    """

    terms: tuple[tuple[int, int, float], ...] = ()
    scale: Mapping[str, float] | None = None

    def data(self, data: Mapping[str, Array]) -> dict[str, Array]:
        """The variables the solver's law is bound to: centred ones divided by ``N0``."""
        scale = self.scale or {}
        return {s: v / scale[s] if s in scale else v for s, v in data.items()}

    def to_solver(self, theta: Array) -> Array:
        """Fitted vectors ``(..., K)`` to centred ones: ``a' = a - alpha * log N0``."""
        out = np.array(theta, dtype=np.float64, copy=True)
        for coef, expo, log0 in self.terms:
            out[..., coef] -= log0 * out[..., expo]
        return out

    def from_solver(self, theta: Array) -> Array:
        """Centred vectors ``(..., K)`` back to the law's fitted space."""
        out = np.array(theta, dtype=np.float64, copy=True)
        for coef, expo, log0 in self.terms:
            out[..., coef] += log0 * out[..., expo]
        return out


def centering_for(law: Law, data: Mapping[str, Array]) -> Centering:
    """The centring of every qualifying ``coef * X**-expo`` term of ``law`` on ``data``.

    Returns the identity (no terms) for laws without such terms, such as user formulas
    that write the power law another way; the fit is then run in the law's own space.
    """
    expr = law.expression()
    counts = symbol_counts(expr)
    index = {p.name: k for k, p in enumerate(law.params)}
    unbounded_log = {
        p.name for p in law.params if p.positive and all(math.isinf(b) for b in p.fitted_bounds)
    }
    # an exponent fitted as its log would need a' = a - exp(t) * log N0: not linear
    linear = {p.name for p in law.params if not p.positive}
    terms: list[tuple[int, int, float]] = []
    scale: dict[str, float] = {}
    for coef, var, expo in power_terms(expr):
        if coef not in unbounded_log or expo not in linear or var not in law.variables:
            continue
        if counts[coef] != 1 or counts[var] != 1 or var in scale:
            continue
        x = np.asarray(data[var], dtype=np.float64)
        if x.size == 0 or not np.all(np.isfinite(x) & (x > 0)):
            continue
        log0 = float(np.mean(np.log(x)))
        scale[var] = math.exp(log0)
        terms.append((index[coef], index[expo], log0))
    return Centering(tuple(terms), scale) if terms else Centering()
