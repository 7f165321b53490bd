"""fit_speed's baselines: Python loops of scipy's L-BFGS-B over the same starts and objective.

Each returns (wall seconds, CPU seconds, best objective). BLAS is pinned to one thread by
``fit_speed.py`` before NumPy loads (see its docstring), so these loops run serially.
"""

from __future__ import annotations

import time

import numpy as np


def scipy_loop(
    N: np.ndarray, D: np.ndarray, L: np.ndarray, starts: np.ndarray, *, lean: bool = False
) -> tuple[float, float, float]:
    """The baseline: one L-BFGS-B call per start, analytic gradient, scalinglab's bounds
    (alpha, beta in [0, 5]); (wall seconds, CPU seconds, best objective).

    The objective uses ``scipy.special``'s ``logsumexp`` and ``huber`` with a hand-written
    gradient (104 us a call); ``lean=True`` writes the same function with plain ``exp``/``log``
    and a hand-made Huber (17 us a call).
    """
    from scipy.optimize import minimize
    from scipy.special import huber, logsumexp

    lN, lD, lL = np.log(N), np.log(D), np.log(L)
    delta = 1e-3

    def lean_objective(p: np.ndarray) -> tuple[float, np.ndarray]:
        e, a, b, alpha, beta = p
        with np.errstate(all="ignore"):  # far starts overflow; L-BFGS-B steps back
            E, t1, t2 = np.exp(e), np.exp(a - alpha * lN), np.exp(b - beta * lD)
            s = E + t1 + t2
            r = np.log(s) - lL
            c = np.clip(r, -delta, delta)  # Huber's derivative
            w = c / s
            grad = np.array([E * w.sum(), w @ t1, w @ t2, -(w * t1) @ lN, -(w * t2) @ lD])
        return float(c @ (r - 0.5 * c)), grad

    def objective(p: np.ndarray) -> tuple[float, np.ndarray]:
        e, a, b, alpha, beta = p
        z = np.stack([a - alpha * lN, b - beta * lD, np.full_like(lN, e)])
        pred = logsumexp(z, axis=0)
        r = pred - lL
        drho = np.clip(r, -delta, delta)  # Huber's derivative
        w = np.exp(z - pred) * drho  # softmax weights times rho'
        grad = np.array(
            [w[2].sum(), w[0].sum(), w[1].sum(), -(w[0] * lN).sum(), -(w[1] * lD).sum()]
        )
        return float(huber(delta, r).sum()), grad

    bounds = [(None, None)] * 3 + [(0.0, 5.0)] * 2
    t0, c0 = time.perf_counter(), time.process_time()
    best = np.inf
    fun = lean_objective if lean else objective
    for p0 in starts:
        res = minimize(fun, p0, jac=True, method="L-BFGS-B", bounds=bounds)
        best = min(best, float(res.fun))
    return time.perf_counter() - t0, time.process_time() - c0, best


def replication_loop(
    N: np.ndarray, D: np.ndarray, L: np.ndarray, starts: np.ndarray
) -> tuple[float, float, float] | None:
    """The loop as the Epoch replication's notebook writes it: the objective in plain
    ``numpy`` through ``autograd``, its gradient from ``autograd.grad``; ``None`` without
    autograd (``pip install autograd``, or the ``[baselines]`` extra)."""
    try:
        import autograd.numpy as anp  # type: ignore[import-untyped]
        from autograd import grad
    except ImportError:
        return None
    from scipy.optimize import minimize

    def objective(p: np.ndarray) -> float:
        e, a, b, alpha, beta = p[0], p[1], p[2], p[3], p[4]
        pred = anp.log(
            anp.exp(a - alpha * anp.log(N)) + anp.exp(b - beta * anp.log(D)) + anp.exp(e)
        )
        diff = anp.log(L) - pred
        small = anp.abs(diff) <= 1e-3
        return anp.sum(anp.where(small, 0.5 * diff**2, 1e-3 * (anp.abs(diff) - 0.5e-3)))  # type: ignore[no-any-return]

    gradient = grad(objective)
    bounds = [(None, None)] * 3 + [(0.0, 5.0)] * 2
    t0, c0 = time.perf_counter(), time.process_time()
    best = np.inf
    with np.errstate(all="ignore"):
        for p0 in starts:
            res = minimize(objective, p0, jac=gradient, method="L-BFGS-B", bounds=bounds)
            best = min(best, float(res.fun))
    return time.perf_counter() - t0, time.process_time() - c0, best
