"""The local loss surface of a cell: a quadratic in (log lr, log batch), batched over resamples.

``loss ≈ c0 + cu·u + cv·v + cuu·u² + cuv·u·v + cvv·v²`` with ``u``, ``v`` the log offsets from
a centre; its vertex is the located optimum. Weighted least squares for many weight rows at
once (bootstrap counts times closeness-to-best weights), closed-form vertices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

__all__ = ["features", "fit_window", "solve", "vertex"]

Array = NDArray[np.float64]


def features(u: Array, v: Array | None) -> Array:
    """Design matrix of the surface: ``(1, u, u²)`` or ``(1, u, v, u², uv, v²)``."""
    if v is None:
        return np.stack([np.ones_like(u), u, u * u], axis=-1)
    return np.stack([np.ones_like(u), u, v, u * u, u * v, v * v], axis=-1)


def vertex(coef: Array) -> tuple[Array, Array, Array]:
    """Optimum ``(u*, v*, loss*)`` of each row of surface coefficients; NaN without a minimum."""
    with np.errstate(all="ignore"):
        if coef.shape[-1] == 3:
            a, b, c = coef[..., 0], coef[..., 1], coef[..., 2]
            u = np.where(c > 0, -b / (2 * c), np.nan)
            return u, np.zeros_like(u), a + b * u + c * u * u
        c0, cu, cv, cuu, cuv, cvv = (coef[..., k] for k in range(6))
        det = 4 * cuu * cvv - cuv * cuv
        ok = (cuu > 0) & (det > 0)
        u = np.where(ok, (-2 * cvv * cu + cuv * cv) / det, np.nan)
        v = np.where(ok, (-2 * cuu * cv + cuv * cu) / det, np.nan)
        return u, v, c0 + cu * u + cv * v + cuu * u * u + cuv * u * v + cvv * v * v


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
) -> tuple[NDArray[np.bool_], Array]:
    """The window about ``at`` (widened until it holds enough runs) and its surface."""
    cx, cy = at
    need = 9 if two_d else 4
    while True:
        win = good & (np.abs(x - cx) <= width + 1e-9)
        if two_d:
            win &= np.abs(y - cy) <= width + 1e-9
        if win.sum() >= need or win.sum() == good.sum():
            break
        width *= 1.5
    phi = features(x[win] - cx, (y[win] - cy) if two_d else None)
    return win, solve(phi, loss[win], weight[win][None, :])[0]
