"""A law's log in closed form: the hook for laws whose exact derivatives the generic
autodiff computes slowly.

The hyper-dual autodiff (:mod:`._autodiff`) differentiates any expression, walking it on
every call. A law that knows ``log L`` and its first and second derivatives in the fitted
parameters in closed form (Kaplan's ``L(N, D)``, which is not a sum of power terms and so
runs on the NumPy solver) returns a :class:`LogForm` from :meth:`Law.log_form
<scalinglab.laws.Law.log_form>`; the law's bound program carries it, the solver's objective
takes its residuals and derivatives from it in log space (where ``r = log L - log y``, so
these *are* the residual's derivatives), and :meth:`BoundProgram.derivatives
<scalinglab.laws._autodiff.BoundProgram.derivatives>` converts them for everything else.
A log form must equal the autodiff to rounding: test it against the autodiff and against
finite differences, as ``tests/test_laws_closed_form.py`` does for Kaplan's.

A law fitted on linear residuals (``r = L - y``: a task's accuracy against loss) has the
same hook for its value rather than its log, :class:`ValueForm`, from :meth:`Law.value_form
<scalinglab.laws.Law.value_form>`: the bound program's :meth:`value
<scalinglab.laws._autodiff.BoundProgram.value>` and :meth:`derivatives
<scalinglab.laws._autodiff.BoundProgram.derivatives>` come from it (as sparse
:class:`Dual` values: only the derivatives that are not zero), and so does everything the
solver reads (``tests/test_laws_downstream_form.py`` for the downstream laws').
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from scalinglab.laws._dual import Dual

__all__ = ["Contraction", "LogForm", "ValueForm", "dual_from_log"]

Array = NDArray[np.float64]

#: Run weights ``c`` ``(S, P)`` -> ``sum_p c_p * d2 log L_p`` ``(S, K, K)``: the part of the
#: objective's Hessian that the law's own curvature contributes.
Contraction = Callable[[Array], Array]


class LogForm(ABC):
    """``log L`` of a law bound to runs, with its exact derivatives in the fitted space."""

    @abstractmethod
    def log_value(self, theta: Array) -> Array:
        """``log L`` at fitted vectors ``theta`` ``(S, K)``: an ``(S, P)`` array."""

    @abstractmethod
    def log_derivatives(self, theta: Array) -> tuple[Array, Array, Array]:
        """At fitted vectors ``theta`` ``(S, K)``: ``log L`` ``(S, P)``, its gradient
        ``(S, K, P)`` and its Hessian ``(S, K, K, P)`` in the fitted parameters."""

    def solver_derivatives(self, theta: Array) -> tuple[Array, Array, Contraction]:
        """What the solver's objective needs: ``log L``, its gradient, and its Hessian only
        as weighted sums over the runs (:data:`Contraction`), which a law can form without
        the ``(S, K, K, P)`` array (Kaplan's needs five sums). By default, from
        :meth:`log_derivatives`."""
        log_l, grad, hess = self.log_derivatives(theta)
        S, K, P = grad.shape

        def contract(c: Array) -> Array:
            out: Array = np.matmul(hess.reshape(S, K * K, P), c[:, :, None])
            return out.reshape(S, K, K)

        return log_l, grad, contract


class ValueForm(ABC):
    """A law bound to runs, its value and exact derivatives in the fitted space."""

    @abstractmethod
    def value(self, theta: Array) -> Array:
        """The law at fitted vectors ``theta`` ``(S, K)``: an ``(S, P)`` array, equal to the
        expression's value path to rounding."""

    @abstractmethod
    def dual(self, theta: Array, order: int) -> Dual:
        """Value and derivatives up to ``order`` (1 or 2) at ``theta`` ``(S, K)``, sparse:
        derivatives that are zero are left out; every array broadcasts against ``(S, P)``."""


def dual_from_log(form: LogForm, theta: Array, order: int) -> Dual:
    """The law's value and derivatives (the autodiff's :class:`Dual`, dense) from its log's:
    ``L = e^l``, ``L_k = L l_k``, ``L_kl = L (l_kl + l_k l_l)``."""
    log_l, grad, hess = form.log_derivatives(theta)
    K = grad.shape[1]
    with np.errstate(all="ignore"):
        val = np.exp(log_l)
        out = Dual(val, {k: val * grad[:, k] for k in range(K)} if order else {})
        if order > 1:
            for k in range(K):
                for l in range(k, K):
                    out.h[(k, l)] = val * (hess[:, k, l] + grad[:, k] * grad[:, l])
    return out
