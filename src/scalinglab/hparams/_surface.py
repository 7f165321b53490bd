"""The local loss surface of a cell, batched over resamples.

``loss ≈ c0 + cu·u + cv·v + cuu·u² + cuv·u·v + cvv·v² [+ cuuu·u³]`` with ``u``, ``v`` the log
offsets from a centre (``(1, u, u² [, u³])`` when only lr was swept); its minimum is the
located optimum. The cubic term in ``log lr`` is the default: loss rises faster above the
optimal learning rate (towards divergence) than below it, and a symmetric quadratic fitted
to such a valley puts its vertex below the runs' own minimum (on the Step Law sweeps the best
run's lr was a median 1.27x the quadratic's lr*). Coefficient tuples of length 3 and 6 are
the quadratic surfaces of fits saved before the cubic term (still read). Weighted least
squares for many weight rows at once (bootstrap counts times closeness-to-best weights),
closed-form minima.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["SURFACES", "evaluate", "features", "fit_window", "hessian", "solve", "vertex"]

Array = NDArray[np.float64]

#: The forms of a cell's surface: quadratic in (log lr, log batch), with or without u³.
SURFACES = ("cubic", "quadratic")


def features(u: Array, v: Array | None, *, cubic: bool = True) -> Array:
    """Design matrix: ``(1, u, u² [, u³])`` or ``(1, u, v, u², uv, v² [, u³])``."""
    cols = (
        [np.ones_like(u), u, u * u] if v is None else [np.ones_like(u), u, v, u * u, u * v, v * v]
    )
    if cubic:
        cols.append(u * u * u)
    return np.stack(cols, axis=-1)


def _two_d(k: int) -> bool:
    return k >= 6


def evaluate(coef: Array | tuple[float, ...], u: Array, v: Array | float = 0.0) -> Array:
    """The surface with coefficients ``coef`` (any of the four forms) at offsets ``(u, v)``."""
    c = np.asarray(coef, dtype=np.float64)
    k = c.shape[-1]
    if _two_d(k):
        out = c[..., 0] + c[..., 1] * u + c[..., 2] * v
        out = out + c[..., 3] * u * u + c[..., 4] * u * v + c[..., 5] * v * v
    else:
        out = c[..., 0] + c[..., 1] * u + c[..., 2] * u * u
    if k in (4, 7):
        out = out + c[..., k - 1] * u * u * u
    return np.asarray(out, dtype=np.float64)


def hessian(coef: Array | tuple[float, ...], u: float) -> Array:
    """Hessian of the surface over ``(u, v)`` at lr offset ``u`` (1x1 when 1-D)."""
    c = np.asarray(coef, dtype=np.float64)
    k = len(c)
    third = 6.0 * c[k - 1] * u if k in (4, 7) else 0.0
    if _two_d(k):
        return np.array([[2 * c[3] + third, c[4]], [c[4], 2 * c[5]]])
    return np.array([[2 * c[2] + third]])


def vertex(coef: Array) -> tuple[Array, Array, Array]:
    """Minimum ``(u*, v*, loss*)`` of each row of coefficients; NaN without one.

    With the cubic term, ``v`` is eliminated (``∂/∂v = 0`` is linear in ``v``), leaving a
    cubic in ``u`` alone, ``a·u³ + b·u² + c·u``, whose local minimum is the root of its
    derivative with positive second derivative, ``u* = -c / (b + sqrt(b² - 3ac))`` (the form
    without cancellation; it is the quadratic's ``-c / 2b`` at ``a = 0``).
    """
    k = coef.shape[-1]
    with np.errstate(all="ignore"):
        if _two_d(k):
            cu, cv, cuu, cuv, cvv = (coef[..., j] for j in range(1, 6))
            ok = cvv > 0
            # v*(u) = -(cv + cuv u) / (2 cvv); the reduced cubic in u:
            b = cuu - cuv * cuv / (4 * cvv)
            c = cu - cuv * cv / (2 * cvv)
        else:
            c, b = coef[..., 1], coef[..., 2]
            ok = np.ones_like(b, dtype=bool)
        a = coef[..., 6] if k == 7 else coef[..., 3] if k == 4 else np.zeros_like(b)
        disc = b * b - 3 * a * c
        root = np.sqrt(disc)
        denom = b + root
        u = np.where(np.abs(denom) > 1e-300, -c / denom, (root - b) / (3 * a))
        ok &= (disc > 0) & np.isfinite(u)
        u = np.where(ok, u, np.nan)
        v = -(cv + cuv * u) / (2 * cvv) if _two_d(k) else np.zeros_like(u)
        return u, v, evaluate(coef, u, v)


def solve(phi: Array, y: Array, w: Array) -> Array:
    """Weighted least squares for each row of weights ``w`` (B, P): coefficients (B, K)."""
    a = np.einsum("bp,pi,pj->bij", w, phi, phi)
    rhs = np.einsum("bp,pi,p->bi", w, phi, y)
    out = np.full(rhs.shape, np.nan)
    ok = np.linalg.matrix_rank(a) == phi.shape[1]
    if ok.any():
        out[ok] = np.linalg.solve(a[ok], rhs[ok][..., None])[..., 0]
    return out


def fit_window(
    x: Array,
    y: Array,
    loss: Array,
    weight: Array,
    good: NDArray[np.bool_],
    *,
    two_d: bool,
    at: tuple[float, float],
    width: float,
    cubic: bool = True,
) -> tuple[NDArray[np.bool_], Array]:
    """The window about ``at`` (widened until it holds enough runs) and its surface.

    With ``cubic``, a window with too few distinct learning rates for the cubic term (its
    normal equations singular) falls back to the quadratic (the coefficients' length says
    which form a cell got).
    """
    cx, cy = at
    need = (9 if two_d else 4) + int(cubic)
    while True:
        win = good & (np.abs(x - cx) <= width + 1e-9)
        if two_d:
            win &= np.abs(y - cy) <= width + 1e-9
        if win.sum() >= need or win.sum() == good.sum():
            break
        width *= 1.5
    phi = features(x[win] - cx, (y[win] - cy) if two_d else None, cubic=cubic)
    coef = solve(phi, loss[win], weight[win][None, :])[0]
    if cubic and not np.isfinite(coef).all():
        phi = features(x[win] - cx, (y[win] - cy) if two_d else None, cubic=False)
        coef = solve(phi, loss[win], weight[win][None, :])[0]
    return win, coef
