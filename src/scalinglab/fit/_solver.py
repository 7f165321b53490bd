"""A batched, bounded Newton solver: every start (and every bootstrap resample) at once.

Each problem ``b`` minimises ``f_b(theta) = sum_p w_bp * rho(r_p(theta))`` where ``r`` is the
residual of the law (in log or linear space) and ``w_b`` its run weights (bootstrap counts,
or ones). All problems advance together: one NumPy computation per step evaluates the
objective, exact gradients and exact Hessians (from :mod:`scalinglab.laws._autodiff`) for
every active problem, then each takes a damped Newton step

    s = -Q diag(1 / (|lambda| + mu * max|lambda|)) Q^T g          (H = Q diag(lambda) Q^T)

that is always a descent direction (negative curvature is flipped, as in saddle-free Newton
methods), is a pure Newton step (quadratic convergence) near a minimum as ``mu -> 0``, and
becomes a short gradient step as ``mu`` grows (Levenberg-Marquardt). Bounds are handled by
projection with the bound-active parameters frozen (projected Newton, Bertsekas 1982).
Trial steps are tried in turn (the Newton step, 0.3 of it, the reweighted Gauss-Newton
step, then 0.05 of the Newton step), each batched over the problems that still need one; a
problem keeps the first trial that lowers its objective, so most evaluate one or two. If
none does, ``mu`` grows and the cached derivatives are reused. A problem has converged
when its step is negligible or two accepted steps in a row gain (relatively) less than
``ftol``; a rejected step never counts towards convergence. Problems leave the active set
once converged, so the batch shrinks as the solve proceeds.

What is minimised, and its derivatives, is :class:`~scalinglab.fit._objective.Objective`.
Laws that are sums of power terms in log space (Chinchilla among them) skip this module's
loop: the same algorithm runs compiled, one start at a time (:mod:`._compiled`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._defaults import MAX_ITER
from scalinglab._deprecated import old_fields, renamed_max_iter
from scalinglab._keywords import keywords_checked
from scalinglab.fit._objective import Array, IntArray, Objective
from scalinglab.fit._result_aliases import SolveResultAliases
from scalinglab.fit._status import Status

__all__ = ["Objective", "SolveResult", "Status", "minimize"]

_MAX_STEP = 4.0  # largest move of one fitted parameter in one step (log-coefficients, exponents)
_QUIET_STEPS = 2
# trial steps in the order tried, (direction, length): 0 is the damped exact Newton step,
# 1 the reweighted Gauss-Newton step (from a majoriser of the robust loss, so a full step
# is safe where Huber's exact curvature vanishes). A problem stops at the first trial that
# lowers its objective; measured on the Chinchilla grid, this order needs the fewest
# iterations of the orders tried (about 50 per start).
_TRIALS = ((0, 1.0), (0, 0.3), (1, 1.0), (0, 0.05))


@old_fields(steps="n_iter")
@dataclass(frozen=True)
class SolveResult(SolveResultAliases):
    """Per-problem outcome of :func:`minimize`.

    Attributes:
        theta: Final fitted vectors ``(B, K)``.
        objective: Final objective ``(B,)``.
        status: :class:`Status` code per problem ``(B,)``.
        n_iter: Newton iterations each problem took ``(B,)`` (``steps``: its old name, one
            release).
        solver: Which implementation ran: ``"numpy"``, or ``"compiled-<build>"`` (``avx512``,
            ``avx2``, ``neon``, ``portable``: see :mod:`._compiled`).
        states: With ``keep_states``, the compiled solver's saved state of each problem that
            stopped at ``max_iter`` (rows ``(B, n)``), for ``resume``; ``None`` otherwise.
    """

    theta: Array
    objective: Array
    status: NDArray[np.int8]
    n_iter: IntArray
    solver: str = "numpy"
    states: Array | None = None


@keywords_checked("scalinglab.fit.minimize", deprecated=("max_steps",))
def minimize(
    objective: Objective,
    theta0: Array,
    *,
    lower: Array,
    upper: Array,
    groups: IntArray | None = None,
    max_iter: int = MAX_ITER,
    ftol: float = 1e-12,
    xtol: float = 1e-9,
    progress: Callable[[int, int], None] | None = None,
    threads: int | None = None,
    merge_window: Array | None = None,
    keep_states: bool = False,
    resume: Array | None = None,
    max_steps: int | None = None,
) -> SolveResult:
    """Minimise the objective from every row of ``theta0`` at once.

    Args:
        objective: What to minimise.
        theta0: Starts in the fitted space, ``(B, K)``.
        lower: Lower bounds ``(K,)`` in the fitted space.
        upper: Upper bounds ``(K,)``.
        groups: For each problem, the row of ``objective.weights`` it uses.
        max_iter: Most Newton iterations per problem.
        ftol: Converged when a step lowers the objective by less than ``ftol`` relative...
        xtol: ...and moves no parameter by more than ``xtol * (1 + |theta|)``.
        progress: Called as ``progress(finished, total)`` after each iteration.
        threads: Threads for the compiled solver (default: every core this process may use);
            the NumPy solver runs on one.
        merge_window: ``(lowest, highest)`` objective per row of ``objective.weights`` (one
            row without weights), ``(R, 2)``: a problem whose accepted point has an objective
            in ``[lowest, highest)`` stops there with status :attr:`Status.MERGED`
            (:mod:`._merge`; default: none).
        keep_states: Save the compiled solver's state of each problem that stops at
            ``max_iter`` (``SolveResult.states``; none with the NumPy solver).
        resume: Such states: each problem goes on from its state, ``theta0`` holding where it
            stopped, along the path it would have taken had it not stopped (the same bits).
        max_steps: Old name of ``max_iter`` (one release; warns).

    Returns:
        The final point, objective, status and iteration count of every problem.
    """
    max_iter = renamed_max_iter(max_iter, max_steps, call="scalinglab.fit.minimize")
    theta = np.array(theta0, dtype=np.float64)
    if resume is None:  # a resumed point is where the solver left it: inside the bounds
        theta = np.clip(theta, lower, upper)
    B, K = theta.shape
    groups = np.zeros(B, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    if objective.kernel is not None and objective.log_space and objective.target.ndim == 1:
        from scalinglab.fit import _compiled  # imports this module: load it lazily

        if _compiled.available():
            out = _compiled.solve_compiled(
                objective.kernel,
                target=objective.target,
                loss=objective.loss.name,
                delta=objective.loss.delta,
                weights=objective.weights,
                theta0=theta,
                lower=lower,
                upper=upper,
                groups=groups,
                max_iter=max_iter,
                ftol=ftol,
                xtol=xtol,
                threads=threads,
                progress=progress,
                merge_window=merge_window,
                keep_states=keep_states,
                resume=resume,
            )
            if out is not None:
                theta, f_out, status_out, n_iter_out, states = out
                return SolveResult(
                    theta=theta,
                    objective=f_out,
                    status=status_out,
                    n_iter=n_iter_out,
                    solver=f"compiled-{_compiled.build_name()}",
                    states=states,
                )
    if resume is not None:  # only states the compiled solver saved are handed back to it
        raise RuntimeError("resume: the compiled solver that saved these states is not in use")
    status = np.zeros(B, dtype=np.int8)
    n_iter = np.zeros(B, dtype=np.int64)
    mu = np.full(B, 1e-3)
    f = np.empty(B)
    grad = np.zeros((B, K))
    hess = np.zeros((B, K, K))
    hess_gn = np.zeros((B, K, K))
    stale = np.ones(B, dtype=bool)  # derivatives must be recomputed at the current point
    quiet = np.zeros(B, dtype=np.int64)  # consecutive iterations without a meaningful decrease

    for _ in range(max_iter):
        active = np.flatnonzero(status == Status.RUNNING)
        if active.size == 0:
            break
        recompute = active[stale[active]]
        if recompute.size:
            f[recompute], grad[recompute], hess[recompute], hess_gn[recompute] = (
                objective.derivatives(theta[recompute], groups[recompute])
            )
            stale[recompute] = False
            status[recompute[~np.isfinite(f[recompute])]] = Status.NONFINITE
            active = np.flatnonzero(status == Status.RUNNING)
            if active.size == 0:
                break
        n = active.size
        th, g = theta[active], grad[active]
        frozen = ((th <= lower) & (g > 0)) | ((th >= upper) & (g < 0))
        g = np.where(frozen, 0.0, g)
        # trials in turn, each batched over the problems that have not yet found a lower
        # objective: the damped exact Newton step (fast near a minimum) first, then the
        # reweighted Gauss-Newton step (reliable far from one, where Huber's exact
        # curvature vanishes), computed only for problems that still need it
        f_old = f[active]
        f_new = np.full(n, np.inf)
        trial = th.copy()
        pick = np.full(n, -1)
        todo = np.arange(n)
        directions = [np.zeros((n, K)), np.zeros((n, K))]
        have = [False, False]
        for j, (d, length) in enumerate(_TRIALS):
            if todo.size == 0:
                break
            if not have[d]:
                curvature = hess if d == 0 else hess_gn
                damping = mu[active[todo]] if d == 0 else np.zeros(todo.size)
                directions[d][todo] = _newton_step(
                    curvature[active[todo]], g[todo], frozen[todo], damping
                )
                have[d] = True
            x = np.clip(th[todo] + length * directions[d][todo], lower, upper)
            fx = objective.value(x, groups[active[todo]])
            # keep the lowest trial so far (for a problem that finds no lower objective,
            # its best trial still decides whether the step was negligible)
            low = (fx < f_new[todo]) | (pick[todo] < 0)
            f_new[todo[low]], trial[todo[low]], pick[todo[low]] = fx[low], x[low], j
            todo = todo[~(fx < f_old[todo])]
        better = f_new < f_old
        moved = trial - th
        tiny_move = np.all(np.abs(moved) <= xtol * (1.0 + np.abs(th)), axis=1)
        small_gain = (f_old - f_new) <= ftol * np.maximum(np.abs(f_new), 1e-300)

        n_iter[active] += 1
        acc = active[better]
        theta[acc], f[acc] = trial[better], f_new[better]
        stale[acc] = True
        full_newton = better & (pick == 0)
        mu[active[full_newton]] = np.maximum(mu[active[full_newton]] / 5.0, 1e-12)
        mu[active[better & ~full_newton]] *= 2.0
        rej = active[~better]
        mu[rej] *= 8.0
        # only an accepted step can say the objective stopped decreasing: a rejected one
        # says the step was too long, and the next tries a shorter, more damped one
        quiet[active] = np.where(better, np.where(small_gain, quiet[active] + 1, 0), quiet[active])
        # converged: two accepted steps without a meaningful decrease (directions the data do
        # not determine can keep drifting), or a negligible step that was (nearly) Newton's
        # own; a tiny move forced by heavy damping only says the local model is poor there
        done = (tiny_move & (mu[active] <= 1.0)) | (quiet[active] >= _QUIET_STEPS)
        status[active[done]] = Status.CONVERGED
        status[active[~better & (mu[active] > 1e12)]] = Status.STALLED
        if merge_window is not None:
            lo_f, hi_f = merge_window[groups[acc], 0], merge_window[groups[acc], 1]
            status[acc[(f[acc] < hi_f) & (f[acc] >= lo_f)]] = Status.MERGED
        if progress is not None:
            progress(int(np.count_nonzero(status != Status.RUNNING)), B)

    status[status == Status.RUNNING] = Status.MAX_ITER
    if progress is not None:
        progress(B, B)
    return SolveResult(theta=theta, objective=f, status=status, n_iter=n_iter)


def _newton_step(hess: Array, grad: Array, frozen: NDArray[np.bool_], mu: Array) -> Array:
    """Damped, curvature-corrected Newton step for each problem (frozen parameters fixed)."""
    free = ~frozen
    H = hess * free[:, :, None] * free[:, None, :]
    scale = np.max(np.abs(np.diagonal(hess, axis1=1, axis2=2)), axis=1)
    scale = np.where(scale > 0, scale, 1.0)
    idx = np.arange(H.shape[1])
    H[:, idx, idx] += frozen * scale[:, None]
    lam, Q = np.linalg.eigh(H)
    top = np.max(np.abs(lam), axis=1, keepdims=True)
    denom = np.maximum(np.abs(lam), 1e-12 * top + 1e-300) + mu[:, None] * top
    # a trust region per curvature direction: a flat direction (a term that no longer
    # matters, e.g. B/D^beta with beta large) cannot shrink the step along the others
    coef = np.clip(np.einsum("bkj,bk->bj", Q, grad) / denom, -_MAX_STEP, _MAX_STEP)
    step = -np.einsum("bkj,bj->bk", Q, coef)
    return np.where(frozen, 0.0, step)
