"""Rows of a table without run ids that repeat each other exactly: said in one note (with
run ids a repeated id is refused by the reader; named copies are :mod:`._copies`'s)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_counted, join_first
from scalinglab.data._raw import RawTable

__all__ = ["repeated_rows"]

Array = NDArray[np.float64]


def repeated_rows(raw: RawTable, columns: Mapping[str, Array]) -> list[str]:
    """A note when rows repeat each other exactly in every size column and the loss."""
    seen: dict[tuple[float, ...], int] = {}
    pairs = []
    for i, key in enumerate(zip(*columns.values(), strict=True)):
        if key in seen:
            pairs.append((raw.rows[seen[key]], raw.rows[i]))
        else:
            seen[key] = i
    if not pairs:
        return []
    shown = join_first([f"{a} and {b}" for a, b in pairs], 3)
    return [
        f"{format_counted(len(pairs), 'row')} {'repeats' if len(pairs) == 1 else 'repeat'} another exactly in {', '.join(columns)} (rows {shown}): "
        "a run counted twice weighs twice in the fit; drop the repeats, or name runs with a "
        "run-id column"
    ]
