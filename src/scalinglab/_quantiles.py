"""Median and quantiles of a sample, NumPy's bit for bit, without loading ``numpy.ma``.

``np.median``, ``np.percentile`` and ``np.quantile`` ask on every call whether their input
is a masked array (NumPy 2's ``_median_nancheck`` and ``np.unique``), and the first such
question imports ``numpy.ma``: about 10 ms of CPU in each ``scalinglab fit``, whose whole
run is a speed target (issue 12), for arrays that are never masked. The functions here do
what NumPy does for a float64 sample (other inputs are converted to float64 first), step for
step, without that question: the same ``partition`` calls (so the same order statistics,
signed zeros included), the same interpolation (NumPy's ``_lerp``), the same rule for NaN
(any NaN in the sample gives NaN). ``tests/test_quantiles.py`` checks them against NumPy bit
for bit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "median",
    "percentile",
    "percentile_intervals",
    "quantile_lower",
    "weighted_quantile",
    "weighted_reach",
]


def median(values: ArrayLike) -> float:
    """``np.median(values)`` of the flattened sample; NaN for an empty one (NumPy warns too)."""
    a = np.asarray(values, dtype=np.float64).ravel()
    n = a.size
    if n == 0:
        return math.nan
    half = n // 2
    part = np.partition(a, [half - 1, half, -1] if n % 2 == 0 else [half, -1])
    if math.isnan(part[-1]):
        return float(part[-1])
    # NumPy takes the mean of the middle one or two (a sum, then a division)
    return float(part[half - 1 + n % 2 : half + 1].mean())


def percentile(values: ArrayLike, q: Sequence[float]) -> list[float]:
    """``np.percentile(values, q)`` (its default, linear, method) of the flattened sample."""
    arr = np.asarray(values, dtype=np.float64).flatten()  # a copy: partitioned below
    n = arr.size
    if n == 0:
        raise ValueError("percentile of an empty sample")
    virtual = (n - 1) * np.true_divide(np.asarray(q, dtype=np.float64), 100)
    below = np.floor(virtual)
    above = below + 1
    beyond = virtual >= n - 1  # the largest value
    below[beyond], above[beyond] = -1, -1
    before = virtual < 0
    below[before], above[before] = 0, 0
    lo, hi = below.astype(np.intp), above.astype(np.intp)
    arr.partition(sorted({0, -1, *lo.tolist(), *hi.tolist()}))
    gamma = virtual - lo
    a, b = arr[lo], arr[hi]
    diff = b - a
    out = np.add(a, diff * gamma)
    np.subtract(b, diff * (1 - gamma), out=out, where=gamma >= 0.5)
    if math.isnan(arr[-1]):
        out[:] = arr[-1]
    return [float(v) for v in out]


def percentile_intervals(
    samples: np.ndarray, names: Sequence[str], level: float
) -> dict[str, tuple[float, float]]:
    """The central ``level`` percentile interval of each column of ``samples`` ``(R, K)``,
    by name; NaN ends without samples."""
    lo_q, hi_q = 50 * (1 - level), 50 * (1 + level)
    out = {}
    for k, name in enumerate(names):
        lo, hi = percentile(samples[:, k], [lo_q, hi_q]) if len(samples) else (math.nan, math.nan)
        out[name] = (float(lo), float(hi))
    return out


def quantile_lower(values: ArrayLike, q: float) -> float:
    """``np.quantile(values, q, method="lower")`` of the flattened sample."""
    arr = np.asarray(values, dtype=np.float64).flatten()
    if arr.size == 0:
        raise ValueError("quantile of an empty sample")
    k = int(np.floor((arr.size - 1) * np.float64(q)))
    arr.partition([k, -1])
    return float(arr[-1] if math.isnan(arr[-1]) else arr[k])


def weighted_quantile(
    scores: NDArray[np.float64], weights: NDArray[np.float64], level: float
) -> float:
    """Smallest score whose weighted share reaches ``level`` when the new point's weight
    (the largest of ``weights``) sits at +∞ (Barber et al. 2023); +∞ when none does: the
    level is beyond :func:`weighted_reach` (too few scores for it), and the conformal
    interval there is unbounded. NaN without scores."""
    if len(scores) == 0:
        return math.nan
    order = np.argsort(scores, kind="stable")
    w = np.asarray(weights, dtype=np.float64)[order]
    share = np.cumsum(w) / (w.sum() + w.max())
    k = int(np.searchsorted(share, level - 1e-12))
    return float(np.asarray(scores)[order][k]) if k < len(order) else math.inf


def weighted_reach(weights: NDArray[np.float64]) -> float:
    """Highest level :func:`weighted_quantile` reaches with these weights: the scores'
    share of the mass, the new point's (the largest weight) at +∞ (``n/(n+1)`` for ``n``
    equal weights); 0 without weights."""
    w = np.asarray(weights, dtype=np.float64)
    return float(w.sum() / (w.sum() + w.max())) if len(w) else 0.0
