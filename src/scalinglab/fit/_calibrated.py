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
scores. Three principles set the rest:

**A backtest residual is the whole error of an extrapolation.** It holds the cut fit's
parameter error, the law's misfit and the noise together, and is used as it is: the cut's
bootstrap spread is not subtracted (an earlier model, ``s² = σ² + b² + κ²·d^p`` with ``b``
the spread, did). That spread comes from 40 resamples of the runs below a cut (one or two
dozen on the over-training models), whose fits are mostly not identified (E collapsing to
0, A spanning decades: :mod:`._diagnostics` fires on most cut fits, real or simulated), and
the bootstrap is not a consistent estimate of parameter error at a boundary (Andrews 2000). On
the over-training models the cut spreads' median moved from 0.024 to 0.056 between seeds,
so the spread explained away a different part of the same residuals each time and
coverage at nominal 80% ranged over 26-65% across five seeds (tripling the resamples:
22-65%). Without it the width is a deterministic function of the cut fits' optima. The
price: the full fit, on more runs than any cut, has less parameter error than the cuts, so
where parameter error is all there is (a correct law, simulated) the interval is wider
than nominal asks (``benchmarks/RESULTS.md`` gives the figures; most of that excess was
the diverged runs, see the third principle).

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

(That +∞ mass is one residual's, ``1/n`` of the highest cut, not a whole vote: with five
cuts as the only exchangeable units, a whole vote at +∞ leaves 5/6 < 0.9 of the mass below
it and every 90% interval infinite. The quantile is not interpolated between scores: the
smallest score reaching the level is the conservative, finite-sample one.) Past the scores'
mass (:attr:`Extrapolation.max_level`; ``n/(n+1)`` for ``n`` equal weights) the interval is
unbounded, as conformal practice has it: the largest score was a lower level's interval.

**A backtest counts where it stands in for the full fit.** A cut fitted under the
diagnostics' line for a reliable fit (5 runs per parameter) misses by parameter error that
a full fit over the line does not have: on the simulated IsoFLOP ladders (a correct law,
42 runs), the cuts fitted on 14 and 21 runs missed half a decade out by 0.036 and 0.023
(root-mean-square log error, 200 ladders), those on 28 and 35 by 0.020 and 0.019, the full
fit by 0.018; their votes widened its intervals past nominal (89% at 80%). So where the
full fit has 5 runs per parameter, only the cuts fitted on as many count, if at least two
of them give :data:`~._extrapolation.MIN_SCORES` scores; otherwise every cut with 2 per
parameter does, as where the full fit is itself under the line (the over-training models:
24 runs for 5 parameters), whose small cuts are its fair analogs.

**A diverged run is not scored.** The interval is for the loss of a run that trains
normally: σ is a median absolute deviation, which a diverged run does not move, and the
Huber fit gives such a run little pull. A run whose loss lies above the full fit by more
than ``max(8σ, 0.1)`` in log (the rule :mod:`scalinglab.data._outliers` applies to a
trend) keeps its residuals in the record (:attr:`Extrapolation.diverged`), but they are
left out of the scores and of the likelihood of (κ, p); otherwise one diverged run, above
every cut, is scored once per cut, and the intervals widen to hold divergences the noise
model excludes (on the simulated ladders, two diverged fitted runs per ladder were most
of the over-coverage the second round measured: ``benchmarks/RESULTS.md``).

**Measured, not the default: the delta method.** ``s² = σ² + v + κ²·d^p`` with ``v`` the
delta-method variance of each prediction (:mod:`._delta`: each cut's own at its residuals,
the full fit's at prediction) takes the cut fits' parameter error out of κ
deterministically. Where cut fits are not identified it explains misses away that a law
misfit made (over-training models, RedPajama: a cut's ``v`` equal to its residuals), and
held-out coverage at 80% fell to 65%; so ``v`` is recorded (``deltas``, ``covariance``) and
not used by default (``with_delta``).

**Never under the noise.** The half-width is at least ``z·σ_full`` (``z`` the normal
quantile of the level, ``σ_full`` the fuller noise scale of
:func:`~._prediction.full_noise_scale`). A few cuts' scores can put ``q`` under ``z``, and
inside the data (``s = σ``) ``q·σ`` is then narrower than the noise every new run carries;
σ, the MAD of a Huber fit's residuals, understates that noise besides. σ itself is kept
(a larger one narrowed the Chinchilla points' intervals); only the floor uses ``σ_full``
(loss-to-loss, 50 synthetic sets: 81.5% at nominal 90% before, 87.2% after:
``benchmarks/RESULTS.md``).

A result stored before these changes is read as it was made (:mod:`._calibrated_json`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab import _repr
from scalinglab._format import format_counted, format_level
from scalinglab._quantiles import weighted_quantile, weighted_reach
from scalinglab.fit import _calibrated_json as _json
from scalinglab.fit._growth import growth

__all__ = ["Extrapolation", "cut_weights", "growth", "weighted_quantile"]

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Extrapolation:
    """Extrapolation error measured by rolling-origin backtests on the fitted runs.

    Attributes:
        kind: ``"backtest-calibrated"`` when the scores calibrate the intervals, else
            ``"bootstrap"`` (intervals from the bootstrap and the noise alone).
        reason: Why this kind, in words.
        reach: Largest fitted value of each variable (and of ``N*D``, and of tokens per
            parameter ``D/N``, which only the reported distance counts, not the width
            model: :mod:`._reach`): distances are decades beyond these (or below :attr:`floor`).
        distances: Distance in decades of each backtest residual beyond its cut's fit.
        residuals: Log residual ``log(actual) - log(predicted)`` of each, in the same order.
        spreads: Bootstrap spread (log standard deviation) of each cut's prediction there.
        sigma: Run-to-run noise of the full fit (log-space standard deviation).
        slope: κ, growth of the extrapolation error's scale per decade.
        cuts: Where each cut whose fit counted lies: ``N·D`` (params times tokens, not
            FLOPs) for a law of both, else the product of its variables.
        power: p of ``s(d)² = σ² + κ²·d^p``: 2 (linear growth) or 1 (square-root growth).
        sizes: Residuals of each cut, in order (they are concatenated cut by cut); empty
            when every residual weighs the same.
        with_spreads: Whether the scale holds the bootstrap spreads (``s² = σ² + b² +
            κ²·d^p``, results stored before the change) or not (the current model).
        deltas: Delta-method standard deviation of each cut's log prediction at each
            residual (:mod:`._delta`), in the same order; empty when not measured.
        covariance: The full fit's parameter covariance in the law's fitted space, ``(K,
            K)`` (delta method), or ``None`` when not measured.
        with_delta: Whether the scale is ``s² = σ² + v + κ²·d^p`` with ``v`` the
            delta-method variance of the prediction (:attr:`deltas` for the cuts,
            :attr:`covariance` at prediction); not the default (:mod:`._calibrated` and
            ``benchmarks/RESULTS.md`` say why).
        diverged: Which residuals belong to runs the full fit calls diverged (their log
            residual above it beyond ``max(8σ, 0.1)``, the rule of
            :mod:`scalinglab.data._outliers`): kept here, left out of the scores; empty
            when none is (results stored before the change count every residual).
        floor: Smallest fitted value of each variable (and of ``N*D``, ``D/N``): below it is as far
            out as above :attr:`reach` (the error measured upward assumed downward); empty
            in results stored before it, whose distances count only above.
        sigma_full: The full fit's fuller noise scale (:func:`~._prediction.full_noise_scale`):
            the half-width is at least ``z·sigma_full``; ``None`` (no floor) in results
            stored before it, 0 where it is not measured (a linear-space fit).
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
    deltas: Array = field(default_factory=lambda: np.zeros(0))
    covariance: Array | None = None
    with_delta: bool = False
    diverged: NDArray[np.bool_] = field(default_factory=lambda: np.zeros(0, dtype=bool))
    floor: Mapping[str, float] = field(default_factory=dict)
    sigma_full: float | None = 0.0

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.extrapolation(self)

    @property
    def calibrated(self) -> bool:
        return self.kind == "backtest-calibrated"

    @property
    def measured(self) -> float:
        """Farthest distance, in decades beyond a cut's data, of a scored residual (0: none)."""
        d = self.distances[self.scored]
        return float(np.max(d)) if len(d) else 0.0

    @property
    def scored(self) -> NDArray[np.bool_]:
        """Which residuals the scores count: all but those of diverged runs."""
        if len(self.diverged) == 0:
            return np.ones(len(self.residuals), dtype=bool)
        return np.asarray(~self.diverged, dtype=bool)

    @property
    def weights(self) -> Array:
        """Weight of each scored residual: ``1/n`` for a cut with ``n`` scored residuals
        (all 1 without sizes)."""
        keep = self.scored
        if not self.sizes:
            return np.ones(int(keep.sum()))
        cut_weights(self.sizes, len(self.residuals))  # checks the sizes
        cut = np.repeat(np.arange(len(self.sizes)), self.sizes)[keep]
        kept = np.bincount(cut, minlength=len(self.sizes)).astype(np.float64)
        return np.asarray(1.0 / np.maximum(kept, 1.0), dtype=np.float64)[cut]

    @property
    def model(self) -> str:
        """Which scale: ``"delta"`` (``s² = σ² + v + κ²·d^p``, ``v`` the delta-method
        variance), ``"spreads"`` (the cut's bootstrap spread in place of ``v``) or
        ``"whole"`` (``s² = σ² + κ²·d^p``: a backtest residual as the whole error)."""
        if self.with_delta and self.covariance is not None:
            return "delta"
        return "spreads" if self.with_spreads else "whole"

    @property
    def cut_spreads(self) -> Array:
        """Parameter error of each cut's prediction at each residual, as the scale counts it."""
        model = self.model
        if model == "delta":
            return self.deltas
        return self.spreads if model == "spreads" else np.zeros_like(self.residuals)

    def scale(self, d: Array, spread: Array | float = 0.0) -> Array:
        """``s``: scale of the log error at ``d`` decades beyond the data (``spread``, the
        parameter error of the prediction there, counts unless the model is ``"whole"``)."""
        d = np.maximum(np.asarray(d, dtype=np.float64), 0.0)
        b = np.asarray(spread, dtype=np.float64) if self.model != "whole" else 0.0
        return np.asarray(np.sqrt(self.sigma**2 + b**2 + self.slope**2 * d**self.power))

    def quantile(self, level: float) -> float:
        """Weighted split-conformal quantile of the scores ``|r| / s`` (+∞ past max_level)."""
        keep = self.scored
        s = self.scale(self.distances[keep], self.cut_spreads[keep])
        scores = np.abs(self.residuals[keep]) / np.maximum(s, 1e-12)
        return weighted_quantile(scores, self.weights, level)

    @property
    def max_level(self) -> float:
        """Highest level the scored residuals calibrate; past it the interval is unbounded."""
        return weighted_reach(self.weights)

    def level_note(self, level: float) -> str | None:
        """Why the interval at ``level`` is unbounded, or ``None`` (reachable, or uncalibrated)."""
        why = self.unbounded_why(level)
        if why is None:
            return None
        return (
            f"the {format_level(level)} interval is unbounded: {why} (conformal); "
            f"ask {self.top_level} or less for a bounded one"
        )

    def unbounded_why(self, level: float) -> str | None:
        """:meth:`level_note`'s reason alone (``"11 backtest residuals from 2 cuts calibrate
        levels up to 88.8%, no higher"``), for a caption; ``None`` where it is bounded."""
        if not self.calibrated or level <= self.max_level + 1e-12:
            return None
        n, cuts = int(self.scored.sum()), len(self.sizes) or len(self.cuts)
        return (
            f"{n} backtest residuals from {format_counted(cuts, 'cut')} calibrate levels up to "
            f"{self.top_level}, no higher"
        )

    @property
    def top_level(self) -> str:
        """:attr:`max_level` as a percentage rounded down, so that it is reachable: ``88.8%``."""
        return f"{math.floor(self.max_level * 1000 + 1e-9) / 10:g}%"

    def half_width(self, d: Array, spread: Array | float, level: float) -> Array:
        """Log half-width of the calibrated interval at ``d`` decades beyond the data: ``q·s``,
        never under ``z·sigma_full``, the noise's own (module docstring)."""
        qs, floor = self.widths(d, spread, level)
        return np.maximum(qs, floor)

    def widths(self, d: Array, spread: Array | float, level: float) -> tuple[Array, float]:
        """The two candidates for :meth:`half_width` at ``d`` decades: ``q·s`` (``inf``
        past :attr:`max_level`, even at ``s = 0``) and the floor ``z·sigma_full`` (0 where
        no ``sigma_full`` was stored); the wider sets the width."""
        q, s = self.quantile(level), self.scale(d, spread)
        qs = np.full_like(s, q) if math.isinf(q) else q * s
        return qs, NormalDist().inv_cdf(0.5 + level / 2) * (self.sigma_full or 0.0)

    def to_dict(self) -> dict[str, Any]:
        return _json.to_dict(self)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Extrapolation:
        return _json.from_dict(cls, d)


def cut_weights(sizes: tuple[int, ...], n: int) -> Array:
    """``1/size`` for each residual of each cut; all 1 when ``sizes`` is empty."""
    if not sizes:
        return np.ones(n)
    if sum(sizes) != n:
        raise ValueError(f"cut sizes {sizes} do not add up to {n} residuals")
    return np.repeat(1.0 / np.maximum(np.asarray(sizes, dtype=np.float64), 1.0), sizes)
