"""How fast a calibrated interval widens with distance: ``(κ, p)`` of ``s² = σ² + κ²·d^p``
fitted to the backtest residuals (:mod:`._calibrated` says why this model)."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["growth"]

Array = NDArray[np.float64]
#: Degrees of freedom of the Student-t likelihood of the residuals.
_NU = 4.0
#: κ values tried (per decade): none, and a geometric grid from 1e-4 to 1.
_KAPPAS = np.concatenate([[0.0], np.geomspace(1e-4, 1.0, 240)])


def growth(d: Array, r: Array, b: Array, sigma: float, weights: Array) -> tuple[float, float]:
    """``(κ, p)`` of the larger weighted Student-t likelihood of ``r`` with scale ``s(d)``."""
    d = np.maximum(d, 0.0)
    if len(r) == 0 or not (d > 1e-3).any():
        return 0.0, 2.0
    best = (-np.inf, 0.0, 2.0)
    base = np.maximum(sigma, 1e-6) ** 2 + b**2
    for power in (2.0, 1.0):
        s = np.sqrt(base[None, :] + _KAPPAS[:, None] ** 2 * d[None, :] ** power)
        t = s * math.sqrt((_NU - 2) / _NU)  # t(ν) scaled so that its standard deviation is s
        ll = -np.log(t) - (_NU + 1) / 2 * np.log1p((r[None, :] / t) ** 2 / _NU)
        total = ll @ weights
        k = int(np.argmax(total))
        if total[k] > best[0]:
            best = (float(total[k]), float(_KAPPAS[k]), power)
    return best[1], best[2]
