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

Budgets counted as the runs counted FLOPs, ``C = 6·N·D·r(N)``
(:class:`~scalinglab.data._flops_rule.FlopsConvention`), move the line: a constant ``r`` plans
``C/r`` under 6·N·D (Chinchilla's closed form too); a varying one is searched numerically
along ``D = C/(6·N·r(N))`` itself, for every law.

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

from scalinglab.data._flops_rule import PLAIN_6ND, FlopsConvention
from scalinglab.plan._curve import Curve, planning_symbols

__all__ = [
    "C_MAX",
    "C_MIN",
    "GOLDEN_TOL",
    "GRID_POINTS",
    "Curve",
    "Optimum",
    "bisect_compute",
    "bisection_midpoints",
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
#: Bisection steps whose possible midpoints one prefetch finds together (``2**5 - 1``).
_AHEAD = 5
_LOG6 = math.log(6.0)
#: Fixed-point steps for the largest ``log N`` of a line ``C = 6·N·D·r(N)`` (``D = 1``).
_TOP_STEPS = 4
_INV_PHI = (math.sqrt(5.0) - 1.0) / 2.0


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


def minimise_numeric(
    curve: Curve, theta: Array, log_c: Array, rule: FlopsConvention = PLAIN_6ND
) -> Optimum:
    """Minimise the loss along ``D = C/(6·N·r(N))`` over ``log N`` for every row.

    Args:
        curve: The law, compiled.
        theta: Fitted parameters, ``(R, K)``.
        log_c: ``log C`` of every row, ``(R,)``; ``C`` must exceed 6.
        rule: How ``C`` is counted, ``r(N)`` (:class:`FlopsConvention`): 6·N·D by default.
    """
    if rule.coef == 0.0:  # a constant ratio: the line D = (C/r)/(6N), as under 6·N·D
        s = log_c - _LOG6 - math.log(rule.base)
        top = s
    else:  # the exact line, whose log D falls faster or slower than log N rises
        s, top = log_c - _LOG6, log_c - _LOG6
        for _ in range(_TOP_STEPS):  # D = 1 where log N + g(log N) = s: g is flat up there
            top = np.maximum(s - rule.log_ratio(top)[0], 0.0)

    def log_d(x: Array) -> Array:  # x: log N, (R,) or (R, M)
        line = (s if x.ndim == 1 else s[:, None]) - x
        return line if rule.coef == 0.0 else line - rule.log_ratio(x)[0]

    R = len(s)
    u = np.linspace(0.0, 1.0, GRID_POINTS)
    grid = top[:, None] * u[None, :]
    losses = curve.loss(theta, grid, log_d(grid))
    best = np.argmin(losses, axis=1)
    valid = np.isfinite(losses[np.arange(R), best])
    at_edge = valid & ((best == 0) | (best == GRID_POINTS - 1))

    def f(x: Array) -> Array:
        return curve.loss(theta, x[:, None], log_d(x)[:, None])[:, 0]

    a = top * u[np.maximum(best - 1, 0)]
    b = top * u[np.minimum(best + 1, GRID_POINTS - 1)]
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
        bent = None if rule.coef == 0.0 else rule.log_ratio(x)[1:]
        slope, curvature = curve.slope_curvature(theta, x, log_d(x), bent)
        with np.errstate(all="ignore"):
            step = slope / curvature
            take = polish & (curvature > 0) & (np.abs(step) < _NEWTON_MAX_STEP)
        x = np.clip(np.where(take, x - step, x), 0.0, top)

    loss = f(x)
    nan = np.full(R, np.nan)
    return Optimum(
        np.where(valid, x, nan),
        np.where(valid, log_d(x), nan),
        np.where(valid & np.isfinite(loss), loss, nan),
        at_edge,
    )


def bisection_midpoints(a: Array | float, b: Array | float, depth: int) -> list[Array | float]:
    """Every midpoint the next ``depth`` steps of a bisection of ``[a, b]`` may visit
    (``2**depth - 1`` of them, elementwise for arrays), each computed as the bisection
    computes it (``0.5 * (a + b)``, the same float), so that a cache of one batched search
    over them answers each step exactly as a search of that point alone would be kept."""
    if depth <= 0:
        return []
    mid = 0.5 * (a + b)
    return [mid, *bisection_midpoints(a, mid, depth - 1), *bisection_midpoints(mid, b, depth - 1)]


def bisect_compute(
    optimal_loss: Callable[[Array], Array],
    target: float,
    n_rows: int,
    *,
    prefetch: Callable[[Array], object] | None = None,
) -> tuple[Array, NDArray[np.bool_], NDArray[np.bool_]]:
    """Least ``log C`` in ``[C_MIN, C_MAX]`` whose compute-optimal loss is at most ``target``.

    Args:
        optimal_loss: ``log C`` of every row ``(R,)`` -> the compute-optimal loss ``(R,)``.
        target: The loss to reach.
        n_rows: ``R``.
        prefetch: Called, every :data:`_AHEAD` steps, with every ``log C`` the next ones
            may ask ``optimal_loss`` for, so that a caller that keeps its optima (one row:
            ``downstream plan``'s path) finds them in one vectorized search, not one a step.

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
    for k in range(_BISECTION_STEPS):
        if prefetch is not None and k % _AHEAD == 0:
            depth = min(_AHEAD, _BISECTION_STEPS - k)
            prefetch(np.concatenate([np.ravel(m) for m in bisection_midpoints(lo, hi, depth)]))
        mid = 0.5 * (lo + hi)
        above = ~(optimal_loss(mid) <= target)
        lo, hi = np.where(above, mid, lo), np.where(above, hi, mid)
    log_c = np.where(below, math.log(C_MIN), hi)
    log_c = np.where(unreachable, np.inf, log_c)
    log_c = np.where(np.isfinite(at_hi) & np.isfinite(at_lo), log_c, np.nan)
    return log_c, unreachable, below
