"""A fit's extrapolation error, measured by refitting its law below rolling cuts of its runs.

:func:`~scalinglab.fit.fit` calls :func:`measure_refits` once its full fit is done: each cut
is a point fit (no extrapolation of its own) started from the full fit's optimum and a
draw of the start grid with the fixed seed :data:`CUT_SEED` (the fit's ``seed`` draws its
bootstrap, which the cuts do not use: so the calibrated width does not move with it), and :func:`~scalinglab.fit._extrapolation.measure` turns the
cut fits' misses above each cut into the extrapolation error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import numpy as np

from scalinglab._errors import DataError
from scalinglab.data._outliers import MIN_EXCESS, SIGMAS
from scalinglab.data._table import RunTable
from scalinglab.fit import _extrapolation
from scalinglab.fit._delta import covariance, prediction_sd
from scalinglab.fit._extrapolation import (
    CUT_POINT_STARTS,
    CUT_SEED,
    CUT_STARTS,
    Extrapolation,
    Predictor,
    compute_pair,
    log_spread,
    measure,
    unmeasured,
)
from scalinglab.fit._losses import RobustLoss
from scalinglab.fit._objective import Array
from scalinglab.fit._prediction import full_noise_scale
from scalinglab.laws import Law

__all__ = ["measure_refits"]


def measure_refits(
    law: Law,
    table: RunTable,
    data: Mapping[str, Array],
    target: Array,
    *,
    theta: Array,
    grid: Array,
    sigma: float,
    robust_loss: RobustLoss,
    space: str,
    x: Mapping[str, str] | None,
    y: str,
    max_iter: int,
    threads: int | None,
    asked: bool = True,
    bootstrap: int = 1,
) -> Extrapolation:
    """Measure the extrapolation error of a fit by rolling-origin refits on its own runs
    (none where not ``asked`` or without a ``bootstrap``: no intervals, nothing to calibrate).

    Args:
        law: The fitted law.
        table: The runs it was fitted to.
        data: Law symbol -> values of the runs.
        target: The runs' losses.
        theta: The full fit's optimum, in the law's fitted space.
        grid: The full fit's start grid (fitted space).
        sigma: The full fit's noise scale.
        robust_loss: The robust loss of the full fit.
        space: ``"log"`` or ``"linear"``, as the full fit.
        x: Law symbol -> column overrides, as the full fit.
        y: Column holding the loss.
        max_iter: Most solver iterations per start.
        threads: Threads for the compiled solver.
        asked: ``fit(extrapolation=)``: ``False``, unmeasured (saying so).
        bootstrap: The full fit's resamples: 0, unmeasured (saying so).

    Returns:
        The measured extrapolation error.
    """
    if not (asked and bootstrap):
        why = "no bootstrap" if asked else "extrapolation error not asked for"
        return unmeasured(data, why, pair=compute_pair(law.variables))
    from scalinglab.fit._fit import fit  # _fit calls this module: import on use

    def refit(mask: np.ndarray) -> Predictor | None:
        rng = np.random.default_rng(CUT_SEED)  # not the fit's seed: same runs, same width
        picks = rng.choice(len(grid), size=min(CUT_STARTS, len(grid)), replace=False)
        drawn = np.vstack([theta[None, :], grid[picks]])
        try:
            part = fit(
                law,
                table.select(mask),
                robust_loss=robust_loss,
                space=space,
                x=x,
                y=y,
                starts=drawn[: CUT_POINT_STARTS + 1],  # the full fit's optimum and the first drawn
                seed=CUT_SEED,
                bootstrap=_extrapolation.CUT_BOOTSTRAP,  # read here: a benchmark may set it
                bootstrap_starts=3,
                bootstrap_pool=drawn,  # the resamples draw from all: their spreads are unchanged
                max_iter=max_iter,
                threads=threads,
                extrapolation=False,
                compare=False,  # a cut's refit measures the law's miss, not the others'
            )
        except DataError:  # a cut without the spread the law needs (one budget left): no cut
            return None
        draws = part.samples
        below = {s: np.asarray(v)[mask] for s, v in data.items()}
        cov = covariance(law, part.theta, below, sigma=part.noise_scale(), loss=robust_loss)

        def predictor(held: Mapping[str, Array]) -> tuple[Array, Array, Array]:
            n = len(next(iter(held.values())))
            spread = (  # no cut bootstrap: no spreads (widths need none)
                np.zeros(n) if draws is None or len(draws) < 2 else log_spread(law, draws, held)
            )
            return (
                np.asarray(law.evaluate(part.theta, held), dtype=np.float64),
                spread,
                prediction_sd(law, part.theta, cov, held),
            )

        return predictor

    natural = law.to_natural(theta)
    full = covariance(law, natural, data, sigma=sigma, loss=robust_loss)
    with np.errstate(all="ignore"):
        r = np.log(target) - np.log(np.asarray(law.evaluate(natural, data), dtype=np.float64))
    diverged = r > max(SIGMAS * sigma, MIN_EXCESS)  # the rule of data/_outliers.py, on the fit

    measured = measure(
        data,
        target,
        n_params=len(law.params),
        sigma=sigma,
        log_space=space == "log",
        refit=refit,
        covariance=full,
        diverged=diverged,
        pair=compute_pair(law.variables),
    )
    # the fuller noise scale of the same (log) residuals: the calibrated half-width's floor
    full_sigma = full_noise_scale(r, len(law.params)) if space == "log" else 0.0
    return replace(measured, sigma_full=full_sigma)
