"""A size the runs vary in that the law does not read, said where the law misses the runs.

A law of N alone fitted to a grid of several token counts per model size sees, at each N,
losses that spread with D: no curve in N follows them, and :func:`._goodness.misfit` warns
that the law does not follow the runs. Its usual advice ("fit another law") leaves the user
to find why; here the runs' own design says it: the law ignores tokens, the runs vary in
them at fixed params, and a law of both (Chinchilla's) reads what they vary in.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from scalinglab.data._table import RunTable

__all__ = ["unread_sizes"]

#: The run-table sizes a loss law can read, in the order they are said.
_SIZES = ("params", "tokens")
#: Each size's noun, one and several: "6 token counts per model size".
_NOUNS = {
    "params": ("model size", "model sizes"),
    "tokens": ("token count", "token counts"),
    "flops": ("compute budget", "compute budgets"),
}
#: The law to use instead of one that ignores a size: one of N and D.
_INSTEAD = "chinchilla"


def unread_sizes(columns: Mapping[str, str], table: RunTable) -> str | None:
    """Why a law reading ``columns`` (symbol -> run-table column) misses ``table``'s runs,
    where they vary in a size it does not read at fixed values of what it reads (``"the law
    reads params alone, and the runs vary in tokens at fixed params (up to 6 token counts
    per model size)"``), with the law to fit instead; ``None`` where they do not."""
    read = [c for c in dict.fromkeys(columns.values()) if table.has(c)]
    unread = [c for c in _SIZES if c not in read and table.has(c)]
    if not read or not unread:
        return None
    keys = np.column_stack([np.asarray(table[c], dtype=np.float64) for c in read])
    groups = np.unique(keys, axis=0, return_inverse=True)[1].reshape(-1)
    varied: dict[str, int] = {}
    for c in unread:  # distinct (group, value) pairs, counted per group
        pairs = np.unique(np.column_stack([groups, np.asarray(table[c], float)]), axis=0)
        most = int(np.bincount(pairs[:, 0].astype(np.int64)).max())
        if most > 1:
            varied[c] = most
    if not varied:
        return None
    at = " and ".join(read)
    one = _NOUNS[read[0]][0] if len(read) == 1 and read[0] in _NOUNS else f"point of {at}"
    each = ", ".join(f"up to {n} {_NOUNS[c][1]} per {one}" for c, n in varied.items())
    return (
        f"the law reads {at} alone, and the runs vary in {' and '.join(varied)} at fixed "
        f"{at} ({each}): fit a law of params and tokens instead (law {_INSTEAD}, or auto to "
        "choose one by backtest)"
    )
