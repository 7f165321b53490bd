"""The short name of a sweep's cell, ``N=215M D=4B``, as every note and table gives it."""

from __future__ import annotations

from collections.abc import Mapping

from scalinglab._format import format_g

__all__ = ["cell_label"]

_SHORT = {"params": "N", "tokens": "D", "flops": "C"}


def cell_label(keys: Mapping[str, float]) -> str:
    """``N=215M D=4B``-style name of the cell whose grouping columns have ``keys``."""
    return " ".join(f"{_SHORT.get(k, k)}={_si(v)}" for k, v in keys.items())


def _si(v: float) -> str:
    for unit, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(v) >= scale:
            return f"{format_g(v / scale, 3)}{unit}"
    return format_g(v, 3)
