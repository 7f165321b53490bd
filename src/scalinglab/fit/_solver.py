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

Cost: the derivatives at each accepted point dominate. They run in blocks of ~8k numbers
(cache-sized), with the large Jacobian buffers allocated once per call rather than per
block, and second derivatives the autodiff shares with first derivatives summed once.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._losses import RobustLoss
from scalinglab.laws._autodiff import BoundProgram

if TYPE_CHECKING:
    from scalinglab.fit._compiled import Kernel

__all__ = ["Objective", "SolveResult", "Status", "minimize"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

_MAX_STEP = 4.0  # largest move of one fitted parameter in one step (log-coefficients, exponents)
_BLOCK = 1 << 13
_QUIET_STEPS = 2
# trial steps in the order tried, (direction, length): 0 is the damped exact Newton step,
# 1 the reweighted Gauss-Newton step (from a majoriser of the robust loss, so a full step
# is safe where Huber's exact curvature vanishes). A problem stops at the first trial that
# lowers its objective; measured on the Chinchilla grid, this order needs the fewest
# iterations of the orders tried (about 50 per start).
_TRIALS = ((0, 1.0), (0, 0.3), (1, 1.0), (0, 0.05))


class Status(enum.IntEnum):
    """Outcome of one start. The message says what it means and what to do."""

    RUNNING = 0
    CONVERGED = 1
    MAX_STEPS = 2
    STALLED = 3
    NONFINITE = 4

    @property
    def message(self) -> str:
        return _MESSAGES[self]


_MESSAGES = {
    Status.RUNNING: "still running",
    Status.CONVERGED: "converged: the objective stopped decreasing and the Newton step is negligible",
    Status.MAX_STEPS: "the maximum number of steps was reached; increase max_steps",
    Status.STALLED: "no step lowered the objective although it is not at a minimum; the law may be "
    "badly scaled for this data (check units and the start grid)",
    Status.NONFINITE: "the objective is not finite at the start: the law is undefined there "
    "(for example the log of a negative prediction)",
}


@dataclass(frozen=True)
class Objective:
    """What is minimised: a bound law, the targets, the robust loss and the run weights.

    Attributes:
        program: The law bound to the runs' variables.
        target: Observed loss per run, ``(P,)`` (already logged when ``log_space``).
        loss: The robust loss on residuals.
        log_space: Residuals are ``log(prediction) - log(loss)`` rather than differences.
        weights: Run weights per weight-set, ``(R, P)``; ``None`` means all ones.
        kernel: The law as the compiled solver sees it (a sum of power terms), or ``None``;
            with one, :func:`minimize` runs compiled when the build is installed.
    """

    program: BoundProgram
    target: Array
    loss: RobustLoss
    log_space: bool = True
    weights: Array | None = None
    kernel: Kernel | None = None

    def _w(self, groups: IntArray) -> Array | float:
        return 1.0 if self.weights is None else self.weights[groups]

    def chunk(self) -> int:
        """Problems per block. Arrays of ~8k numbers stay in cache and come from reused heap
        memory; one huge batch spends most of its time faulting in fresh pages per array."""
        return max(8, _BLOCK // max(self.program.n_points, 1))

    def value(self, theta: Array, groups: IntArray) -> Array:
        """Objective of each row of ``theta`` (``inf`` where not finite)."""
        n = self.chunk()
        if theta.shape[0] > n:
            return np.concatenate(
                [self.value(theta[i : i + n], groups[i : i + n]) for i in range(0, len(theta), n)]
            )
        r = self.residuals(theta)
        with np.errstate(all="ignore"):
            f = self.loss.total(r, self._w(groups))
        f[~np.isfinite(f)] = np.inf
        return f

    def residuals(self, theta: Array) -> Array:
        """Residuals ``(S, P)`` at each row of ``theta`` (a fresh array)."""
        pred = self.program.value(theta)
        with np.errstate(all="ignore"):
            r = np.log(pred) if self.log_space else np.array(pred)
        r -= self.target
        return r

    def derivatives(self, theta: Array, groups: IntArray) -> tuple[Array, Array, Array, Array]:
        """Objective ``(B,)``, gradient ``(B, K)``, exact Hessian and Gauss-Newton Hessian ``(B, K, K)``.

        The Gauss-Newton matrix uses the curvature ``rho'(r)/r`` of the quadratic that
        majorises the robust loss at ``r`` (iteratively reweighted least squares): it is
        positive semi-definite and well scaled far from a minimum, where Huber's exact
        curvature is zero for every residual beyond ``delta``.
        """
        B, K = theta.shape
        n = self.chunk()
        f, grad = np.empty(B), np.empty((B, K))
        H, H_gn = np.empty((B, K, K)), np.empty((B, K, K))
        # the (rows, 3K, runs) Jacobian buffer is allocated once per call, not per block:
        # arrays this large come from fresh pages each time they are allocated
        work = np.empty((min(n, B), 3 * K, self.program.n_points))
        for i in range(0, B, n):
            j = min(i + n, B)
            f[i:j], grad[i:j], H[i:j], H_gn[i:j] = self._block(theta[i:j], groups[i:j], work)
        bad = ~(
            np.isfinite(f) & np.all(np.isfinite(grad), axis=1) & np.all(np.isfinite(H), axis=(1, 2))
        )
        if bad.any():
            f[bad], grad[bad], H[bad], H_gn[bad] = np.inf, 0.0, 0.0, 0.0
        return f, grad, H, H_gn

    def _block(
        self, theta: Array, groups: IntArray, work: Array
    ) -> tuple[Array, Array, Array, Array]:
        B, K = theta.shape
        with np.errstate(all="ignore"):
            m = self.program.derivatives(theta, 2)
            # residual derivatives: r_k = m_k/m, r_kl = m_kl/m - r_k r_l in log space
            inv = 1.0 / m.val if self.log_space else None
            r = np.log(m.val) if self.log_space else np.array(m.val)
            r -= self.target
            rho, r1, r2 = self.loss.derivatives(r)
            w = self._w(groups)
            weighted = not isinstance(w, float)
            a1, a2 = (w * r1, w * r2) if weighted else (r1, r2)
            f = np.sum(w * rho if weighted else rho, axis=1)
            # Jacobian of the residuals with parameters first, (B, K, P), in the work
            # buffer, followed by it scaled by each curvature weight: both Hessians come
            # from one batched matrix multiply
            G, GW = work[:B, :K], work[:B, K:]
            for k in range(K):
                v = m.g.get(k)
                if v is None:
                    G[:, k] = 0.0
                elif inv is None:
                    G[:, k] = v
                else:
                    np.multiply(v, inv, out=G[:, k])
            grad = np.matmul(G, a1[:, :, None])[:, :, 0]
            irls = np.divide(r1, r, out=r2.copy(), where=r != 0)
            if weighted:
                irls *= w
            dense = a2 - a1 if self.log_space else a2
            np.multiply(G, dense[:, None, :], out=GW[:, :K])
            np.multiply(G, irls[:, None, :], out=GW[:, K:])
            both = np.matmul(GW, np.swapaxes(G, 1, 2))
            H, H_gn = both[:, :K], both[:, K:]
            a1m = a1 * inv if inv is not None else a1
            total = None
            # a second derivative that is a first derivative (d2/da2 of A*x with A = e^a is
            # d/da; the autodiff shares the array) has its sum in the gradient already
            first = {id(v): k for k, v in m.g.items()}
            for (k, l), v in m.h.items():
                if id(v) in first:
                    s = grad[:, first[id(v)]]
                elif v.shape[-1] == 1:  # constant across runs
                    total = a1m.sum(axis=1) if total is None else total
                    s = v.reshape(-1) * total
                elif v.shape[0] == 1:  # constant across rows
                    s = a1m @ v[0]
                else:
                    s = np.einsum("bp,bp->b", a1m, v)
                H[:, k, l] += s
                if k != l:
                    H[:, l, k] += s
        return f, grad, H, H_gn


@dataclass(frozen=True)
class SolveResult:
    """Per-problem outcome of :func:`minimize`.

    Attributes:
        theta: Final fitted vectors ``(B, K)``.
        objective: Final objective ``(B,)``.
        status: :class:`Status` code per problem ``(B,)``.
        steps: Newton iterations each problem took ``(B,)``.
        solver: Which implementation ran: ``"numpy"`` or the compiled build's name.
    """

    theta: Array
    objective: Array
    status: NDArray[np.int8]
    steps: IntArray
    solver: str = "numpy"


def minimize(
    objective: Objective,
    theta0: Array,
    *,
    lower: Array,
    upper: Array,
    groups: IntArray | None = None,
    max_steps: int = 300,
    ftol: float = 1e-12,
    xtol: float = 1e-9,
    progress: Callable[[int, int], None] | None = None,
    threads: int | None = None,
) -> SolveResult:
    """Minimise the objective from every row of ``theta0`` at once.

    Args:
        objective: What to minimise.
        theta0: Starts in the fitted space, ``(B, K)``.
        lower: Lower bounds ``(K,)`` in the fitted space.
        upper: Upper bounds ``(K,)``.
        groups: For each problem, the row of ``objective.weights`` it uses.
        max_steps: Most Newton iterations per problem.
        ftol: Converged when a step lowers the objective by less than ``ftol`` relative...
        xtol: ...and moves no parameter by more than ``xtol * (1 + |theta|)``.
        progress: Called as ``progress(finished, total)`` after each iteration.
        threads: Threads for the compiled solver (default: every core this process may use);
            the NumPy solver runs on one.

    Returns:
        The final point, objective, status and step count of every problem.
    """
    theta = np.clip(np.array(theta0, dtype=np.float64), lower, upper)
    B, K = theta.shape
    groups = np.zeros(B, dtype=np.int64) if groups is None else np.asarray(groups, dtype=np.int64)
    if objective.kernel is not None and objective.log_space:
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
                max_steps=max_steps,
                ftol=ftol,
                xtol=xtol,
                threads=threads,
                progress=progress,
            )
            if out is not None:
                theta, f_out, status_out, steps_out = out
                return SolveResult(
                    theta=theta,
                    objective=f_out,
                    status=status_out,
                    steps=steps_out,
                    solver=_compiled.library_name() or "numpy",
                )
    status = np.zeros(B, dtype=np.int8)
    steps = np.zeros(B, dtype=np.int64)
    mu = np.full(B, 1e-3)
    f = np.empty(B)
    grad = np.zeros((B, K))
    hess = np.zeros((B, K, K))
    hess_gn = np.zeros((B, K, K))
    stale = np.ones(B, dtype=bool)  # derivatives must be recomputed at the current point
    quiet = np.zeros(B, dtype=np.int64)  # consecutive iterations without a meaningful decrease

    for _ in range(max_steps):
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

        steps[active] += 1
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
        status[active[~better & ~tiny_move & (mu[active] > 1e12)]] = Status.STALLED
        if progress is not None:
            progress(int(np.count_nonzero(status != Status.RUNNING)), B)

    status[status == Status.RUNNING] = Status.MAX_STEPS
    if progress is not None:
        progress(B, B)
    return SolveResult(theta=theta, objective=f, status=status, steps=steps)


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
