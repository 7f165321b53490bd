"""The calibrated interval: how rolling-origin residuals become a prediction interval's width.

:mod:`._extrapolation` measures, for a few cuts on the training scales, the log residual
``r`` of every run above each cut and its distance ``d`` in decades beyond the cut's data.
They are modelled as

    r ~ s · z,    s² = σ² + κ²·d^p

with σ the full fit's run-to-run noise, p = 2 (an error in the exponent: the miss grows in
proportion to the distance) or p = 1 (the miss wanders, growing as its square root), and κ
the growth per decade of the extrapolation error, both of the larger Student-t (4 degrees
of freedom) likelihood, so a few wild runs do not set them. The scores ``|r| / s``
calibrate the width the way split conformal prediction does: the interval at ``d`` decades
beyond the full fit's data is ``loss · exp(±q·s(d))``, ``q`` the level-quantile of the
scores. Two principles set the rest:

**A backtest residual is the whole error of an extrapolation.** It holds the cut fit's
parameter error, the law's misfit and the noise together, and is used as it is: the cut's
bootstrap spread is not subtracted (an earlier model, ``s² = σ² + b² + κ²·d^p`` with ``b``
the spread, did). That spread comes from 40 resamples of the runs below a cut (one or two
dozen on the over-training models), whose fits are mostly not identified (E collapsing to 0, A spanning decades: the checks of
:mod:`._diagnostics` fire on most cut fits, of real runs and simulated alike), and the
bootstrap is not a consistent estimate of parameter error at a boundary (Andrews 2000). On
the over-training models the cut spreads' median moved from 0.024 to 0.056 between seeds,
so the spread explained away a different part of the same residuals each time and
coverage at nominal 80% ranged over 26-65% across five seeds (tripling the resamples:
22-65%). Without it the width is a deterministic function of the cut fits' optima. The
price: the full fit, on more runs than any cut, has less parameter error than the cuts, so
where parameter error is all there is (a correct law, simulated) the interval is wider
than nominal asks (``benchmarks/RESULTS.md`` gives the figures).

**One backtest, one vote.** The residuals of one cut share that cut's fit, so they are one
observation of "fit below a scale, extrapolate above it", not independent draws; and the
lowest cut, with the most runs above it, would otherwise carry most of the weight (109 of
329 residuals on the Chinchilla points, 23 for the highest cut), although the highest cuts,
fitted on most of the data and extrapolating from its top, are the backtests most like the
full fit's own extrapolation. So each cut weighs the same: a residual of a cut with ``n``
runs above it weighs ``1/n``, in the likelihood of (κ, p) and in the quantile. The
quantile is the weighted split-conformal one of Barber, Candès, Ramdas and Tibshirani
(2023, "Conformal prediction beyond exchangeability"): the smallest score whose weighted
share, with the new point's mass (one residual of the smallest cut) put at +∞, reaches the
level; with equal weights it is the ``⌈(n+1)·level⌉``-th smallest score.

A result stored before these two changes (no ``sizes`` in its JSON) is read as it was
made: spreads in the scale, every residual weighing the same.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Extrapolation", "cut_weights", "growth", "weighted_quantile"]

Array = NDArray[np.float64]
#: Degrees of freedom of the Student-t likelihood of the residuals.
_NU = 4.0
#: κ values tried (per decade): none, and a geometric grid from 1e-4 to 1.
_KAPPAS = np.concatenate([[0.0], np.geomspace(1e-4, 1.0, 240)])


@dataclass(frozen=True)
class Extrapolation:
    """Extrapolation error measured by rolling-origin backtests on the fitted runs.

    Attributes:
        kind: ``"backtest-calibrated"`` when the scores calibrate the intervals, else
            ``"bootstrap"`` (intervals from the bootstrap and the noise alone).
        reason: Why this kind, in words.
        reach: Largest fitted value of each variable (and of ``N*D``): distances are
            decades beyond these.
        distances: Distance in decades of each backtest residual beyond its cut's fit.
        residuals: Log residual ``log(actual) - log(predicted)`` of each, in the same order.
        spreads: Bootstrap spread (log standard deviation) of each cut's prediction there.
        sigma: Run-to-run noise of the full fit (log-space standard deviation).
        slope: κ, growth of the extrapolation error's scale per decade.
        cuts: Compute (or variable) value of each cut whose fit counted.
        power: p of ``s(d)² = σ² + κ²·d^p``: 2 (linear growth) or 1 (square-root growth).
        sizes: Residuals of each cut, in order (they are concatenated cut by cut); empty
            when every residual weighs the same.
        with_spreads: Whether the scale holds the bootstrap spreads (``s² = σ² + b² +
            κ²·d^p``, results stored before the change) or not (the current model).
    """

    kind: str
    reason: str
    reach: Mapping[str, float]
    distances: Array
    residuals: Array
    spreads: Array
    sigma: float
    slope: float
    cuts: tuple[float, ...] = ()
    power: float = 2.0
    sizes: tuple[int, ...] = ()
    with_spreads: bool = False

    @property
    def calibrated(self) -> bool:
        return self.kind == "backtest-calibrated"

    @property
    def weights(self) -> Array:
        """Weight of each residual: ``1/n`` for a cut with ``n`` residuals (all 1 without sizes)."""
        return cut_weights(self.sizes, len(self.residuals))

    def scale(self, d: Array, spread: Array | float = 0.0) -> Array:
        """``s``: scale of the log error at ``d`` decades beyond the data (``spread``, the
        bootstrap spread of the prediction there, counts only :attr:`with_spreads`)."""
        d = np.maximum(np.asarray(d, dtype=np.float64), 0.0)
        b = np.asarray(spread, dtype=np.float64) if self.with_spreads else 0.0
        return np.asarray(np.sqrt(self.sigma**2 + b**2 + self.slope**2 * d**self.power))

    def quantile(self, level: float) -> float:
        """Weighted split-conformal quantile of the scores ``|r| / s`` at ``level``."""
        s = self.scale(self.distances, self.spreads)
        scores = np.abs(self.residuals) / np.maximum(s, 1e-12)
        return weighted_quantile(scores, self.weights, level)

    def half_width(self, d: Array, spread: Array | float, level: float) -> Array:
        """Log half-width of the calibrated interval at ``d`` decades beyond the data."""
        return self.quantile(level) * self.scale(d, spread)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "reason": self.reason,
            "reach": dict(self.reach),
            "distances": [float(v) for v in self.distances],
            "residuals": [float(v) for v in self.residuals],
            "spreads": [float(v) for v in self.spreads],
            "sigma": self.sigma,
            "slope": self.slope,
            "cuts": list(self.cuts),
            "power": self.power,
            "sizes": list(self.sizes),
            "with_spreads": self.with_spreads,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Extrapolation:
        return cls(
            kind=str(d["kind"]),
            reason=str(d["reason"]),
            reach={k: float(v) for k, v in d["reach"].items()},
            distances=np.array(d["distances"], dtype=np.float64),
            residuals=np.array(d["residuals"], dtype=np.float64),
            spreads=np.array(d["spreads"], dtype=np.float64),
            sigma=float(d["sigma"]),
            slope=float(d["slope"]),
            cuts=tuple(float(c) for c in d["cuts"]),
            power=float(d.get("power", 2.0)),
            sizes=tuple(int(n) for n in d.get("sizes", ())),
            with_spreads=bool(d.get("with_spreads", True)),
        )


def cut_weights(sizes: tuple[int, ...], n: int) -> Array:
    """``1/size`` for each residual of each cut; all 1 when ``sizes`` is empty."""
    if not sizes:
        return np.ones(n)
    if sum(sizes) != n:
        raise ValueError(f"cut sizes {sizes} do not add up to {n} residuals")
    return np.repeat(1.0 / np.maximum(np.asarray(sizes, dtype=np.float64), 1.0), sizes)


def weighted_quantile(scores: Array, weights: Array, level: float) -> float:
    """Smallest score whose weighted share reaches ``level`` when the new point's weight
    (the largest of ``weights``) sits at +∞ (Barber et al. 2023); the largest score when
    none does (too few scores for the level). NaN without scores."""
    if len(scores) == 0:
        return math.nan
    order = np.argsort(scores, kind="stable")
    w = np.asarray(weights, dtype=np.float64)[order]
    share = np.cumsum(w) / (w.sum() + w.max())
    k = int(np.searchsorted(share, level - 1e-12))
    return float(np.asarray(scores)[order][min(k, len(order) - 1)])


def growth(d: Array, r: Array, b: Array, sigma: float, weights: Array) -> tuple[float, float]:
    """``(κ, p)`` of the larger weighted Student-t likelihood of ``r`` with scale ``s(d)``."""
    d = np.maximum(d, 0.0)
    if len(r) == 0 or not (d > 1e-3).any():
        return 0.0, 2.0
    best = (-np.inf, 0.0, 2.0)
    base = np.maximum(sigma, 1e-6) ** 2 + b**2
    for power in (2.0, 1.0):
        s = np.sqrt(base[None, :] + _KAPPAS[:, None] ** 2 * d[None, :] ** power)
        t = s * math.sqrt((_NU - 2) / _NU)  # t(ν) scaled so that its standard deviation is s
        ll = -np.log(t) - (_NU + 1) / 2 * np.log1p((r[None, :] / t) ** 2 / _NU)
        total = ll @ weights
        k = int(np.argmax(total))
        if total[k] > best[0]:
            best = (float(total[k]), float(_KAPPAS[k]), power)
    return best[1], best[2]
