"""What a run table's FLOPs count, in words, and a note when a given FLOPs column is not
6·N·D: plans count compute as C = 6·N·D (Kaplan et al. 2020), so a budget read off a file
whose FLOPs are exact counts (attention and embeddings included) differs by their ratio."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

__all__ = ["DERIVED_6ND", "flops_convention"]

Array = NDArray[np.float64]

#: The convention of a table without FLOPs: a reader that stores runs keeps such FLOPs apart
#: from FLOPs a source gave (the store's ``flops_6nd``, not its ``flops``).
DERIVED_6ND = "C = 6·N·D, computed from params and tokens (the data have no FLOPs column)"
#: A given FLOPs column within this of 6·N·D (median ratio) is called 6·N·D.
_SAME = 0.02
#: Past this, a note says a budget in the file's FLOPs is not a plan's.
_NOTE = 0.05


def flops_convention(
    chosen: Mapping[str, str], derived: str, columns: Mapping[str, Array]
) -> tuple[str, list[str]]:
    """What the table's flops are, and the notes that go with it.

    Args:
        chosen: Canonical column -> the source column it was read from.
        derived: The size column computed from the other two (``""``: none).
        columns: The numeric columns (``params``, ``tokens``, ``flops`` where present).

    Returns:
        The convention in words (a fit records it) and zero or one note.
    """
    if derived == "flops":
        return DERIVED_6ND, []
    if "flops" not in chosen:
        return "none in the data (no FLOPs column, and no tokens to compute 6·N·D from)", []
    given = f"as given in the data (column {chosen['flops']!r})"
    if derived:
        other = "D = C/(6N)" if derived == "tokens" else "N = C/(6D)"
        return f"{given}; {derived} derived from it as {other}, so C = 6·N·D", []
    if "params" not in columns or "tokens" not in columns:  # flops alone: nothing to compare
        return f"{given}, counted as its source did", []
    with np.errstate(all="ignore"):
        ratio = columns["flops"] / (6.0 * columns["params"] * columns["tokens"])
    r = np.sort(ratio[np.isfinite(ratio) & (ratio > 0)])  # np.quantile would load numpy.ma
    if not len(r):
        return f"{given}, counted as its source did", []
    mid, low, high = 0.5 * float(r[(len(r) - 1) // 2] + r[len(r) // 2]), float(r[0]), float(r[-1])
    if abs(mid - 1.0) <= _SAME:
        return f"{given}: 6·N·D to within {_SAME:.0%} (median ratio {mid:.3g})", []
    spread = f"{low:.3g}-{high:.3g}×, median {mid:.3g}×" if high > low * 1.01 else f"{mid:.3g}×"
    convention = f"{given}, counted as its source did: {spread} 6·N·D"
    if abs(mid - 1.0) <= _NOTE:
        return convention, []
    note = (
        f"column {chosen['flops']!r} holds {spread} 6·N·D: plans count C = 6·N·D, so divide a "
        f"budget in this file's FLOPs by {mid:.3g} before planning with it"
    )
    return convention, [note]
