"""``fit_curves(curves, law=...)``: one law, shared parameters, several whole curves.

The fit is the one every scalinglab law gets: the robust loss on log residuals (Huber,
delta 1e-3 by default), the batched multi-start Newton solver of :mod:`scalinglab.fit`
from the law's start grid, and a bootstrap whose resamples are all solved in one batch.
The bootstrap resamples *whole curves* (every point of a curve gets its curve's count):
points of one curve share a run's noise and its schedule, so resampling points would
treat 170 correlated points as 170 independent ones and give intervals far too narrow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._defaults import HUBER_DELTA, MAX_ITER
from scalinglab._errors import ConfigError, FitError
from scalinglab._format import format_counted
from scalinglab._progress import Progress
from scalinglab.curves._bootstrap import bootstrap_curves, percentile_interval
from scalinglab.curves._data import Curve
from scalinglab.curves._laws import CurveLaw, Prepared
from scalinglab.curves._registry import get_curve_law
from scalinglab.curves._ridge import RidgeProgram, RidgeTerms, ridge_terms
from scalinglab.curves._sized import SizedLaw, check_sizes
from scalinglab.curves._stages import solve_stages
from scalinglab.fit._bootstrap import usable
from scalinglab.fit._losses import RobustLoss, get_loss
from scalinglab.fit._objective import Objective
from scalinglab.fit._solver import Status
from scalinglab.laws._dual import Dual

__all__ = ["CurveProgram", "fit_law_to_curves", "percentile_interval"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


class CurveProgram:
    """A curve law bound to prepared curves, as the solver's :class:`Objective` sees a law.

    It gives values and exact first derivatives in the fitted space; second derivatives of
    the law itself are left out (``h`` empty), so the solver's Hessian is the
    Gauss-Newton one plus the robust loss's curvature, which is what it falls back to
    anyway far from a minimum.
    """

    log_form = None  # no closed-form log (see scalinglab.laws._log_form): the values above

    def __init__(self, law: CurveLaw, prep: Prepared, n_points: int) -> None:
        self.law, self.prep, self.n_points = law, prep, n_points
        self._positive = np.array([p.positive for p in law.params])

    def value(self, theta: Array) -> Array:
        theta = np.atleast_2d(theta)
        with np.errstate(over="ignore"):
            val, _ = self.law.evaluate(self.law.to_natural(theta), self.prep, jacobian=False)
        return val

    def derivatives(self, theta: Array, order: int = 2) -> Dual:
        theta = np.atleast_2d(theta)
        p = self.law.to_natural(theta)
        with np.errstate(over="ignore"):
            val, jac = self.law.evaluate(p, self.prep, jacobian=order > 0)
        if jac is None:
            return Dual(val)
        g = {}
        for k in range(p.shape[1]):
            g[k] = jac[:, k] * p[:, k : k + 1] if self._positive[k] else jac[:, k]
        return Dual(val, g)


@dataclass(frozen=True)
class Solved:
    """What :func:`fit_law_to_curves` found (in natural parameters)."""

    params: Array
    samples: Array | None
    curve_weights: Array | None
    objective: float
    status: str
    message: str
    n_starts: int
    n_starts_at_best: int
    residuals: Array
    notes: tuple[str, ...]
    solver: str = "numpy"  # the solver's name, as FitResult.solver


def fit_law_to_curves(
    law: str | CurveLaw,
    curves: Sequence[Curve],
    *,
    robust_loss: str | RobustLoss = "huber",
    delta: float = HUBER_DELTA,
    bootstrap: int = 0,
    bootstrap_starts: int = 6,
    seed: int = 0,
    max_iter: int = MAX_ITER,
    starts: Array | None = None,
    resample: str = "curves",
    ridge: float = 0.0,
    progress: Progress | None = None,
) -> tuple[CurveLaw, Solved]:
    """Fit ``law`` to ``curves`` jointly; see :func:`scalinglab.fit_curves`. ``progress``
    hears of the starts (stage ``"fit"``), the polish of the best optima (``"polish"``,
    :mod:`._stages`) and the resamples (``"bootstrap"``) as they end."""
    law = get_curve_law(law)
    robust = get_loss(robust_loss, delta=delta)
    pen = None
    if ridge:
        pos = {p.name: p.positive for p in law.params}
        pen = ridge_terms(law.param_names, pos, dict(law.ridge_ref), ridge, robust, law.name)
    if not curves:
        raise ConfigError("no curves to fit")
    if isinstance(law, SizedLaw):
        check_sizes(law.name, curves)  # the curves without one named, not a bare refusal
        law = law.fitted_to([c.params for c in curves])
    K = len(law.params)
    total = sum(len(c) for c in curves)
    short = [c.run for c in curves if len(c) == 0]
    if short:
        raise ConfigError(f"curves {short} have no logged points within their schedule")
    outside = [c for c in curves if c.step.min() < 0 or c.step.max() >= c.schedule.steps]
    if outside:  # Curve objects built by hand: a reader keeps steps within the schedule
        c = outside[0]
        raise ConfigError(
            f"curve {c.run!r} ({c.source or 'given'}) is logged at steps {c.step.min()} to "
            f"{c.step.max()}, outside its schedule's 0 to {c.schedule.steps - 1}: a curve's "
            "steps are 0-based, the loss at step t the one after the schedule's steps 0..t",
            hint="if its steps count updates done (Hugging Face Trainer's global_step), "
            "subtract 1 from each (read_lr_curves(..., schedule=) does for a curve logged up "
            "to steps); else give it the schedule it ran, of more steps",
        )
    if total <= K:  # named by file, as a reader's errors are
        files = sorted({c.source for c in curves if c.source})
        raise ConfigError(
            (f"{', '.join(files)}: " if files else "")
            + f"{format_counted(total, 'logged point')} for law {law.name!r} with {K} parameters"
            f" (in {format_counted(len(curves), 'curve')}): need more points than parameters",
            hint="add curves or log the loss more often",
        )
    few = [c for c in curves if len(c) < K]
    if few:
        c = few[0]
        raise ConfigError(
            f"curve {c.run!r} ({c.source or 'given'}) has {len(c)} logged points, fewer than "
            f"the {K} parameters of law {law.name!r}",
            hint="leave it out, or log its loss more often",
        )
    target = np.concatenate([c.loss for c in curves])
    objective = _objective(law, curves, robust, target, pen)
    lower, upper = law.fitted_bounds()
    grid = law.start_grid(target) if starts is None else np.atleast_2d(starts)
    grid = np.clip(grid, lower, upper)
    # the starts: screened on a coarse law, then polished, by levels (._stages)
    stages = solve_stages(
        law,
        curves,
        objective,
        lambda each, thin, k: _objective(
            each, thin, robust, np.concatenate([c.loss for c in thin]), pen, k
        ),
        grid,
        lower=lower,
        upper=upper,
        max_iter=max_iter,
        progress=progress,
    )
    solved, screen, k, at_best = stages.solved, stages.screen, stages.stride, stages.at_best
    finite = np.isfinite(solved.objective)
    if not finite.any():
        raise FitError(
            f"every one of the {len(grid)} starts failed for curve law {law.name!r}",
            hint="check that the loss column holds losses and the lr column learning rates",
        )
    order = np.argsort(np.where(finite, solved.objective, np.inf), kind="stable")
    best = int(order[0])
    f_best = float(solved.objective[best])
    status = Status(int(solved.status[best]))
    residuals = objective.residuals(solved.theta[best][None, :])[0][:total]
    notes: list[str] = []
    samples = curve_weights = None
    if bootstrap:
        samples, curve_weights, failed = bootstrap_curves(
            screen,
            objective,
            grid,
            solved.theta[order],
            solved.objective[order],
            [len(c) for c in curves],
            [len(c.step[::k]) for c in curves],
            n=bootstrap,
            per=bootstrap_starts,
            seed=seed,
            lower=lower,
            upper=upper,
            max_iter=max_iter,
            resample=resample,
            fixed=None if objective.weights is None else objective.weights[0, total:],
            progress=progress,
            # draws by run name, not by the order the curves came in (files, folders)
            canonical=sorted(range(len(curves)), key=lambda i: (curves[i].run, i)),
        )
        with np.errstate(over="ignore"):  # beyond float64: inf, left out as degenerate
            samples = law.to_natural(samples)
        use, left = usable(samples, failed, bootstrap)  # as fit's: the same notes
        samples, curve_weights = samples[use], curve_weights[use]
        notes += left
    if len(curves) < 5 and bootstrap and resample == "curves":
        notes.append(
            f"intervals from resampling {len(curves)} whole curves: with so few curves they "
            "are coarse (few distinct resamples)"
        )
    return law, Solved(
        params=law.to_natural(solved.theta[best]),
        samples=samples,
        curve_weights=curve_weights,
        objective=f_best,
        status="converged" if status == Status.CONVERGED else "failed",
        message=status.message,
        n_starts=len(grid),
        n_starts_at_best=at_best,
        residuals=residuals,
        notes=tuple(notes),
        solver=solved.solver,
    )


def _objective(
    law: CurveLaw,
    curves: Sequence[Curve],
    robust: RobustLoss,
    target: Array,
    pen: RidgeTerms | None = None,
    thin: int = 1,
) -> Objective:
    """The objective on ``curves``; with ``pen`` (:func:`ridge_terms`) the ridge's
    pseudo-observations follow the points, weighted ``1/thin`` on a thinned problem so
    that the penalty keeps its share of the objective."""
    prep = law.prepare([c.schedule for c in curves], [c.step for c in curves])
    program = CurveProgram(law, prep, len(target))
    if pen is None:
        return Objective(program, np.log(target), robust, True)  # type: ignore[arg-type]
    index, ref, scale, weight = pen
    ridged = RidgeProgram(program, index, ref, scale)
    w = np.concatenate([np.ones(len(target)), np.full(len(index), weight / thin)])[None, :]
    t = np.concatenate([np.log(target), np.zeros(len(index))])
    return Objective(ridged, t, robust, True, w)  # type: ignore[arg-type]
