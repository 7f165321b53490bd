"""Extrapolation error: how far a law misses beyond its data, measured on the training scales.

A bootstrap over runs only sees noise. Real extrapolations also miss because the law is not
exactly right, and that error grows with the distance from the data. It is measured here by
rolling-origin backtests on the runs being fitted: for a few cuts in size (N·D, params times
tokens, not FLOPs; or the law's one variable), fit below the cut (a few starts each) and
record the log residual of every run above it, its distance beyond the cut's fit in decades, and the
spread of the cut's bootstrap predictions there (only when ``CUT_BOOTSTRAP`` asks for
one; the width does not use it). How those residuals become the width of the full fit's
prediction interval (an error model growing with distance, a weighted split-conformal
quantile, each cut one vote) is :mod:`._calibrated`. A correct law measures little growth
and a quantile near the normal one; a law that bends away from the data measures a growth
that widens intervals in proportion to how far they reach.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_counted
from scalinglab._scales import cut_size, quantile_cuts
from scalinglab.fit._calibrated import Extrapolation, growth
from scalinglab.fit._cut_backtest import CutBacktest, Predictor, backtest_cut
from scalinglab.fit._diagnostics import MIN_RUNS_PER_PARAM
from scalinglab.fit._points import (
    count_below,
    distinct_points,
    n_distinct,
    points_label,
    said_runs,
)
from scalinglab.fit._reach import ND, compute_pair, distance, floor_of, linear_reason, reach_of

__all__ = [
    "ANALOG_RUNS_PER_PARAM",
    "MIN_SCORES",
    "RUNS_PER_PARAM",
    "Extrapolation",
    "Predictor",
    "admitted_cuts",
    "compute_pair",
    "distance",
    "floor_of",
    "log_spread",
    "measure",
    "reach_of",
    "rolling_cuts",
    "unmeasured",
]

Array = NDArray[np.float64]
#: Fewest backtest residuals behind a calibrated interval (a 90% quantile needs 9).
MIN_SCORES = 9
#: Fewest runs per fitted parameter below a cut for its fit to count.
RUNS_PER_PARAM = 2
#: Runs per parameter a cut's fit needs to count when the full fit has as many: the
#: diagnostics' line for a fit whose parameters and extrapolations are reliable. A backtest
#: stands in for the full fit's extrapolation; a cut fit under that line, beside a full fit
#: over it, misses by parameter error the full fit does not have (``_calibrated.py``).
ANALOG_RUNS_PER_PARAM = MIN_RUNS_PER_PARAM
#: Starts each cut's resamples draw from: the full fit's optimum plus this many rows of the
#: law's grid.
CUT_STARTS = 128
#: Seed of each cut's draw of those starts (and of its bootstrap, where ``CUT_BOOTSTRAP``
#: asks for one), whatever the fit's ``seed``: the cut fits, so the calibrated width, are a
#: function of the runs alone (0: the draw ``seed=0``, the default, always made).
CUT_SEED = 0
#: Of those, the cut's point fit solves the optimum and the first this many: on the bundled
#: runs the cut optima agree with all 129 to 1e-9 (tests/test_fit_extrapolation.py), and
#: the point fits cost a quarter.
CUT_POINT_STARTS = 32
#: Bootstrap resamples of each cut's fit (their spread is the cut fit's parameter error).
#: None by default: the widths no longer use the spreads (:mod:`._calibrated`), and the
#: 5 cuts' 40 resamples each cost 0.17 of the default fit's 1.4 CPU s for nothing. The
#: spreads are then recorded as 0; ``benchmarks/calibration.py`` sets 40 to compare
#: with the model that used them.
CUT_BOOTSTRAP = 0
#: Whether the scale counts each prediction's delta-method parameter error (``s² = σ² + v +
#: κ²·d^p``, :mod:`._calibrated`); False (the default): a backtest residual is the whole
#: error. The covariance and the cuts' delta-method errors are recorded either way.
DELTA = False
#: Median of z² for a standard normal z: turns a median into a variance.
_MEDIAN_CHI2_1 = 0.4549364231195724


def unmeasured(
    data: Mapping[str, Array], reason: str, *, pair: tuple[str, str] | None = ND
) -> Extrapolation:
    """The data's reach (``pair``: the law's symbols for params and tokens,
    :func:`compute_pair`), with no measurement of the extrapolation error (``reason``)."""
    empty = np.zeros(0)
    reach, floor = reach_of(data, pair), floor_of(data, pair)
    return Extrapolation("bootstrap", reason, reach, empty, empty, empty, 0.0, 0.0, floor=floor)


def log_spread(law: Any, samples: Array, data: Mapping[str, Any]) -> Array:
    """Robust standard deviation of the bootstrap fits' log predictions (half the 16-84% range)."""
    with np.errstate(all="ignore"):
        logs = np.log(np.asarray(law.evaluate(samples, data), dtype=np.float64))
        lo, hi = np.nanpercentile(logs, [15.865, 84.135], axis=0)
    return np.asarray((hi - lo) / 2, dtype=np.float64)


def _scale_axis(data: Mapping[str, Array], pair: tuple[str, str] | None) -> Array:
    """Log10 of the axis the cuts run along: N·D (the product of ``pair``) when the law has
    both, else its one variable."""
    if pair and pair[0] in data and pair[1] in data:
        axis = np.asarray(data[pair[0]], float) * np.asarray(data[pair[1]], float)
    else:
        axis = np.prod([np.asarray(v, float) for v in data.values()], axis=0)
    return np.asarray(np.log10(axis), dtype=np.float64)


def rolling_cuts(axis: Array, *, need: int, points: NDArray[np.intp] | None = None) -> list[float]:
    """Where the rolling-origin backtests cut: the :func:`scalinglab._scales.quantile_cuts`
    of the runs' scale ``axis`` (any monotone scale: log or log10; a backtest's scales where
    sizes do not cluster lie between them) that leave ``need`` distinct points below the cut
    (``points``: each run's point, :func:`._points.distinct_points`; ``None``: every run its
    own) and at least one run at or above it, ascending and distinct."""
    cuts = quantile_cuts(axis)
    return [c for c in cuts if count_below(axis, c, points) >= need and (axis >= c - 1e-9).any()]


def admitted_cuts(
    axis: Array,
    *,
    n_params: int,
    scored: Callable[[float], int | None],
    points: NDArray[np.intp] | None = None,
) -> tuple[list[float], int]:
    """The rolling cuts whose backtests count for a law of ``n_params`` on runs at ``axis``,
    and how many cuts the analog rule left out.

    Every cut with :data:`RUNS_PER_PARAM` runs per parameter below it counts, unless the
    full fit has :data:`ANALOG_RUNS_PER_PARAM` per parameter: then only the cuts fitted on
    as many do, if at least two of them give :data:`MIN_SCORES` scores together
    (``scored(cut)``: the scores a cut gives, ``None`` when it cannot be fitted). Runs are
    counted as distinct points of the law's inputs (``points``, :func:`rolling_cuts`):
    replicates measure noise, not scaling. The calibrated interval and the law choice
    (:mod:`scalinglab.validate._choose`) both count these, so that a law is chosen by the
    backtests its interval is calibrated on.
    """
    cuts = rolling_cuts(axis, need=RUNS_PER_PARAM * n_params, points=points)
    analog = ANALOG_RUNS_PER_PARAM * n_params
    if n_distinct(points, np.ones(len(axis), dtype=bool)) < analog:
        return cuts, 0  # the full fit is under the line: its small cuts are its analogs
    strict = [c for c in cuts if count_below(axis, c, points) >= analog]
    found = [n for n in map(scored, strict) if n is not None]
    if len(found) >= 2 and sum(found) >= MIN_SCORES:
        return strict, len(cuts) - len(strict)
    return cuts, 0


def measure(
    data: Mapping[str, Array],
    target: Array,
    *,
    n_params: int,
    sigma: float,
    log_space: bool,
    refit: Callable[[NDArray[np.bool_]], Predictor | None],
    covariance: Array | None = None,
    diverged: NDArray[np.bool_] | None = None,
    pair: tuple[str, str] | None = ND,
) -> Extrapolation:
    """Rolling-origin residuals on the training scales and the error model they give.

    Args:
        data: The law's variables (symbol -> values) of the fitted runs.
        target: Their loss.
        n_params: Parameters of the law (a cut's fit needs :data:`RUNS_PER_PARAM` runs
            per parameter, :data:`ANALOG_RUNS_PER_PARAM` where the full fit has as many
            and at least two such cuts give :data:`MIN_SCORES` scores).
        sigma: Run-to-run noise of the full fit.
        log_space: Whether the fit is in log space (calibration is only done there).
        refit: ``refit(mask)`` fits the runs of ``mask`` and returns a :data:`Predictor`
            of the law at new variables; ``None`` when the cut cannot be fitted (its runs
            lack the spread the law needs). A cut fit whose best start stopped unconverged
            still counts: its best point is what a fit of those runs gives, and which starts
            converge differs between the solver's CPU builds.
        covariance: The full fit's parameter covariance (fitted space), recorded; the
            scale counts each prediction's delta-method variance when :data:`DELTA`.
        diverged: Which runs the full fit calls diverged: their residuals are recorded
            but not scored (the interval is for a run that trains normally, as the noise
            scale σ, a median absolute deviation, is).
        pair: The law's symbols for params and tokens (:func:`compute_pair`): the cuts
            run along their product, and distances count it as an axis.

    Returns:
        The measurement; ``kind`` says whether it calibrates intervals and ``reason`` why.
    """
    reach, floor = reach_of(data, pair), floor_of(data, pair)
    empty = np.zeros(0)

    def bootstrap_only(reason: str) -> Extrapolation:
        return Extrapolation(
            "bootstrap", reason, reach, empty, empty, empty, sigma, 0.0, floor=floor
        )

    log_only = "extrapolation error is calibrated for log-space fits only"
    why = linear_reason(data) if log_space else log_only  # per decade: variables above 0
    if why:
        return bootstrap_only(why)
    axis = _scale_axis(data, pair)
    bad = np.zeros(len(target), dtype=bool) if diverged is None else np.asarray(diverged, bool)
    done: dict[float, CutBacktest | None] = {}

    def backtest(cut: float) -> CutBacktest | None:
        if cut not in done:
            done[cut] = backtest_cut(cut, axis, data, target, bad, refit, pair)
        return done[cut]

    def scored(cut: float) -> int | None:
        t = backtest(cut)
        return None if t is None else int((~t.flags).sum())

    need = RUNS_PER_PARAM * n_params
    points = distinct_points(data)
    cuts, left = admitted_cuts(axis, n_params=n_params, scored=scored, points=points)
    at = points_label(data)
    rule = (
        f", {format_counted(left, 'cut')} fitted on under {ANALOG_RUNS_PER_PARAM} distinct {at} per parameter"
        f" not counted (the full fit has {ANALOG_RUNS_PER_PARAM}+)"
        if left
        else ""
    )
    n_points = n_distinct(points)
    runs = f" ({said_runs(len(target), n_points, at)})" if n_points < len(target) else ""
    dist: list[Array] = []
    resid: list[Array] = []
    spread: list[Array] = []
    delta: list[Array] = []
    flags: list[NDArray[np.bool_]] = []
    used: list[float] = []
    sizes: list[int] = []
    failed = 0
    for cut in cuts:
        t = backtest(cut)
        if t is None:
            failed += 1
            continue
        dist.append(t.distances)
        resid.append(t.residuals)
        spread.append(t.spreads)
        delta.append(t.deltas)
        flags.append(t.flags)
        used.append(cut_size(cut))
        sizes.append(len(t.residuals))
    distances = np.concatenate(dist) if dist else empty
    residuals = np.concatenate(resid) if resid else empty
    spreads = np.concatenate(spread) if spread else empty
    deltas = np.concatenate(delta) if delta else empty
    out = np.concatenate(flags) if flags else np.zeros(0, dtype=bool)
    keep = ~out
    weights = Extrapolation(
        "", "", reach, distances, residuals, spreads, sigma, 0.0, sizes=tuple(sizes), diverged=out
    ).weights
    b = deltas if DELTA and covariance is not None else np.zeros_like(spreads)
    slope, power = growth(distances[keep], residuals[keep], b[keep], sigma, weights)
    n = int(keep.sum())
    kind = "backtest-calibrated"
    reason = (
        f"{len(used)} rolling-origin cuts on the fitted runs{runs}, {n} held-out residuals up to "
        f"{float(np.max(distances)):.2f} decades beyond each cut's data"
        + rule
        + (f", {int(out.sum())} of diverged runs not scored" if out.any() else "")
        + (f", {format_counted(failed, 'cut')} that could not be fitted left out" if failed else "")
        if n
        else ""
    )
    if len(used) < 2 or n < MIN_SCORES:
        kind = "bootstrap"
        reason = (
            f"too few scales to measure extrapolation error ({format_counted(len(used), 'rolling cut')} with "
            f"{need}+ distinct {at} below, {n} held-out residuals; {MIN_SCORES} needed"
            + (f"; {format_counted(failed, 'cut')} could not be fitted" if failed else "")
            + ")"
        )
    return Extrapolation(
        kind,
        reason,
        reach,
        distances,
        residuals,
        spreads,
        sigma,
        slope,
        tuple(used),
        power,
        tuple(sizes),
        deltas=deltas,
        covariance=covariance,
        with_delta=DELTA and covariance is not None,
        diverged=out if out.any() else np.zeros(0, dtype=bool),
        floor=floor,
    )
