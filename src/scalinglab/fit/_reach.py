"""How far a point lies outside the fitted data: decades beyond the largest fitted value of
each variable (and of the compute axis ``N*D``), or below the smallest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["COMPUTE", "distance", "floor_of", "reach_of"]

Array = NDArray[np.float64]
#: Name of the compute axis (the product N·D) among the reach keys.
COMPUTE = "N*D"


def reach_of(data: Mapping[str, Array]) -> dict[str, float]:
    """Largest value of each variable, and of the compute axis where the law has N and D."""
    out = {s: float(np.max(v)) for s, v in data.items()}
    if "N" in data and "D" in data:
        out[COMPUTE] = float(np.max(np.asarray(data["N"]) * np.asarray(data["D"])))
    return out


def floor_of(data: Mapping[str, Array]) -> dict[str, float]:
    """Smallest value of each variable, and of the compute axis where the law has N and D."""
    out = {s: float(np.min(v)) for s, v in data.items()}
    if "N" in data and "D" in data:
        out[COMPUTE] = float(np.min(np.asarray(data["N"]) * np.asarray(data["D"])))
    return out


def distance(
    reach: Mapping[str, float],
    data: Mapping[str, Any],
    floor: Mapping[str, float] | None = None,
) -> Array:
    """Decades outside the data: the largest ``log10(x / reach)`` over the axes, and of
    ``log10(floor / x)`` where the smallest values are known (a model below the fitted
    sizes is an extrapolation too), at least 0."""
    axes = {s: np.asarray(v, dtype=np.float64) for s, v in data.items() if s in reach}
    if COMPUTE in reach and "N" in data and "D" in data:
        axes[COMPUTE] = np.asarray(data["N"], float) * np.asarray(data["D"], float)
    d = np.zeros(np.broadcast_shapes(*(v.shape for v in axes.values())) if axes else ())
    for s, v in axes.items():
        d = np.maximum(d, np.log10(v / reach[s]))
        if floor and s in floor:
            d = np.maximum(d, np.log10(floor[s] / v))
    return np.asarray(d, dtype=np.float64)
