"""The downstream laws in closed form: the sigmoid of Bhagia et al., Gadre et al.'s
exponential law of error (both fitted on linear residuals: :class:`~._log_form.ValueForm`)
and the loss-to-loss shifted power law of Brandfonbrener et al. (fitted on log residuals:
:class:`~._log_form.LogForm`), each with its exact first and second derivatives in the
fitted parameters in a few vectorised NumPy expressions.

A chain fits one accuracy law per task with a bootstrap of 1,000 resamples, and the generic
autodiff (:mod:`._autodiff`) walks each law's expression through its hyper-dual products on
every derivative call; in closed form it is a handful of array operations. Each value is
computed with the same operations, in the same order, as the expression's value path, so
the two agree bit for bit; ``tests/test_laws_downstream_form.py`` checks the derivatives
against finite differences and against the autodiff.

Sigmoid, ``acc = a·σ + b`` with ``σ = 1/(1 + e)``, ``e = exp(−t)``, ``t = k·x``,
``x = L − L0``; with ``τ = 1 − σ = 1/(1 + 1/e)`` (no cancellation), ``q = σ·τ = dσ/dt``
and ``q₂ = q·(τ − σ) = d²σ/dt²``:

    d/da = σ,   d/dk = a q x,   d/dL0 = −a q k,
    (a, k) = q x,   (a, L0) = −q k,   (k, k) = a q₂ x²,
    (k, L0) = −a (q + k x q₂),   (L0, L0) = a k² q₂    (every other entry 0).

With ``b`` fitted, the solver's first parameter is ``u``, the range's share of the room
above the floor, ``a = u·w`` with ``w = 1 − b`` (which holds the ceiling ``a + b`` at or
below 1: :mod:`scalinglab.downstream._sigmoid`); ``k`` and ``L0`` keep the entries above
(with that ``a``), ``u``'s are ``w`` times ``a``'s, and ``b`` adds:

    d/du = w σ,   d/db = 1 − u σ,   (u, b) = −σ,   (k, b) = −u q x,   (L0, b) = u q k.

Exponential error, ``Err = ε − u`` with ``u = e^c·exp(−γL)`` (``c = log k`` is fitted):

    d/dε = 1,   d/dc = −u,   d/dγ = L u,   (c, c) = −u,   (c, γ) = L u,   (γ, γ) = −L² u.

Loss to loss, ``f = u + E_y`` with ``u = e^c·exp(κ·ℓ)``, ``ℓ = log s``, ``s = L − E_x``,
``c = log K``; in log space, with ``w = u/f`` and ``v = 1 − w = E_y/f``:

    d/dc = w,   d/dκ = w ℓ,   d/dE_x = −w κ/s,   d/dE_y = 1/f,
    (c, c) = w v,   (c, κ) = w v ℓ,   (c, E_x) = −w v κ/s,   (κ, κ) = w v ℓ²,
    (κ, E_x) = −(w/s)(κ ℓ v + 1),   (E_x, E_x) = (w κ/s²)(κ − 1 − w κ),
    (c, E_y) = −w/f,   (κ, E_y) = −w ℓ/f,   (E_x, E_y) = w κ/(s f),   (E_y, E_y) = −1/f².
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scalinglab.laws._dual import Dual
from scalinglab.laws._log_form import Array, LogForm, ValueForm

__all__ = ["ExpErrorForm", "LossToLossLogForm", "SigmoidForm"]


def _rows(theta: Array) -> Array:
    return np.atleast_2d(np.asarray(theta, dtype=np.float64))


@dataclass(frozen=True)
class SigmoidForm(ValueForm):
    """Bhagia et al.'s sigmoid bound to runs.

    Attributes:
        loss: The runs' loss ``L``, ``(P,)``.
        chance: The tied floor ``b``, or NaN when ``b`` is fitted (the fourth parameter;
            the first is then ``a``'s share ``u`` of ``1 − b``).
    """

    loss: Array
    chance: float

    def value(self, theta: Array) -> Array:
        theta = _rows(theta)
        with np.errstate(all="ignore"):
            # as the expression's value path: a * (1 / (1 + exp(-k * (L - L0)))) + b
            e = np.exp(np.negative(theta[:, 1:2]) * (self.loss - theta[:, 2:3]))
            out: Array = self._range(theta) * (1.0 / (1.0 + e)) + self._floor(theta)
        return np.broadcast_to(out, (theta.shape[0], len(self.loss)))

    @property
    def _tied(self) -> bool:
        return not np.isnan(self.chance)

    def _floor(self, theta: Array) -> Array | float:
        return self.chance if self._tied else theta[:, 3:4]

    def _range(self, theta: Array) -> Array:
        """``a``: the first parameter, or with ``b`` fitted ``u·(1 − b)``."""
        return theta[:, 0:1] if self._tied else theta[:, 0:1] * (1.0 - theta[:, 3:4])

    def dual(self, theta: Array, order: int) -> Dual:
        theta = _rows(theta)
        a, k, l0 = self._range(theta), theta[:, 1:2], theta[:, 2:3]
        with np.errstate(all="ignore"):
            x = self.loss - l0
            e = np.exp(np.negative(k) * x)
            sig = 1.0 / (1.0 + e)
            val = a * sig + self._floor(theta)
            out = Dual(np.broadcast_to(val, (theta.shape[0], len(self.loss))))
            if not order:
                return out
            tau = 1.0 / (1.0 + 1.0 / e)  # 1 - sigma without the cancellation
            q = sig * tau
            aq = a * q
            out.g = {0: sig, 1: aq * x, 2: -aq * k}
            if order > 1:
                q2 = q * (tau - sig)
                aq2 = a * q2
                out.h = {
                    (0, 1): q * x,
                    (0, 2): -q * k,
                    (1, 1): aq2 * x * x,
                    (1, 2): -(aq + k * x * aq2),
                    (2, 2): aq2 * k * k,
                }
            if not self._tied:
                _fitted_floor(out, theta, sig, q * x, q * k)
        return out


def _fitted_floor(out: Dual, theta: Array, sig: Array, qx: Array, qk: Array) -> None:
    """``out``, the derivatives in ``(a, k, L0)``, made those in ``(u, k, L0, b)`` with
    ``a = u·w``, ``w = 1 − b`` (module docstring): ``u``'s entries are ``a``'s times ``w``,
    and ``b``'s are added."""
    u, w = theta[:, 0:1], 1.0 - theta[:, 3:4]
    out.g[0] = w * out.g[0]
    out.g[3] = 1.0 - u * sig
    if out.h:
        out.h[(0, 1)] = w * out.h[(0, 1)]
        out.h[(0, 2)] = w * out.h[(0, 2)]
        out.h[(0, 3)] = -sig
        out.h[(1, 3)] = -u * qx
        out.h[(2, 3)] = u * qk


@dataclass(frozen=True)
class ExpErrorForm(ValueForm):
    """Gadre et al.'s ``Err = ε − k·exp(−γL)`` bound to runs (``k`` fitted as its log).

    Attributes:
        loss: The runs' loss ``L``, ``(P,)``.
    """

    loss: Array

    def _u(self, theta: Array) -> Array:
        # as the expression's value path: exp(c) * exp(-gamma * L)
        return np.asarray(np.exp(theta[:, 1:2]) * np.exp(np.negative(theta[:, 2:3]) * self.loss))

    def value(self, theta: Array) -> Array:
        theta = _rows(theta)
        with np.errstate(all="ignore"):
            return np.asarray(theta[:, 0:1] - self._u(theta))

    def dual(self, theta: Array, order: int) -> Dual:
        theta = _rows(theta)
        with np.errstate(all="ignore"):
            u = self._u(theta)
            out = Dual(theta[:, 0:1] - u)
            if not order:
                return out
            lu = self.loss * u
            minus_u = -u
            out.g = {0: np.ones((1, 1)), 1: minus_u, 2: lu}
            if order > 1:
                # (c, c) and (c, gamma) are the gradient's own arrays: the solver's objective
                # then takes their sums from the gradient's
                out.h = {(1, 1): minus_u, (1, 2): lu, (2, 2): -self.loss * lu}
        return out


@dataclass(frozen=True)
class LossToLossLogForm(LogForm):
    """Brandfonbrener et al.'s ``L_y = K·(L_x − E_x)^κ + E_y`` bound to runs, in log space
    (``K`` fitted as its log).

    Attributes:
        loss: The runs' loss ``L_x``, ``(P,)``.
    """

    loss: Array

    def _pieces(self, theta: Array) -> tuple[Array, ...]:
        theta = _rows(theta)
        kappa, e_x, e_y = theta[:, 1:2], theta[:, 2:3], theta[:, 3:4]
        s = self.loss - e_x
        ell = np.log(s)
        # as the expression's value path: exp(c) * exp(kappa * log(L - E_x)) + E_y
        u = np.exp(theta[:, 0:1]) * np.exp(kappa * ell)
        return kappa, e_y, s, ell, u, u + e_y

    def log_value(self, theta: Array) -> Array:
        with np.errstate(all="ignore"):
            return np.asarray(np.log(self._pieces(theta)[-1]))

    def log_derivatives(self, theta: Array) -> tuple[Array, Array, Array]:
        with np.errstate(all="ignore"):
            kappa, e_y, s, ell, u, f = self._pieces(theta)
            inv_f = 1.0 / f
            w = u * inv_f
            v = e_y * inv_f
            inv_s = 1.0 / s
            ks = kappa * inv_s
            S, P = u.shape
            grad = np.empty((S, 4, P))
            grad[:, 0] = w
            grad[:, 1] = w * ell
            grad[:, 2] = -w * ks
            grad[:, 3] = inv_f
            wv = w * v
            entries = {
                (0, 0): wv,
                (0, 1): wv * ell,
                (0, 2): -wv * ks,
                (0, 3): -w * inv_f,
                (1, 1): wv * ell * ell,
                (1, 2): -(w * inv_s) * (kappa * ell * v + 1.0),
                (1, 3): -w * ell * inv_f,
                (2, 2): (w * ks * inv_s) * (kappa - 1.0 - w * kappa),
                (2, 3): w * ks * inv_f,
                (3, 3): -inv_f * inv_f,
            }
            hess = np.empty((S, 4, 4, P))
            for (k, l), value in entries.items():
                hess[:, k, l] = value
                if k != l:
                    hess[:, l, k] = value
            return np.log(f), grad, hess
