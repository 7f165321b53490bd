"""Non-finite numbers a tracker reported (a summary ``train/loss`` of ``inf``, an MLflow
metric whose last value is NaN): the store keeps a run's config and metrics as strict JSON,
which has no ``inf`` or ``NaN``, so they are kept apart as text and said once."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from scalinglab._format import format_counted

__all__ = ["non_finite_note", "split_non_finite"]


def _text(value: float) -> str:
    return "nan" if value != value else ("inf" if value > 0 else "-inf")


def split_non_finite(
    values: Mapping[str, Any], *, keep_nan: bool
) -> tuple[dict[str, Any], dict[str, str]]:
    """``values`` without their non-finite numbers, and those numbers as text by name.

    Args:
        values: A run's config or metrics.
        keep_nan: Record a NaN as text too (a metric logged as NaN); otherwise drop it
            unsaid (a blank cell of a CSV export reads as NaN, and says nothing).
    """
    kept: dict[str, Any] = {}
    odd: dict[str, str] = {}
    for name, value in values.items():
        if isinstance(value, float | np.floating) and not math.isfinite(value):
            if keep_nan or value == value:
                odd[str(name)] = _text(float(value))
            continue
        kept[str(name)] = value
    return kept, odd


def non_finite_note(found: Sequence[tuple[str, Mapping[str, str]]]) -> list[str]:
    """The note for the runs of ``found`` (``(run name, name -> text)``) that have any."""
    found = [(run, odd) for run, odd in found if odd]
    if not found:
        return []
    shown = "; ".join(
        f"{run!r}: " + ", ".join(f"{name}={text}" for name, text in sorted(odd.items()))
        for run, odd in found[:3]
    ) + (" ..." if len(found) > 3 else "")
    return [
        f"{format_counted(len(found), 'run')} reported non-finite values ({shown}): stored as text in "
        "extra.non_finite, not as numbers (JSON has no inf or NaN)"
    ]
