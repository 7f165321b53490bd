"""The third of params, tokens and flops, derived from the other two (C = 6·N·D)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab.data._raw import SIZES

__all__ = ["HOW", "derive_size", "derived_as"]

Array = NDArray[np.float64]
#: How each size is derived from the other two, as its note says (written and read here).
HOW = {"flops": "6·N·D", "tokens": "C/(6N)", "params": "C/(6D)"}


def derive_size(columns: dict[str, Array], notes: list[str]) -> str:
    """Fill in the third of N, D, C from the other two with C = 6·N·D (Kaplan et al. 2020),
    with a note; return the name of the column derived, or ``""``."""
    have = {k for k in SIZES if k in columns}
    with np.errstate(over="ignore", under="ignore"):  # checked by the caller, row by row
        if have == {"params", "tokens"}:
            columns["flops"] = 6.0 * columns["params"] * columns["tokens"]
            notes.append(f"flops derived as {HOW['flops']} (column absent)")
            return "flops"
        if have == {"params", "flops"}:
            columns["tokens"] = columns["flops"] / (6.0 * columns["params"])
            notes.append(f"tokens derived as {HOW['tokens']} (column absent)")
            return "tokens"
        if have == {"tokens", "flops"}:
            columns["params"] = columns["flops"] / (6.0 * columns["tokens"])
            notes.append(f"params derived as {HOW['params']} (column absent)")
            return "params"
    return ""


def derived_as(column: str, notes: Sequence[str]) -> str:
    """How ``column`` was derived from the other two sizes while reading (``C/(6N)``), as
    the reading ``notes`` say; ``""`` for a column read from the data."""
    how = HOW.get(column, "")
    return how if how and f"{column} derived as {how} (column absent)" in notes else ""
