"""The third of params, tokens and flops, derived from the other two (C = 6·N·D)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab.data._raw import SIZES

__all__ = ["derive_size"]

Array = NDArray[np.float64]


def derive_size(columns: dict[str, Array], notes: list[str]) -> str:
    """Fill in the third of N, D, C from the other two with C = 6·N·D (Kaplan et al. 2020),
    with a note; return the name of the column derived, or ``""``."""
    have = {k for k in SIZES if k in columns}
    with np.errstate(over="ignore", under="ignore"):  # checked by the caller, row by row
        if have == {"params", "tokens"}:
            columns["flops"] = 6.0 * columns["params"] * columns["tokens"]
            notes.append("flops derived as 6·N·D (column absent)")
            return "flops"
        if have == {"params", "flops"}:
            columns["tokens"] = columns["flops"] / (6.0 * columns["params"])
            notes.append("tokens derived as C/(6N) (column absent)")
            return "tokens"
        if have == {"tokens", "flops"}:
            columns["params"] = columns["flops"] / (6.0 * columns["tokens"])
            notes.append("params derived as C/(6D) (column absent)")
            return "params"
    return ""
