"""Kaplan's ``L(N, D)`` in closed form (a :class:`~._log_form.LogForm`): the log of the law
and its exact first and second derivatives in the fitted parameters, in a few vectorised
NumPy expressions.

The generic autodiff (:mod:`._autodiff`) differentiates any expression, but Kaplan's law is
not a sum of power terms, so its fits run on the NumPy solver, and there every derivative
call walks the expression through some hundred hyper-dual products; in closed form it is
a few dozen array operations, and the log itself three exp/log passes instead of six.
With the fitted vector ``theta = (n, alpha_N, d, alpha_D)``, ``n = log N_c`` and
``d = log D_c`` (:class:`~scalinglab.laws.KaplanND`),

    log L = alpha_D * s,    s = log(u + v),    u = e^a,  a = p * x,  v = e^b,
    x = n - log N,    b = d - log D,    p = alpha_N / alpha_D.

With ``f = u / (u + v)``, ``g = v / (u + v)`` and ``w = f g`` the derivatives of ``log L``
are

    d/dn = alpha_N f,   d/dalpha_N = x f,   d/dd = alpha_D g,   d/dalpha_D = s - a f,

and the second derivatives (``d/dn d/dalpha_N`` written ``(n, alpha_N)``)

    (n, n) = alpha_N p w          (n, alpha_N) = f + a w        (n, d) = -alpha_N w
    (n, alpha_D) = -p a w         (alpha_N, alpha_N) = x^2 w / alpha_D
    (alpha_N, d) = -x w           (alpha_N, alpha_D) = -x a w / alpha_D
    (d, d) = alpha_D w            (d, alpha_D) = g + a w        (alpha_D, alpha_D) = a^2 w / alpha_D

(``s`` is the log of a sum of two exponentials, whose Hessian in ``(a, b)`` is
``w [[1, -1], [-1, 1]]``; the rest is the chain rule through ``a``'s dependence on ``p``).
``tests/test_laws_closed_form.py`` checks them against finite differences and against the
autodiff.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scalinglab.laws._log_form import Array, Contraction, LogForm

__all__ = ["KaplanLogForm"]


@dataclass(frozen=True)
class KaplanLogForm(LogForm):
    """Kaplan's law bound to runs.

    Attributes:
        log_n: ``log N`` of each run, ``(P,)``.
        inv_d: ``1 / D`` of each run, ``(P,)``.
    """

    log_n: Array
    inv_d: Array

    @classmethod
    def bind(cls, n: Array, d: Array) -> KaplanLogForm:
        """The form on runs of sizes ``n`` and tokens ``d``."""
        with np.errstate(all="ignore"):
            return cls(
                np.log(np.asarray(n, dtype=np.float64)), 1.0 / np.asarray(d, dtype=np.float64)
            )

    def _pieces(self, theta: Array) -> tuple[Array, ...]:
        theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
        n, a_n, d, a_d = theta[:, 0:1], theta[:, 1:2], theta[:, 2:3], theta[:, 3:4]
        x = n - self.log_n
        a = (a_n / a_d) * x
        u = np.exp(a)
        v = np.exp(d) * self.inv_d  # D_c / D: one exp per start rather than per run
        return a_n, a_d, x, a, u, v

    def log_value(self, theta: Array) -> Array:
        with np.errstate(all="ignore"):
            _, a_d, _, _, u, v = self._pieces(theta)
            return a_d * np.log(u + v)

    def _first(self, theta: Array) -> tuple[Array, ...]:
        """``log L``, its gradient, and what the second derivatives are made of."""
        a_n, a_d, x, a, u, v = self._pieces(theta)
        total = u + v
        s = np.log(total)
        f = u / total
        g = v / total
        S, P = x.shape
        grad = np.empty((S, 4, P))
        np.multiply(a_n, f, out=grad[:, 0])
        np.multiply(x, f, out=grad[:, 1])
        np.multiply(a_d, g, out=grad[:, 2])
        np.subtract(s, a * f, out=grad[:, 3])
        return a_d * s, grad, a_n, a_d, x, a, f, g

    def solver_derivatives(self, theta: Array) -> tuple[Array, Array, Contraction]:
        """As :meth:`log_derivatives`, with the Hessian as weighted sums: with ``a = p x``
        every entry is a multiple of ``sum c w``, ``sum c x w``, ``sum c x^2 w``, ``sum c f``
        or ``sum c g`` (see the module docstring's table)."""
        with np.errstate(all="ignore"):
            log_l, grad, a_n, a_d, x, _, f, g = self._first(theta)
        a_n, a_d = a_n[:, 0], a_d[:, 0]
        p = a_n / a_d

        def contract(c: Array) -> Array:
            with np.errstate(all="ignore"):
                cw = c * f * g
                s0 = cw.sum(axis=1)
                cwx = cw * x
                s1 = cwx.sum(axis=1)
                s2 = np.einsum("bp,bp->b", cwx, x)
                sf = np.einsum("bp,bp->b", c, f)
                sg = np.einsum("bp,bp->b", c, g)
                out = np.empty((len(s0), 4, 4))
                entries = {
                    (0, 0): a_n * p * s0,
                    (0, 1): sf + p * s1,
                    (0, 2): -a_n * s0,
                    (0, 3): -p * p * s1,
                    (1, 1): s2 / a_d,
                    (1, 2): -s1,
                    (1, 3): -p * s2 / a_d,
                    (2, 2): a_d * s0,
                    (2, 3): sg + p * s1,
                    (3, 3): p * p * s2 / a_d,
                }
                for (k, l), value in entries.items():
                    out[:, k, l] = out[:, l, k] = value
            return out

        return log_l, grad, contract

    def log_derivatives(self, theta: Array) -> tuple[Array, Array, Array]:
        with np.errstate(all="ignore"):
            log_l, grad, a_n, a_d, x, a, f, g = self._first(theta)
            p = a_n / a_d
            w = f * g
            aw = a * w
            S, P = x.shape
            hess = np.empty((S, 4, 4, P))
            xw = x * w
            entries = {
                (0, 0): (a_n * p) * w,
                (0, 1): f + aw,
                (0, 2): -a_n * w,
                (0, 3): -p * aw,
                (1, 1): x * xw / a_d,
                (1, 2): -xw,
                (1, 3): -xw * a / a_d,
                (2, 2): a_d * w,
                (2, 3): g + aw,
                (3, 3): a * aw / a_d,
            }
            for (k, l), value in entries.items():
                hess[:, k, l] = value
                if k != l:
                    hess[:, l, k] = value
            return log_l, grad, hess
