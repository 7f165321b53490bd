"""The multi-power law's loss drop at ``n`` logged steps in O(n) atoms: linear in T.

:func:`._drop.drop_atoms` gives each logged step its own atoms over the whole past, about
``per_octave·log2(t)`` of them, so a curve logged every ``g`` steps costs O(T log T). Here
the past is split the way a fast multipole method splits it (Greengard & Rokhlin 1987, in
one dimension): windows of ``h_j = h·2^j`` steps, and for a logged step ``t`` in window
``m_j = t // h_j``

- the *near* drops ``k`` in ``[(t // h - c)·h, t]`` get per-step atoms, as before;
- level ``j >= 1`` covers ``k`` in ``[(m_j - c)·h_j, (m_{j-1} - c)·h_{j-1})``, a range of
  ``c·h_{j-1}`` to ``(c + 1)·h_{j-1}`` steps at least ``c·h_{j-1}`` before every step of
  the level-``j-1`` window. All logged steps of that window share the range, and its
  contribution is a smooth function of ``P_t`` alone (``S_k(t) = P_t - P_{k-1}``), so it is
  evaluated at three virtual steps of the window (first, middle, last) and interpolated
  quadratically in ``P_t``; a window with fewer than three logged steps is evaluated at
  them directly.

With ``h`` at least twice the logging interval, a logged step carries its near atoms
(``exact + per_octave·log2((c+1)·h/exact)``) plus about ``3·A·(1/2 + 1/4 + ...)`` shared
far atoms, ``A`` the atoms of one range: a constant, whatever T. Errors: the atoms' own
(second order in a block's relative width, :mod:`._drop`), and the interpolation's, third
order in ``1/(2c)``; both measured against the exact double sum in
``tests/test_curves_multipower.py`` and ``benchmarks/curve_speed.py``: on the README's fit
of the shared 25M curves, at every 64th step of cosine, linear, WSD and step schedules of
24,000 and 72,000 steps, the loss is within 4e-5 absolute (3.8e-5 at the end of
``wsd:0.1``'s decay), 1.2e-5 relative, and 3.7e-4 of the drop term ``B·LD``.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from scalinglab.curves._drop import DropAtoms, drop_atoms

__all__ = ["linear_drop_atoms"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

SPREAD = 2  # c: a far range starts c windows before the window it serves


def _window(gaps: IntArray) -> int:
    """``h``: a power of two, at least twice the median logging interval and 16."""
    g = float(np.median(gaps)) if len(gaps) else 1.0
    return int(2 ** np.ceil(np.log2(max(16.0, 2.0 * g))))


def _lagrange(x: Array, nodes: Array) -> Array:
    """Quadratic Lagrange weights ``(len(x), 3)`` at ``x`` on three nodes; nodes that
    coincide (a rate of 0 leaves ``P`` flat) fall back to linear, then constant."""
    w = np.zeros((len(x), 3))
    a, b, c = nodes
    if c - a <= 1e-12 * max(abs(c), 1e-300):
        w[:, 0] = 1.0
    elif min(b - a, c - b) <= 1e-9 * (c - a):
        u = (x - a) / (c - a)
        w[:, 0], w[:, 2] = 1.0 - u, u
    else:
        w[:, 0] = (x - b) * (x - c) / ((a - b) * (a - c))
        w[:, 1] = (x - a) * (x - c) / ((b - a) * (b - c))
        w[:, 2] = (x - a) * (x - b) / ((c - a) * (c - b))
    return w


def linear_drop_atoms(
    eta: Array, t: IntArray, *, exact: int = 4, per_octave: int = 4, spread: int = SPREAD
) -> DropAtoms:
    """Atoms of ``LD(t)`` as :func:`._drop.drop_atoms`, with far drops shared by the logged
    steps of a window through virtual steps (module docstring).

    Args:
        eta: Learning rate at each step.
        t: Steps at which the loss is evaluated (indices into ``eta``).
        exact: Distances evaluated one step at a time.
        per_octave: Blocks per doubling of the distance beyond ``exact``.
        spread: ``c``, in windows, between a far range and the window it serves.
    """
    eta = np.asarray(eta, dtype=np.float64)
    t = np.asarray(t, dtype=np.int64)
    n = len(t)
    if n == 0:
        return drop_atoms(eta, t, exact=exact, per_octave=per_octave)
    P = np.concatenate([[0.0], np.cumsum(eta[1:])])
    h = _window(np.diff(np.sort(t)).astype(np.int64))
    c = spread
    # rows: (evaluation step, first k, last k, slot); slots 0..n-1 are the logged steps
    steps, los, his, slots = [t], [np.maximum(1, (t // h - c) * h)], [t], [np.arange(n)]
    mix_rows, mix_cols, mix_vals = [np.arange(n)], [np.arange(n)], [np.ones(n)]
    n_slots = n
    hj1 = h  # h_{j-1}
    while (int(t.max()) // hj1 - c) * hj1 > 1:
        m1 = t // hj1
        b1 = (m1 - c) * hj1  # end (exclusive) of the level's range
        b0 = np.maximum(1, (t // (2 * hj1) - c) * 2 * hj1)
        live = b1 - 1 >= b0
        windows, inverse, counts = np.unique(m1[live], return_inverse=True, return_counts=True)
        idx = np.flatnonzero(live)
        few = counts[inverse] < 3
        # windows with fewer than three logged steps: evaluated at those steps
        d = idx[few]
        steps.append(t[d])
        los.append(b0[d])
        his.append(b1[d] - 1)
        slots.append(d)
        # the others: three virtual steps each, interpolated in P to their logged steps
        for w in np.flatnonzero(counts >= 3):
            members = idx[inverse == w]
            first = int(windows[w]) * hj1
            last = min(first + hj1 - 1, len(eta) - 1)
            v = np.array([first, (first + last) // 2, last], dtype=np.int64)
            steps.append(v)
            los.append(np.full(3, b0[members[0]]))
            his.append(np.full(3, b1[members[0]] - 1))
            slots.append(n_slots + np.arange(3))
            weights = _lagrange(P[t[members]], P[v])
            mix_rows.append(np.repeat(members, 3))
            mix_cols.append(np.tile(n_slots + np.arange(3), len(members)))
            mix_vals.append(weights.ravel())
            n_slots += 3
        hj1 *= 2
    row_steps = np.concatenate(steps)
    a = drop_atoms(
        eta,
        row_steps,
        exact=exact,
        per_octave=per_octave,
        k_lo=np.concatenate(los),
        k_hi=np.concatenate(his),
    )
    slot = np.concatenate(slots)[a.point]
    order = np.argsort(slot, kind="stable")
    mix = sp.csr_matrix(
        (np.concatenate(mix_vals), (np.concatenate(mix_rows), np.concatenate(mix_cols))),
        shape=(n, n_slots),
    )
    return DropAtoms(
        a.drop[order], a.log_lr[order], a.log_area[order], slot[order].astype(np.int64), n, mix
    )
