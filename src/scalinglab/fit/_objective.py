"""What the solver minimises: a law bound to runs, a robust loss, run weights, derivatives.

``f_b(theta) = sum_p w_bp * rho(r_p(theta))`` with ``r`` the residual of the law (in log or
linear space) and ``w_b`` the run weights of problem ``b`` (bootstrap counts, or ones), with
its exact gradient, exact Hessian and reweighted Gauss-Newton Hessian for every row of a
batch of parameter vectors at once.

A law with its log in closed form (:mod:`scalinglab.laws._log_form`; Kaplan's) gives the
residuals and their derivatives in log space directly; every other law's come from the
generic autodiff.

Cost: the derivatives at each accepted point dominate. They run in blocks of ~8k numbers
(cache-sized), with the large Jacobian buffers allocated once per call rather than per
block, and second derivatives the autodiff shares with first derivatives summed once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab.fit._losses import RobustLoss
from scalinglab.laws._autodiff import BoundProgram

if TYPE_CHECKING:
    from scalinglab.fit._compiled import Kernel

__all__ = ["Array", "IntArray", "Objective"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

_BLOCK = 1 << 13


@dataclass(frozen=True)
class Objective:
    """What is minimised: a bound law, the targets, the robust loss and the run weights.

    Attributes:
        program: The law bound to the runs' variables.
        target: Observed loss per run, ``(P,)`` (already logged when ``log_space``), or
            one row per weight-set, ``(R, P)``, picked like :attr:`weights` (a wild
            bootstrap's resampled targets).
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

    def _y(self, groups: IntArray | None) -> Array:
        if self.target.ndim == 1:
            return self.target
        if groups is None:
            raise ValueError("an objective with a target per weight-set needs the groups")
        return self.target[groups]

    def chunk(self) -> int:
        """Problems per block. Arrays of ~8k numbers stay in cache and come from reused heap
        memory; one huge batch spends most of its time faulting in fresh pages per array.

        Returns:
            The rows of ``theta`` solved per block, at least 8.
        """
        return max(8, _BLOCK // max(self.program.n_points, 1))

    def value(self, theta: Array, groups: IntArray) -> Array:
        """Objective of each row of ``theta``.

        Args:
            theta: Fitted vectors ``(B, K)``.
            groups: Each row's weight-set, ``(B,)``.

        Returns:
            ``(B,)``, ``inf`` where not finite.
        """
        n = self.chunk()
        if theta.shape[0] > n:
            return np.concatenate(
                [self.value(theta[i : i + n], groups[i : i + n]) for i in range(0, len(theta), n)]
            )
        r = self.residuals(theta, groups)
        with np.errstate(all="ignore"):
            f = self.loss.total(r, self._w(groups))
        f[~np.isfinite(f)] = np.inf
        return f

    def residuals(self, theta: Array, groups: IntArray | None = None) -> Array:
        """Residuals ``(S, P)`` at each row of ``theta`` (a fresh array); ``groups`` picks
        each row's target where there is one per weight-set.

        Args:
            theta: Fitted vectors ``(S, K)``.
            groups: Each row's weight-set, ``(S,)``; needed where targets differ by set.

        Returns:
            The residuals ``(S, P)``, in log space where the objective fits there.
        """
        form = self.program.log_form if self.log_space else None
        y = self._y(groups)
        if form is not None:  # log L in closed form
            with np.errstate(all="ignore"):
                return form.log_value(theta) - y
        pred = self.program.value(theta)
        with np.errstate(all="ignore"):
            r = np.log(pred) if self.log_space else np.array(pred)
        r -= y
        return r

    def derivatives(self, theta: Array, groups: IntArray) -> tuple[Array, Array, Array, Array]:
        """Objective ``(B,)``, gradient ``(B, K)``, exact Hessian and Gauss-Newton Hessian ``(B, K, K)``.

        The Gauss-Newton matrix uses the curvature ``rho'(r)/r`` of the quadratic that
        majorises the robust loss at ``r`` (iteratively reweighted least squares): it is
        positive semi-definite and well scaled far from a minimum, where Huber's exact
        curvature is zero for every residual beyond ``delta``.

        Args:
            theta: Fitted vectors ``(B, K)``.
            groups: Each row's weight-set, ``(B,)``.

        Returns:
            ``(f, gradient, hessian, gauss_newton)``; a row not finite: ``inf`` and zeros.
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
        form = self.program.log_form if self.log_space else None
        with np.errstate(all="ignore"):
            # Jacobian of the residuals with parameters first, (B, K, P), in the work
            # buffer, followed by it scaled by each curvature weight: both Hessians come
            # from one batched matrix multiply
            G, GW = work[:B, :K], work[:B, K:]
            if form is not None:  # log L in closed form: its derivatives are the residual's
                r, G[...], contract = form.solver_derivatives(theta)
            else:
                m = self.program.derivatives(theta, 2)
                # residual derivatives: r_k = m_k/m, r_kl = m_kl/m - r_k r_l in log space
                inv = 1.0 / m.val if self.log_space else None
                r = np.log(m.val) if self.log_space else np.array(m.val)
                for k in range(K):
                    v = m.g.get(k)
                    if v is None:
                        G[:, k] = 0.0
                    elif inv is None:
                        G[:, k] = v
                    else:
                        np.multiply(v, inv, out=G[:, k])
            r -= self._y(groups)
            rho, r1, r2 = self.loss.derivatives(r)
            w = self._w(groups)
            weighted = not isinstance(w, float)
            a1, a2 = (w * r1, w * r2) if weighted else (r1, r2)
            f = np.sum(w * rho if weighted else rho, axis=1)
            grad = np.matmul(G, a1[:, :, None])[:, :, 0]
            irls = np.divide(r1, r, out=r2.copy(), where=r != 0)
            if weighted:
                irls *= w
            dense = a2 - a1 if self.log_space and form is None else a2
            np.multiply(G, dense[:, None, :], out=GW[:, :K])
            np.multiply(G, irls[:, None, :], out=GW[:, K:])
            both = np.matmul(GW, np.swapaxes(G, 1, 2))
            H, H_gn = both[:, :K], both[:, K:]
            if form is not None:  # sum_p a1_p r_kl,p, as the law forms it
                H += contract(a1)
                return f, grad, H, H_gn
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
