"""The short name of a sweep's cell, ``N=215M D=4B``, as every note and table gives it."""

from __future__ import annotations

from collections.abc import Mapping

from scalinglab._format import format_count

__all__ = ["cell_label"]

_SHORT = {"params": "N", "tokens": "D", "flops": "C"}


def cell_label(keys: Mapping[str, float]) -> str:
    """``N=215M D=4B``-style name of the cell whose grouping columns have ``keys``."""
    return " ".join(f"{_SHORT.get(k, k)}={format_count(v)}" for k, v in keys.items())
