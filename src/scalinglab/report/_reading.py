"""What reading the runs derived, assumed or left out: the data section lists it and the
reproducibility card counts it (its warnings apart), from this one list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scalinglab.data._noted_runs import plain_notes, reading_warnings

if TYPE_CHECKING:
    from scalinglab.data import RunTable

__all__ = ["data_said", "reading_notes"]


def reading_notes(runs: RunTable) -> list[str]:
    """What reading the runs derived, assumed or left out, each fact once: the table's notes
    (a run dropped as an outlier is among them, with its row), then any run left out that
    no note names."""
    named = [
        f"left out: {run}: {why}"
        for run, why in runs.excluded
        if not any(repr(run) in n and why in n for n in runs.notes)
    ]
    return [*runs.notes, *named]


def data_said(runs: RunTable, *, listed: Sequence[str]) -> tuple[tuple[str, ...], list[str]]:
    """What the data section says of reading ``runs``: its warnings, those the fit's
    warnings (``listed``) do not say with the fitted law already, and its notes."""
    said = reading_notes(runs)
    return tuple(w for w in reading_warnings(said) if w not in listed), plain_notes(said)
