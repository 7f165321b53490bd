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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

__all__ = ["DropAtoms", "drop_atoms", "exact_drop", "merge_atoms"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class DropAtoms:
    """The loss-drop sum of many logged steps, as weighted atoms.

    Atoms are summed into *slots*; without ``mix`` the slots are the logged steps, with it
    the logged steps are ``mix @ slots`` (slots at virtual steps interpolated to logged
    ones, :mod:`._drop_linear`).

    Attributes:
        drop: Total learning-rate drop of each atom ``(Q,)``.
        log_lr: Drop-weighted mean of ``log eta_k`` over the atom ``(Q,)``.
        log_area: ``log`` of the drop-weighted mean of ``S_k(t)`` ``(Q,)``.
        point: Slot each atom belongs to, non-decreasing ``(Q,)``.
        n_points: Number of logged steps.
        mix: Sparse ``(n_points, n_slots)`` map from slots to logged steps, or ``None``.
    """

    drop: Array
    log_lr: Array
    log_area: Array
    point: IntArray
    n_points: int
    mix: sp.csr_matrix | None = None

    @property
    def n_atoms(self) -> int:
        return len(self.drop)

    @property
    def n_slots(self) -> int:
        return self.n_points if self.mix is None else int(self.mix.shape[1])

    @property
    def to_points(self) -> sp.csr_matrix:
        """Sparse ``(n, Q)`` matrix summing atoms into their logged step."""
        q = len(self.point)
        m = sp.csr_matrix((np.ones(q), (self.point, np.arange(q))), shape=(self.n_slots, q))
        return m if self.mix is None else sp.csr_matrix(self.mix @ m)

    def chunks(self, size: int) -> list[tuple[int, int]]:
        """``(start, stop)`` ranges of at most ``size`` atoms covering them all."""
        size = max(1, size)
        return [(a, min(a + size, self.n_atoms)) for a in range(0, self.n_atoms, size)]

    def add_to_slots(self, out: Array, values: Array, start: int, stop: int) -> None:
        """Add ``(..., stop - start)`` values of atoms ``start:stop`` into ``out[..., slot]``."""
        pt = self.point[start:stop]
        if len(pt):
            first = np.flatnonzero(np.r_[True, pt[1:] != pt[:-1]])
            out[..., pt[first]] += np.add.reduceat(values, first, axis=-1)

    def slots_to_points(self, slots: Array) -> Array:
        """``(..., n_slots)`` slot sums as ``(..., n)`` logged steps."""
        if self.mix is None:
            return slots
        flat = slots.reshape(-1, self.n_slots)
        return np.asarray(self.mix @ flat.T).T.reshape(*slots.shape[:-1], self.n_points)

    def to_points_sum(self, values: Array) -> Array:
        """Sum ``(..., Q)`` atom values into ``(..., n)`` logged steps."""
        out = np.zeros((*values.shape[:-1], self.n_slots))
        self.add_to_slots(out, values, 0, self.n_atoms)
        return self.slots_to_points(out)


def merge_atoms(parts: Sequence[DropAtoms]) -> DropAtoms:
    """The atoms of several curves as one (points and slots in order of ``parts``)."""
    slots = np.cumsum([0] + [a.n_slots for a in parts])
    mixes = [a.mix if a.mix is not None else sp.identity(a.n_points, format="csr") for a in parts]
    any_mix = any(a.mix is not None for a in parts)
    return DropAtoms(
        np.concatenate([a.drop for a in parts]),
        np.concatenate([a.log_lr for a in parts]),
        np.concatenate([a.log_area for a in parts]),
        np.concatenate([a.point + o for a, o in zip(parts, slots, strict=False)]),
        sum(a.n_points for a in parts),
        sp.csr_matrix(sp.block_diag(mixes)) if any_mix else None,
    )


def _edges(longest: int, exact: int, per_octave: int) -> IntArray:
    """Distance edges ``0, 1, ..., exact, then ×2^(1/per_octave)`` up to ``longest``."""
    edges = list(range(min(exact, longest) + 1))
    ratio = 2.0 ** (1.0 / per_octave)
    while edges[-1] < longest:
        edges.append(max(edges[-1] + 1, int(np.ceil(edges[-1] * ratio))))
    edges[-1] = longest
    return np.array(edges, dtype=np.int64)


_MAX_RATE_EDGES = 256


def _rate_edges(eta: Array) -> IntArray:
    """Steps ``k`` where the rate enters another octave: fixed block edges, so that no
    atom averages ``log eta`` over a wide range (a warm-up from 0 spans ten octaves in its
    first steps). One edge per octave: on the shared curves with a warm-up, the drop's
    error fell from 8.6e-5 to 1.2e-5 in loss for 1.7x the atoms (two per octave: 1.2e-5,
    2.3x). Thinned to at most ``_MAX_RATE_EDGES`` (a noisy logged rate crossing one level
    back and forth would otherwise add an edge per step)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.floor(np.log2(np.where(eta > 0, eta, np.nan)))
    level = np.where(np.isfinite(level), level, -1e9)
    k = np.flatnonzero(level[1:] != level[:-1]) + 1
    if len(k) > _MAX_RATE_EDGES:
        k = k[np.linspace(0, len(k) - 1, _MAX_RATE_EDGES).round().astype(np.int64)]
    return k.astype(np.int64)


def drop_atoms(
    eta: Array,
    t: IntArray,
    *,
    exact: int = 8,
    per_octave: int = 8,
    k_lo: IntArray | None = None,
    k_hi: IntArray | None = None,
) -> DropAtoms:
    """Atoms of ``LD(t)`` for rates ``eta[0..]`` (``eta[0]`` the paper's ``eta_0``) at
    steps ``t`` (indices into ``eta``, ``t >= 0``).

    Block edges in ``k`` are those of the distances ``t - k`` (``exact`` single steps, then
    ``per_octave`` blocks per doubling) and the steps where ``eta`` crosses an octave, so
    each atom spans a short range of both ``S_k(t)`` and ``log eta_k``.

    Args:
        eta: Learning rate at each step.
        t: Steps at which the loss is evaluated (indices into ``eta``).
        exact: Distances evaluated one step at a time.
        per_octave: Blocks per doubling of the distance beyond ``exact``.
        k_lo: First drop ``k`` summed for each step (default 1).
        k_hi: Last drop ``k`` summed for each step (default ``t``).
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
    dist = _edges(max(longest, 1), exact, per_octave)
    # block starts in k: t + 1 - distance edge (t + 1 closes the last block), and the rate
    # edges; sorted per point and clipped to [1, t + 1], block j is k in [E_j, E_{j+1})
    rate = _rate_edges(eta)
    E = np.concatenate(
        [t[:, None] + 1 - dist[None, :], np.broadcast_to(rate[None, :], (n, len(rate)))], axis=1
    )
    lo_k = np.ones(n, dtype=np.int64) if k_lo is None else np.asarray(k_lo, dtype=np.int64)
    hi_k = t if k_hi is None else np.minimum(np.asarray(k_hi, dtype=np.int64), t)
    E = np.sort(np.clip(E, lo_k[:, None], np.maximum(hi_k + 1, lo_k)[:, None]), axis=1)
    lo, hi = E[:, :-1], E[:, 1:]  # [lo, hi)
    for sign in (1.0, -1.0):
        dd = np.clip(sign * d, 0.0, None)
        if not dd.any():
            continue
        # prefix sums (C[k] = sum_{i<k}); block [a, b) = C[b] - C[a]
        cd = np.concatenate([[0.0], np.cumsum(dd)])
        cp = np.concatenate([[0.0], np.cumsum(dd * Pm1)])
        cl = np.concatenate([[0.0], np.cumsum(dd * log_eta)])
        mass = cd[hi] - cd[lo]
        keep = mass > 1e-14 * max(float(eta.max()), 1e-300)
        rows, cols = np.nonzero(keep)
        m = mass[rows, cols]
        h, lw = hi[rows, cols], lo[rows, cols]
        mean_p = (cp[h] - cp[lw]) / m
        area = P[t[rows]] - mean_p
        # a mean of S_k(t) >= eta_t > 0 in exact arithmetic; guard against rounding
        area = np.maximum(area, 1e-300)
        out_drop.append(sign * m)
        out_lr.append((cl[h] - cl[lw]) / m)
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
