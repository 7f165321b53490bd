"""The loss of a law along its compute-optimal search: ``N`` and ``D`` inputs of every row,
and the derivatives along an iso-FLOP line (:func:`~._search.minimise_numeric`)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.fit._withheld import planning_pair
from scalinglab.laws import Law
from scalinglab.laws._autodiff import Program

__all__ = ["Curve", "planning_symbols"]

Array = NDArray[np.float64]


def planning_symbols(law: Law) -> tuple[str, str]:
    """The symbols of ``law`` that read ``params`` and ``tokens`` (:func:`planning_pair`,
    the rule by which a fit withholds its plan too).

    Raises:
        ConfigError: If the law does not depend on exactly those two columns.
    """
    pair = planning_pair(law)
    if pair is not None:
        return pair
    columns = list(law.variables.values())
    if len(columns) == 1:
        depends = f"depends only on {columns[0]}"
    else:
        depends = f"depends on {', '.join(columns[:-1])} and {columns[-1]}"
    raise ConfigError(
        f"law {law.name!r} {depends}; compute-optimal planning needs a law in params and tokens",
        hint="fit a law such as 'chinchilla' or 'kaplan', or plan with a preset such as hoffmann2022",
    )


class Curve:
    """The loss of a law with ``N`` and ``D`` as inputs of every row.

    The law's expression is compiled with ``N`` and ``D`` as two extra (log-space) parameters,
    so row ``r`` of a batch is evaluated at its own parameters, ``N`` and ``D`` — elementwise,
    without the all-pairs product that :meth:`Law.evaluate` computes.
    """

    def __init__(self, law: Law) -> None:
        n_symbol, d_symbol = planning_symbols(law)
        program = Program(
            law.expression(),
            params=(*law.param_names, n_symbol, d_symbol),
            positive=(*(p.positive for p in law.params), True, True),
            variables=(),
        )
        self._bound = program.bind({})
        self._k = len(law.param_names)

    def _rows(self, theta: Array, log_n: Array, log_d: Array) -> Array:
        R, M = log_n.shape
        rows = np.empty((R * M, self._k + 2), dtype=np.float64)
        rows[:, : self._k] = np.repeat(theta, M, axis=0)
        rows[:, self._k] = log_n.reshape(-1)
        rows[:, self._k + 1] = log_d.reshape(-1)
        return rows

    def loss(self, theta: Array, log_n: Array, log_d: Array) -> Array:
        """Loss at ``(R, M)`` points for ``(R, K)`` fitted parameters; NaN becomes ``+inf``."""
        out = self._bound.value(self._rows(theta, log_n, log_d))[:, 0].reshape(log_n.shape)
        return np.where(np.isnan(out), np.inf, out)

    def slope_curvature(
        self, theta: Array, log_n: Array, log_d: Array, bend: tuple[Array, Array] | None = None
    ) -> tuple[Array, Array]:
        """First and second derivative of the loss in ``log N`` along an iso-FLOP line.

        Args:
            theta: Fitted parameters, ``(R, K)``.
            log_n: ``log N`` of every row, ``(R,)``.
            log_d: ``log D`` there, on the line.
            bend: ``(g', g'')``, the derivatives in ``log N`` of ``g = log r(N)`` where the
                line is ``C = 6·N·D·r(N)`` (``log D = log(C/6) - log N - g``); ``None``:
                ``C = 6·N·D``, ``d log D/d log N = -1``.
        """
        R, n, d = len(log_n), self._k, self._k + 1
        rows = self._rows(theta, log_n[:, None], log_d[:, None])
        dual = self._bound.derivatives(rows, 2)

        def part(value: Array | None) -> Array:
            if value is None:  # the expression does not depend on it
                return np.zeros(R)
            return np.broadcast_to(np.asarray(value, dtype=np.float64), (R, 1))[:, 0]

        g_n, g_d = part(dual.g.get(n)), part(dual.g.get(d))
        h_nn, h_nd, h_dd = (part(dual.h.get(k)) for k in ((n, n), (n, d), (d, d)))
        if bend is None:  # q = d log D/d log N = -1
            return g_n - g_d, h_nn - 2 * h_nd + h_dd
        q, q1 = -1.0 - bend[0], -bend[1]
        return g_n + q * g_d, h_nn + 2 * q * h_nd + q * q * h_dd + q1 * g_d
