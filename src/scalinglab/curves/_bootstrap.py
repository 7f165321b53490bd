"""The whole-curve bootstrap of a curve fit, and its interval.

Resamples draw whole curves (every point of a curve gets its curve's count): points of one
curve share a run's noise and its schedule, so resampling points would treat 170 correlated
points as 170 independent ones and give intervals far too narrow. All resamples are solved
in one batch: a screening solve from a few starts each, then a short polish on the exact law.

The wild cluster bootstrap (``resample="wild"``) keeps every curve, and so every schedule, in
every resample and draws new losses instead: each curve's residuals from the fit, multiplied
as a block by one weight with mean 0 and variance 1, are added back to the fitted curve
(Cameron, Gelbach and Miller 2008, "Bootstrap-based improvements for inference with
clustered errors"). The weights are Webb's six-point distribution (Webb 2023, "Reworking
wild bootstrap-based inference for clustered errors"), made for few clusters, where
Rademacher signs give only ``2^m`` distinct resamples. Measured and not the default: its
intervals are too narrow (90% intervals cover 57-77% on synthetic Tissue and power-law fits,
70% for the multi-power law's held-out loss; ``benchmarks/RESULTS.md``), since the residuals a
fit leaves understate each curve's offset, which the fit partly absorbs. ``"wild-jackknife"``
takes each curve's residuals from the fit without that curve instead: near nominal for Tissue
and the power law in S1 (82-92% at 90%), but over-covering the multi-power law as much as
whole curves do (95-100% for most of its coefficients); not the default either.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._progress import Progress
from scalinglab.fit._bootstrap import resample_starts
from scalinglab.fit._objective import Objective
from scalinglab.fit._solver import minimize

__all__ = [
    "RESAMPLES",
    "SCREEN_STEPS",
    "bootstrap_curves",
    "interval_tail",
    "percentile_interval",
]

Array = NDArray[np.float64]

#: The resampling schemes :func:`bootstrap_curves` knows (the default first).
RESAMPLES = ("curves", "bayesian", "wild", "wild-jackknife")
#: Webb's six-point weights (mean 0, variance 1), drawn with equal probability.
WEBB = np.array([-math.sqrt(1.5), -1.0, -math.sqrt(0.5), math.sqrt(0.5), 1.0, math.sqrt(1.5)])
SCREEN_STEPS = 60  # Newton steps of a screening solve
_POLISH_STEPS = 30  # a resample's polish starts at its screening optimum: a few Newton steps


def bootstrap_curves(
    screen: Objective,
    objective: Objective,
    grid: Array,
    optima: Array,
    f_optima: Array,
    sizes: Sequence[int],
    screen_sizes: Sequence[int],
    *,
    n: int,
    per: int,
    seed: int,
    lower: Array,
    upper: Array,
    max_iter: int,
    resample: str = "curves",
    fixed: Array | None = None,
    progress: Progress | None = None,
    canonical: Sequence[int] | None = None,
) -> tuple[Array, Array, int]:
    """Refit ``n`` resamples of whole curves, each from ``per`` starts, in one batch:
    ``(theta, weights, failed)``: the optima, each curve's weight ``(R, curves)`` of the
    resamples solved, and how many failed.

    ``resample="curves"`` draws whole curves with replacement (multinomial counts);
    ``"bayesian"`` gives every curve a weight from Dirichlet(1, ..., 1) times the number of
    curves (Rubin 1981's Bayesian bootstrap: every curve kept, no resample without a
    schedule kind); ``"wild"`` keeps every curve and redraws its losses (the module's
    docstring: each curve's residuals at ``optima[0]``, the fit, times one Webb weight).
    ``fixed``: weights of pseudo-observations after the points (a ridge's), the same in
    every resample. ``progress("bootstrap", done, n)`` counts resamples, as :func:`fit`'s
    does: the work done (the Newton steps of the starts, then, when a screening law is
    polished, of the polishes, as a share of the steps budgeted; or the problems finished,
    where more) as a share of ``n``, in roughly even steps.
    ``canonical``: the curves in the order they are drawn in (``canonical[k]`` is the
    index of the k-th; by run name), so that a seed draws the same resamples whatever the
    order the curves were given in; default, as given.
    """
    rng = np.random.default_rng(seed)
    m = len(sizes)
    perm = np.arange(m) if canonical is None else np.asarray(canonical, dtype=np.int64)
    thin = None if fixed is None or screen.weights is None else screen.weights[0, -len(fixed) :]
    if resample in ("wild", "wild-jackknife"):
        v = _given(WEBB[rng.integers(0, len(WEBB), size=(n, m))], perm)
        counts = np.ones((n, m))
        jack = (lower, upper, max_iter) if resample == "wild-jackknife" else None
        targets = _wild(objective, optima[0], v, sizes, jack)
        screen_targets = (
            targets if screen is objective else _wild(screen, optima[0], v, screen_sizes, jack)
        )
    elif resample not in RESAMPLES:
        raise ValueError(f"unknown resampling {resample!r}")
    else:
        if resample == "bayesian":
            counts = _given(m * rng.dirichlet(np.ones(m), size=n), perm)
        else:  # a draw of k is the k-th curve in the canonical order
            counts = np.zeros((n, m))
            drawn = perm[rng.integers(0, m, size=n * m)]
            np.add.at(counts, (np.repeat(np.arange(n), m), drawn), 1.0)
        targets, screen_targets = objective.target, screen.target
    weights = _with_fixed(np.repeat(counts, sizes, axis=1), fixed)
    starts = resample_starts(rng, grid, optima, f_optima, n=n, per=per)
    screen_steps = max_iter if screen is objective else min(max_iter, SCREEN_STEPS)
    polish_steps = 0 if screen is objective else min(max_iter, _POLISH_STEPS)

    def report(offset: int, steps: int) -> Callable[[int, int], None] | None:
        if progress is None:
            return None
        # in resamples, as a share of the Newton steps budgeted, which take about even time:
        # counted by problems finished, the bar stalled until the first, then jumped at
        # the step limit (0, 28, 68, then 200 of 200 for 200 multi-power resamples)
        total, taken, shown = screen_steps + polish_steps, [0], [0]

        def heard(done: int, size: int) -> None:
            taken[0] += 1  # minimize calls once per Newton step, then once at its end
            share = 1.0 if done >= size else max(done / size, min(taken[0] / steps, 1.0))
            shown[0] = max(shown[0], int(n * (offset + share * steps) / total))
            progress("bootstrap", shown[0], n)

        return heard

    boot = Objective(
        screen.program,
        screen_targets,
        screen.loss,
        True,
        _with_fixed(np.repeat(counts, screen_sizes, axis=1), thin),
    )
    solved = minimize(
        boot,
        starts.reshape(n * per, -1),
        lower=lower,
        upper=upper,
        groups=np.repeat(np.arange(n), per),
        max_iter=screen_steps,
        ftol=1e-12 if screen is objective else 1e-8,
        threads=1,
        progress=report(0, screen_steps),
    )
    f = np.where(np.isfinite(solved.objective), solved.objective, np.inf).reshape(n, per)
    best = np.argmin(f, axis=1)
    theta = solved.theta.reshape(n, per, -1)[np.arange(n), best]
    if screen is not objective:  # polish each resample's best on the exact law
        exact = Objective(objective.program, targets, objective.loss, True, weights)
        polished = minimize(
            exact,
            theta,
            lower=lower,
            upper=upper,
            groups=np.arange(n),
            max_iter=polish_steps,
            threads=1,
            progress=report(screen_steps, polish_steps),
        )
        theta, fb = polished.theta, polished.objective
    else:
        fb = f[np.arange(n), best]
    good = np.isfinite(fb)
    return theta[good], counts[good], int(n - good.sum())


def _wild(
    objective: Objective,
    theta: Array,
    v: Array,
    sizes: Sequence[int],
    jackknife: tuple[Array, Array, int] | None = None,
) -> Array:
    """Targets ``(n, P)`` of a wild bootstrap: the fitted log loss plus each curve's log
    residuals times its weight in ``v`` ``(n, curves)``; pseudo-observations after the points
    (a ridge's) keep their targets. With ``jackknife`` (``(lower, upper, max_iter)``) each
    curve's residuals are those of the fit without it (leave one curve out, solved from
    ``theta``), which do not understate what the fit absorbed of that curve."""
    r = objective.residuals(theta[None, :])[0]  # fitted minus observed
    points = int(sum(sizes))
    y = np.broadcast_to(objective.target, (len(v), len(r))).copy()
    own = r[:points]
    if jackknife is not None:
        lower, upper, max_iter = jackknife
        m = len(sizes)
        curve = np.repeat(np.arange(m), sizes)
        w = np.ones((m, len(r)))
        w[:, :points] = curve[None, :] != np.arange(m)[:, None]
        base = np.ones(len(r)) if objective.weights is None else objective.weights[0]
        loo = Objective(objective.program, objective.target, objective.loss, True, w * base)
        solved = minimize(
            loo, np.repeat(theta[None, :], m, axis=0), lower=lower, upper=upper,
            groups=np.arange(m), max_iter=max_iter, threads=1,
        )  # fmt: skip
        each = objective.residuals(solved.theta)[:, :points]  # (m, points)
        own = each[curve, np.arange(points)]
    fitted = objective.target[:points] + r[:points]
    y[:, :points] = fitted - np.repeat(v, sizes, axis=1) * own
    return y


def _given(drawn: Array, perm: NDArray[np.int64]) -> Array:
    """Per-curve draws ``(n, curves)`` made in the canonical order, in the given order."""
    out = np.empty_like(drawn)
    out[:, perm] = drawn
    return out


def _with_fixed(weights: Array, fixed: Array | None) -> Array:
    if fixed is None or not len(fixed):
        return weights
    return np.concatenate([weights, np.broadcast_to(fixed, (len(weights), len(fixed)))], axis=1)


def percentile_interval(
    values: Array, level: float, clusters: int, *, expand: bool = True
) -> tuple[Array, Array]:
    """Expanded percentile interval over the first axis (Hesterberg 2015, "What teachers
    should know about the bootstrap", sec. 5): resampling ``clusters`` whole curves, the
    plain percentile interval is too narrow by the factors ``sqrt(m/(m-1))`` and
    ``t_{m-1}/z``, so its percentiles are taken at the level where the normal quantile is
    ``sqrt(m/(m-1))·t_{m-1, level}``. Measured on 60 synthetic fits of 12 curves: see
    ``tests/test_curves.py::test_interval_coverage``; at 90% it takes the plain percentiles
    of a 93.9% interval. Over 120 synthetic fits per law it covers 90-97% (Tissue, power law
    in S1; the latter's held-out loss 85%), and over-covers the multi-power law's L0, A, B and
    beta (97-98%), where plain percentiles still give 95-98% for L0, B and beta
    (``benchmarks/RESULTS.md``).
    ``expand=False``: the plain percentiles at ``level`` (for coverage studies that compare
    the two on one set of draws).
    """
    adj = interval_tail(level, clusters) if expand else (1 - level) / 2
    return np.percentile(values, 100 * adj, axis=0), np.percentile(values, 100 * (1 - adj), axis=0)


def interval_tail(level: float, clusters: int) -> float:
    """The share of resamples beyond each end of :func:`percentile_interval`'s expanded
    ``level`` interval of ``clusters`` curves: 2.4% at 90% for nine curves, not 5%."""
    # t.ppf and norm.sf's own kernels: scipy.stats costs 0.8 s of every curves fit
    from scipy.special import ndtr, stdtrit

    m = max(int(clusters), 2)
    z = math.sqrt(m / (m - 1)) * float(stdtrit(m - 1, 1 - (1 - level) / 2))
    return float(ndtr(-z))
