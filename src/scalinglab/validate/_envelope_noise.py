"""Each curve's noise, and its level at each grid value with a standard error, for the
envelope's edge rule (:mod:`~scalinglab.validate._envelope_edge`).

A single point of a noisy curve is a poor measure of where the curve is: the envelope's
winner is the run whose point there happened to be lowest. A local quadratic in
``log10 C`` through the curve's points around each grid value gives its level with a
standard error ``σ·sqrt([(VᵀV)⁻¹]₀₀)``, far below ``σ`` on a dense curve; ``σ`` is the
curve's own point-to-point scatter (:func:`scatter`), which assumes independent noise (a
smoothed curve's scatter understates it).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

__all__ = ["levels", "run_noise", "scatter"]

Array = NDArray[np.float64]

# the 1.4826·median|r| of a normal sample is its standard deviation, robust to loss spikes
_MAD = 1.4826


def scatter(x: Array, y: Array) -> float:
    """The noise of one curve: the robust standard deviation of ``ln y`` about the curve.

    Each point is compared with the cubic through its two neighbours on each side (the
    straight line through one on each side with 3 or 4 points), which follows a smooth loss
    curve's bend even at a few checkpoints, so what is left is the point-to-point scatter;
    the residual is scaled by its own standard deviation under independent noise.

    Args:
        x: Sorted, distinct positions (log10 compute).
        y: Positive losses at ``x``.

    Returns:
        ``σ`` of ``ln y``; NaN with fewer than 3 points.
    """
    ly = np.log(y)
    n = len(x)
    if n < 3:
        return math.nan
    offsets = (-2, -1, 1, 2) if n >= 5 else (-1, 1)
    reach = max(offsets)

    def near(k: int, values: Array) -> Array:  # values[i + k] for each centre i, as a slice
        return values[reach + k : n - reach + k]

    centre_x = near(0, x)
    fitted = np.zeros(len(centre_x))
    spread = np.ones(len(centre_x))  # 1 + Σ weight²: the residual's variance over σ²
    for j in offsets:  # Lagrange weight of neighbour j at the centre point
        weight = np.ones(len(centre_x))
        for k in offsets:
            if k != j:
                weight *= (centre_x - near(k, x)) / (near(j, x) - near(k, x))
        fitted += weight * near(j, ly)
        spread += weight**2
    residual = (near(0, ly) - fitted) / np.sqrt(spread)
    return float(_MAD * np.median(np.abs(residual)))


def run_noise(sigmas: list[float]) -> Array:
    """Each run's ``σ``; a run too short for its own (NaN) takes the median of the others
    (0 when none has one: the rule is then the exact edge alone)."""
    noise = np.asarray(sigmas, dtype=np.float64)
    known = noise[np.isfinite(noise)]
    return np.where(np.isfinite(noise), noise, float(np.median(known)) if known.size else 0.0)


def levels(x: Array, ly: Array, grid: Array, *, sigma: float, half: float) -> tuple[Array, Array]:
    """One curve's level of ``ln loss`` at each grid value it reaches, and its standard error.

    Args:
        x: The curve's sorted, distinct log10 compute.
        ly: Its ``ln loss``.
        grid: The grid of log10 compute.
        sigma: The curve's noise (:func:`scatter`).
        half: Half-width of the window, in decades, of points fitted at each grid value.

    Returns:
        ``(level, se)``, NaN where the curve does not reach. Where the window holds fewer
        than 3 points, or the local fit is less certain than one point (at a curve's end),
        the level is the curve interpolated, with standard error ``sigma``.
    """
    inside = (grid >= x[0]) & (grid <= x[-1])
    level = np.where(inside, np.interp(grid, x, ly), np.nan)
    se = np.where(inside, sigma, np.nan)
    left = np.searchsorted(x, grid - half, side="left")
    right = np.searchsorted(x, grid + half, side="right")
    fit = inside & (right - left >= 3)
    if not fit.any():
        return level, se
    # window sums of x^k and x^k·ln L from prefix sums (x centred on the curve: no large
    # powers), then moved to be about each grid value: u = x - g, binomially
    centre = float(x.mean())
    xc = x - centre
    zero = np.zeros(1)
    raised = [np.ones_like(xc)]
    for _ in range(4):  # xc^k by products: np.power with k = 3, 4 is ~20 times slower
        raised.append(raised[-1] * xc)
    powers = [np.concatenate([zero, np.cumsum(r)]) for r in raised]
    moments = [np.concatenate([zero, np.cumsum(r * ly)]) for r in raised[:3]]
    lo, hi, shift = left[fit], right[fit], grid[fit] - centre
    plain = [p[hi] - p[lo] for p in powers]
    weighted = [m[hi] - m[lo] for m in moments]

    def about(sums: list[Array], k: int) -> Array:  # Σ (xc - shift)^k·w from Σ xc^j·w
        terms = (math.comb(k, j) * (-shift) ** (k - j) * sums[j] for j in range(k + 1))
        return np.asarray(sum(terms), dtype=np.float64)

    a, b, c, d, e = (about(plain, k) for k in range(5))  # the Gram matrix [[a,b,c],[b,c,d],[c,d,e]]
    t0, t1, t2 = (about(weighted, k) for k in range(3))
    # its inverse's first row by cofactors (symmetric), for each window at once
    first = (c * e - d * d, -(b * e - c * d), b * d - c * c)
    with np.errstate(all="ignore"):  # a singular window: NaN or inf, the point kept
        det = a * first[0] + b * first[1] + c * first[2]
        spread = sigma * np.sqrt(np.maximum(first[0] / det, 0.0))
        local = (first[0] * t0 + first[1] * t1 + first[2] * t2) / det
    better = np.isfinite(spread) & np.isfinite(local) & (spread < sigma)
    at = np.flatnonzero(fit)[better]
    level[at], se[at] = local[better], spread[better]
    return level, se
