"""Distinct points of a law's inputs: what the runs-per-parameter rules count.

Replicate runs (seeds at the same ``(N, D)``) measure noise, not scaling: a law of 5
parameters fitted on 22 runs at 11 distinct ``(N, D)`` is as under-determined as one fitted on
the 11. The diagnostics' "too few runs" line, the 2-per-parameter minimum of a rolling cut
and the 5-per-parameter rule that admits a cut (:mod:`._extrapolation`) count these points.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "count_below",
    "distinct_points",
    "n_distinct",
    "points_from_runs",
    "points_label",
    "said_runs",
]


def distinct_points(data: Mapping[str, ArrayLike]) -> NDArray[np.intp]:
    """Per run, the index of its point among the distinct rows of ``data``'s columns (a
    law's variables: symbol -> values); runs with equal values in every column share one."""
    cols = [np.asarray(v, dtype=np.float64).ravel() for v in data.values()]
    if not cols or not len(cols[0]):
        return np.zeros(0 if not cols else len(cols[0]), dtype=np.intp)
    # sorted rows numbered by group, as np.unique(axis=0, return_inverse=True) would give,
    # without loading numpy.ma (which a default fit does without: tests/test_cli_process.py)
    x = np.column_stack(cols)
    order = np.lexsort(x.T[::-1])
    new = np.concatenate(([False], np.any(np.diff(x[order], axis=0) != 0, axis=1)))
    ids = np.empty(len(x), dtype=np.intp)
    ids[order] = np.cumsum(new)
    return ids


def n_distinct(ids: NDArray[np.intp] | None, mask: NDArray[np.bool_] | None = None) -> int:
    """Distinct points among the runs of ``mask`` (default: every run; ``ids`` ``None``:
    every run its own point)."""
    if mask is None:
        if ids is None:
            raise ValueError("n_distinct needs the runs' ids or a mask")
        mask = np.ones(len(ids), dtype=bool)
    if ids is None:
        return int(np.count_nonzero(mask))
    return int(np.count_nonzero(np.bincount(ids[mask]))) if mask.any() else 0


def count_below(axis: NDArray[np.float64], cut: float, ids: NDArray[np.intp] | None) -> int:
    """Distinct points whose scale ``axis`` lies below ``cut`` (the cuts' 1e-9 tolerance)."""
    return n_distinct(ids, axis < cut - 1e-9)


def said_runs(n_runs: int, n_points: int, of: str) -> str:
    """``"70 runs at 35 distinct (N, D)"`` where replicates make the two differ, else
    ``"35 runs"`` (``of``: what the points are, e.g. ``"(N, D)"``)."""
    runs = f"{n_runs} run" + "s" * (n_runs != 1)
    return runs if n_points == n_runs else f"{runs} at {n_points} distinct {of}"


def points_from_runs(n_points: int, n_runs: int, of: str) -> str:
    """``"11 distinct (N, D) from 22 runs"``: the points counted first, for a line whose
    numbers count them (the runs-per-parameter warning); ``of`` as in :func:`said_runs`."""
    return f"{n_points} distinct {of} from {n_runs} run" + "s" * (n_runs != 1)


def points_label(data: Mapping[str, object]) -> str:
    """What a point of ``data`` is, for messages: ``"(N, D)"``, or ``"N"`` for one variable."""
    names = list(data)
    return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"
