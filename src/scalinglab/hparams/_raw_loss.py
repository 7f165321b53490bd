"""Optima located on a sweep's raw final loss while it also has a smoothed one: a note, or a
warning once cells are flagged.

A raw final loss carries each run's last-step noise; on a cell's local surface that noise
is what makes a valley non-convex or puts its best run at the grid's edge. So where cells
are flagged (unbracketed, no minimum) and the smoothed column is there unused, the line
that names it is the first thing to act on: a warning. Where every cell is bracketed the
noise did not break a surface, and the line stays a note.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["RAW_LOSS", "raw_loss_lines", "raw_loss_note"]

#: How the note begins (it is found by it among the sweep's notes).
RAW_LOSS = "optima located on the raw final loss"


def raw_loss_note(smoothed: str) -> str:
    """The note of optima located on the raw loss beside the smoothed column ``smoothed``."""
    return (
        f"{RAW_LOSS}; the sweep also has {smoothed!r}, a smoothed loss that locates them "
        f"with less noise: --y {smoothed!r}"
    )


def raw_loss_lines(
    notes: Sequence[str], flagged: Sequence[str], cells: int
) -> tuple[list[str], list[str]]:
    """``notes`` less the raw-loss note where ``flagged`` (the flagged cells' labels, of
    ``cells``) is not empty, and the warning that says it instead: (notes, warnings)."""
    said = next((n for n in notes if n.startswith(RAW_LOSS)), None)
    if said is None or not flagged:
        return list(notes), []
    warning = (
        f"{len(flagged)} of {cells} cells flagged ({', '.join(flagged)}) with {RAW_LOSS}, "
        f"whose noise can break a cell's surface{said[len(RAW_LOSS) :]}"
    )
    return [n for n in notes if n != said], [warning]
