"""Where compute-optimal training lies, for many parameter sets at once.

Under ``C = 6·N·D`` the compute-optimal model minimises the loss along the iso-FLOP line
``D = C/(6N)``. For Chinchilla's law that minimum has a closed form (Hoffmann et al. 2022,
eq. 4 and Appendix D); for any other law in ``N`` and ``D`` it is found numerically:

1. a coarse grid of :data:`GRID_POINTS` values of ``log N``, evenly spaced from ``N = 1`` to
   ``N = C/6`` (every split of the compute with at least one parameter and one token), picks
   the best grid point of every row;
2. golden-section search between its two neighbours narrows ``log N`` to :data:`GOLDEN_TOL`;
3. a few Newton steps on the exact first and second derivatives of the loss along the line
   polish the optimum beyond what comparing loss values can resolve (about ``sqrt(eps)``).

Every step works on all rows — the point estimate and every bootstrap sample, each with its
own ``C`` — as one array computation. The least compute reaching a target loss is found by
bisection in ``log C`` over ``[C_MIN, C_MAX]``, again for all rows together; it relies on the
compute-optimal loss falling as ``C`` grows, which holds for any law that does not rise with
more tokens.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.laws import Law
from scalinglab.laws._autodiff import Program

__all__ = [
    "C_MAX",
    "C_MIN",
    "GOLDEN_TOL",
    "GRID_POINTS",
    "Curve",
    "Optimum",
    "bisect_compute",
    "chinchilla_compute",
    "chinchilla_optimum",
    "minimise_numeric",
    "planning_symbols",
]

Array = NDArray[np.float64]

#: Points of the coarse grid in ``log N`` over ``[1, C/6]``.
GRID_POINTS = 129
#: Width of the final golden-section bracket in ``log N``.
GOLDEN_TOL = 1e-9
#: Newton steps after the golden-section search; a step longer than ``_NEWTON_MAX_STEP``
#: (in ``log N``) means the local model cannot be trusted and is not taken.
_NEWTON_STEPS = 3
_NEWTON_MAX_STEP = 1e-4
#: The compute range searched for a target loss, in FLOPs.
C_MIN = 1e6
C_MAX = 1e50
#: Bisection steps in ``log C``: ``log(C_MAX/C_MIN) / 2**50`` is below 1e-13.
_BISECTION_STEPS = 50
_LOG6 = math.log(6.0)
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0


def planning_symbols(law: Law) -> tuple[str, str]:
    """The symbols of ``law`` that read ``params`` and ``tokens``.

    Raises:
        ConfigError: If the law does not depend on exactly those two columns.
    """
    by_column = {column: symbol for symbol, column in law.variables.items()}
    columns = list(law.variables.values())
    if "params" in by_column and "tokens" in by_column and len(columns) == 2:
        return by_column["params"], by_column["tokens"]
    if len(columns) == 1:
        depends = f"depends only on {columns[0]}"
    else:
        depends = f"depends on {', '.join(columns[:-1])} and {columns[-1]}"
    raise ConfigError(
        f"law {law.name!r} {depends}; compute-optimal planning needs a law in params and tokens",
        hint="fit a law such as 'chinchilla' or 'kaplan', or plan with a preset such as hoffmann2022",
    )


@dataclass(frozen=True)
class Optimum:
    """The compute-optimal point of every row.

    Attributes:
        log_n: ``log N`` at the optimum, ``(R,)`` (NaN where the loss is nowhere finite).
        log_d: ``log D = log(C/6) - log N``.
        loss: The law's loss there.
        at_edge: Whether the optimum lies at the search bracket's edge (always ``False`` for
            the closed form).
    """

    log_n: Array
    log_d: Array
    loss: Array
    at_edge: NDArray[np.bool_]


def _columns(values: Array, names: tuple[str, ...], *wanted: str) -> list[Array]:
    return [values[:, names.index(n)] for n in wanted]


def chinchilla_optimum(values: Array, names: tuple[str, ...], log_c: Array) -> Optimum:
    """Closed-form optimum of ``E + A/N^alpha + B/D^beta`` under ``C = 6ND``.

    Hoffmann et al. 2022, eq. 4 / Appendix D: ``N_opt = G·(C/6)^(beta/(alpha+beta))``,
    ``D_opt = G^-1·(C/6)^(alpha/(alpha+beta))``, ``G = (alpha·A/(beta·B))^(1/(alpha+beta))``.

    Args:
        values: Natural parameter values, ``(R, K)``.
        names: The law's parameter names (the columns of ``values``).
        log_c: ``log C`` of every row, ``(R,)``.
    """
    E, A, B, alpha, beta = _columns(values, names, "E", "A", "B", "alpha", "beta")
    with np.errstate(all="ignore"):
        total = alpha + beta
        log_g = (np.log(alpha * A) - np.log(beta * B)) / total
        log_x = log_c - _LOG6
        log_n = log_g + beta / total * log_x
        log_d = -log_g + alpha / total * log_x
        loss = E + A * np.exp(-alpha * log_n) + B * np.exp(-beta * log_d)
    return Optimum(log_n, log_d, loss, np.zeros(len(log_c), dtype=np.bool_))


def chinchilla_compute(values: Array, names: tuple[str, ...], target: float) -> Array:
    """``log C`` at which Chinchilla's compute-optimal loss equals ``target``, per row.

    Along the optimum both reducible terms scale as ``(C/6)^-gamma`` with
    ``gamma = alpha·beta/(alpha+beta)``, so ``L*(C) = E + K·(C/6)^-gamma`` with
    ``K = A·G^-alpha + B·G^beta``, which inverts exactly. Rows whose ``E`` is at or above
    the target get ``+inf``.
    """
    E, A, B, alpha, beta = _columns(values, names, "E", "A", "B", "alpha", "beta")
    with np.errstate(all="ignore"):
        total = alpha + beta
        log_g = (np.log(alpha * A) - np.log(beta * B)) / total
        gamma = alpha * beta / total
        K = A * np.exp(-alpha * log_g) + B * np.exp(beta * log_g)
        log_c = _LOG6 - np.log((target - E) / K) / gamma
    return np.where(target > E, log_c, np.inf)


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

    def slope_curvature(self, theta: Array, log_n: Array, log_x: Array) -> tuple[Array, Array]:
        """First and second derivative of the loss in ``log N`` along ``D = C/(6N)``.

        Args:
            theta: Fitted parameters, ``(R, K)``.
            log_n: ``log N`` of every row, ``(R,)``.
            log_x: ``log(C/6)`` of every row, so that ``log D = log_x - log_n``.
        """
        R, n, d = len(log_n), self._k, self._k + 1
        rows = self._rows(theta, log_n[:, None], (log_x - log_n)[:, None])
        dual = self._bound.derivatives(rows, 2)

        def part(value: Array | None) -> Array:
            if value is None:  # the expression does not depend on it
                return np.zeros(R)
            return np.broadcast_to(np.asarray(value, dtype=np.float64), (R, 1))[:, 0]

        slope = part(dual.g.get(n)) - part(dual.g.get(d))
        curvature = (
            part(dual.h.get((n, n))) - 2 * part(dual.h.get((n, d))) + part(dual.h.get((d, d)))
        )
        return slope, curvature


def minimise_numeric(curve: Curve, theta: Array, log_c: Array) -> Optimum:
    """Minimise the loss along ``D = C/(6N)`` over ``log N`` for every row.

    Args:
        curve: The law, compiled.
        theta: Fitted parameters, ``(R, K)``.
        log_c: ``log C`` of every row, ``(R,)``; ``C`` must exceed 6.
    """
    s = log_c - _LOG6  # log(C/6): log N runs over [0, s]
    R = len(s)
    u = np.linspace(0.0, 1.0, GRID_POINTS)
    grid = s[:, None] * u[None, :]
    losses = curve.loss(theta, grid, s[:, None] - grid)
    best = np.argmin(losses, axis=1)
    valid = np.isfinite(losses[np.arange(R), best])
    at_edge = valid & ((best == 0) | (best == GRID_POINTS - 1))

    def f(x: Array) -> Array:
        return curve.loss(theta, x[:, None], (s - x)[:, None])[:, 0]

    a = s * u[np.maximum(best - 1, 0)]
    b = s * u[np.minimum(best + 1, GRID_POINTS - 1)]
    c, d = b - _INV_PHI * (b - a), a + _INV_PHI * (b - a)
    fc, fd = f(c), f(d)
    widest = float(np.max(b - a, initial=0.0))
    steps = max(0, math.ceil(math.log(max(widest, GOLDEN_TOL) / GOLDEN_TOL) / -math.log(_INV_PHI)))
    for _ in range(steps):
        left = fc <= fd  # the minimum is in [a, d]
        a, b = np.where(left, a, c), np.where(left, d, b)
        new = np.where(left, b - _INV_PHI * (b - a), a + _INV_PHI * (b - a))
        f_new = f(new)
        c, d = np.where(left, new, d), np.where(left, c, new)
        fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
    x = np.where(fc <= fd, c, d)

    polish = valid & ~at_edge
    for _ in range(_NEWTON_STEPS):
        slope, curvature = curve.slope_curvature(theta, x, s)
        with np.errstate(all="ignore"):
            step = slope / curvature
            take = polish & (curvature > 0) & (np.abs(step) < _NEWTON_MAX_STEP)
        x = np.clip(np.where(take, x - step, x), 0.0, s)

    loss = f(x)
    nan = np.full(R, np.nan)
    return Optimum(
        np.where(valid, x, nan),
        np.where(valid, s - x, nan),
        np.where(valid & np.isfinite(loss), loss, nan),
        at_edge,
    )


def bisect_compute(
    optimal_loss: Callable[[Array], Array], target: float, n_rows: int
) -> tuple[Array, NDArray[np.bool_], NDArray[np.bool_]]:
    """Least ``log C`` in ``[C_MIN, C_MAX]`` whose compute-optimal loss is at most ``target``.

    Args:
        optimal_loss: ``log C`` of every row ``(R,)`` -> the compute-optimal loss ``(R,)``.
        target: The loss to reach.
        n_rows: ``R``.

    Returns:
        ``log C`` (NaN where the loss is not finite), and two masks: rows the target is out
        of reach for within ``C_MAX`` (``log C = inf``), and rows that reach it already at
        ``C_MIN`` (``log C = log C_MIN``).
    """
    lo = np.full(n_rows, math.log(C_MIN))
    hi = np.full(n_rows, math.log(C_MAX))
    at_lo, at_hi = optimal_loss(lo), optimal_loss(hi)
    unreachable = ~(at_hi <= target) & np.isfinite(at_hi)
    below = at_lo <= target
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        above = ~(optimal_loss(mid) <= target)
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    log_c = np.where(below, math.log(C_MIN), hi)
    log_c = np.where(unreachable, np.inf, log_c)
    log_c = np.where(np.isfinite(at_hi) & np.isfinite(at_lo), log_c, np.nan)
    return log_c, unreachable, below
