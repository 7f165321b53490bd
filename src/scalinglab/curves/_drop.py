"""The multi-power law's loss-drop term at logged steps, in O(log T) atoms per step.

Luo et al. 2025 (arXiv:2503.12811, eq. 4-5) write the loss drop at step ``t`` as

    LD(t) = B · sum_{k=1..t} (eta_{k-1} - eta_k) · G(eta_k^-gamma · S_k(t)),
    S_k(t) = sum_{tau=k..t} eta_tau,   G(x) = 1 - (C·x + 1)^-beta,

a double sum over (t, k): O(T^2) per curve, and G does not telescope (no exact recurrence
exists for general beta). Here the drops are grouped by their distance ``t - k`` from the
evaluated step: the nearest ``exact`` steps one by one, then blocks whose width grows
geometrically (``per_octave`` blocks per doubling of the distance). A block becomes one
*atom*: its total drop ``D``, the drop-weighted mean of ``S_{k}(t)`` and of ``log eta_k``,
all from prefix sums, so preparing costs O(T + n log T) and each evaluation
O(n log T) for ``n`` logged steps. Rising and falling rates go to separate atoms, so the
weights of a block never cancel.

Error: a block of one drop is exact (a step change sits in one atom whatever its width);
for smooth decays the atom matches the block's zeroth and first moments, so the error is
second order in the block's relative width, where G is nearly linear (far from ``t``) or
the block is a single step (near it). Measured against the exact double sum on the shared
cosine, WSD and step curves at fitted parameters: see ``tests/test_curves.py`` and
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

__all__ = ["DropAtoms", "drop_atoms", "exact_drop"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class DropAtoms:
    """The loss-drop sum of many logged steps, as weighted atoms.

    Attributes:
        drop: Total learning-rate drop of each atom ``(Q,)``.
        log_lr: Drop-weighted mean of ``log eta_k`` over the atom ``(Q,)``.
        log_area: ``log`` of the drop-weighted mean of ``S_k(t)`` ``(Q,)``.
        point: Logged step (index) each atom belongs to, non-decreasing ``(Q,)``.
        n_points: Number of logged steps.
    """

    drop: Array
    log_lr: Array
    log_area: Array
    point: IntArray
    n_points: int

    @property
    def n_atoms(self) -> int:
        return len(self.drop)

    @property
    def to_points(self) -> sp.csr_matrix:
        """Sparse ``(n, Q)`` 0/1 matrix summing atoms into their logged step."""
        q = len(self.point)
        return sp.csr_matrix((np.ones(q), (self.point, np.arange(q))), shape=(self.n_points, q))

    def to_points_sum(self, values: Array) -> Array:
        """Sum ``(..., Q)`` atom values into ``(..., n)`` logged steps (contiguous runs)."""
        out = np.zeros((*values.shape[:-1], self.n_points))
        if self.n_atoms:
            first = np.flatnonzero(np.r_[True, self.point[1:] != self.point[:-1]])
            out[..., self.point[first]] = np.add.reduceat(values, first, axis=-1)
        return out


def _edges(longest: int, exact: int, per_octave: int) -> IntArray:
    """Distance edges ``0, 1, ..., exact, then ×2^(1/per_octave)`` up to ``longest``."""
    edges = list(range(min(exact, longest) + 1))
    ratio = 2.0 ** (1.0 / per_octave)
    while edges[-1] < longest:
        edges.append(max(edges[-1] + 1, int(np.ceil(edges[-1] * ratio))))
    edges[-1] = longest
    return np.array(edges, dtype=np.int64)


def drop_atoms(eta: Array, t: IntArray, *, exact: int = 8, per_octave: int = 8) -> DropAtoms:
    """Atoms of ``LD(t)`` for post-warm-up rates ``eta[0..]`` (``eta[0]`` the peak, the
    paper's ``eta_0``) at post-warm-up steps ``t`` (``t >= 0``).

    Args:
        eta: Learning rate at each step after warm-up.
        t: Steps at which the loss is evaluated (indices into ``eta``).
        exact: Distances evaluated one step at a time.
        per_octave: Blocks per doubling of the distance beyond ``exact``.
    """
    eta = np.asarray(eta, dtype=np.float64)
    t = np.asarray(t, dtype=np.int64)
    n = len(t)
    # P[k] = sum_{tau=1..k} eta_tau, so S_k(t) = P[t] - P[k-1]
    P = np.concatenate([[0.0], np.cumsum(eta[1:])])
    d = np.zeros(len(eta))
    d[1:] = eta[:-1] - eta[1:]  # d[k] = eta_{k-1} - eta_k
    with np.errstate(divide="ignore"):
        log_eta = np.where(eta > 0, np.log(np.where(eta > 0, eta, 1.0)), 0.0)
    Pm1 = np.concatenate([[0.0], P[:-1]])  # P[k-1]
    out_drop, out_lr, out_area, out_point = [], [], [], []
    longest = int(t.max()) if n else 0
    edges = _edges(max(longest, 1), exact, per_octave)
    for sign in (1.0, -1.0):
        dd = np.clip(sign * d, 0.0, None)
        if not dd.any():
            continue
        # prefix sums (C[k] = sum_{i<=k}); block [a, b] = C[b] - C[a-1]
        cd = np.concatenate([[0.0], np.cumsum(dd)])
        cp = np.concatenate([[0.0], np.cumsum(dd * Pm1)])
        cl = np.concatenate([[0.0], np.cumsum(dd * log_eta)])
        # block i covers distances [edges[i], edges[i+1]), i.e. k in (t - edges[i+1], t - edges[i]]
        hi = t[:, None] - edges[None, :-1]  # largest k in the block
        lo = t[:, None] - edges[None, 1:] + 1  # smallest k
        lo = np.maximum(lo, 1)
        valid = hi >= lo
        hi_c, lo_c = np.where(valid, hi, 0), np.where(valid, lo, 1)
        mass = np.where(valid, cd[hi_c + 1] - cd[lo_c], 0.0)
        keep = mass > 1e-14 * max(float(eta.max()), 1e-300)
        rows, cols = np.nonzero(keep)
        m = mass[rows, cols]
        h, lw = hi_c[rows, cols], lo_c[rows, cols]
        mean_p = (cp[h + 1] - cp[lw]) / m
        area = P[t[rows]] - mean_p
        # a mean of S_k(t) >= eta_t > 0 in exact arithmetic; guard against rounding
        area = np.maximum(area, 1e-300)
        out_drop.append(sign * m)
        out_lr.append((cl[h + 1] - cl[lw]) / m)
        out_area.append(np.log(area))
        out_point.append(rows)
    if out_drop:
        drop, lr, area, point = (np.concatenate(a) for a in (out_drop, out_lr, out_area, out_point))
    else:
        drop = lr = area = np.zeros(0)
        point = np.zeros(0, dtype=np.int64)
    order = np.argsort(point, kind="stable")
    return DropAtoms(drop[order], lr[order], area[order], point[order].astype(np.int64), n)


def exact_drop(eta: Array, t: int, *, C: float, beta: float, gamma: float) -> float:
    """``LD(t) / B`` by the paper's double sum, for tests and error measurements: O(t)."""
    eta = np.asarray(eta, dtype=np.float64)
    k = np.arange(1, t + 1)
    S = np.cumsum(eta[1 : t + 1][::-1])[::-1]  # S_k(t) for k = 1..t
    x = eta[k] ** -gamma * S
    G = 1.0 - (C * x + 1.0) ** -beta
    return float(np.sum((eta[k - 1] - eta[k]) * G))
