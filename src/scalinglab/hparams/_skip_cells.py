"""Cells of a sweep no optimum can be located in, left out with a note as unbracketed cells are.

A cell whose runs share one learning rate (a single run, say) has no valley in lr to fit,
and a cell with no finite loss (every run diverged, or none recorded one) has no best run.
Neither says anything of lr*, and neither should stop the others from being fitted: each is
left out of the sweep, named with why in a note, and the sweep is refused only when no cell
is left, as its optima are located (too few for a law are refused as any sweep short of
cells is, naming these too).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_g, join_more
from scalinglab.hparams._cell_label import cell_label

if TYPE_CHECKING:
    from scalinglab.hparams._sweep import Sweep

__all__ = ["check_locatable", "skip_cells", "skipped_clause"]

#: How a sweep's note of the cells left out starts (:func:`skipped_clause` finds it by it).
_LEFT_OUT = "left out, no optimum to locate:"


def _why(sweep: Sweep, cell: int) -> str | None:
    """Why no optimum can be located in ``cell``, or ``None`` when one can."""
    idx = np.flatnonzero(sweep.cell == cell)
    runs = f"{len(idx)} run{'s' if len(idx) != 1 else ''}"
    if not np.isfinite(sweep.loss[idx]).any():
        return f"no finite loss in its {runs} (every one diverged or recorded none)"
    lrs = np.unique(sweep.lr[idx])
    if len(lrs) < 2:
        return f"a single learning rate ({format_g(lrs[0], 3)}) in its {runs}"
    return None


def _reasons(sweep: Sweep) -> dict[int, str]:
    """Each cell no optimum can be located in, and why."""
    return {c: w for c in range(sweep.n_cells) if (w := _why(sweep, c)) is not None}


def check_locatable(sweep: Sweep) -> None:
    """Refuse a sweep none of whose cells an optimum can be located in, saying what a cell
    needs (before any is located: :func:`~scalinglab.hparams.locate_optima`).

    Raises:
        DataError: Every cell has a single learning rate, or no finite loss.
    """
    why = _reasons(sweep)
    if not why or len(why) < sweep.n_cells:
        return
    keys = [dict(zip(sweep.by, map(float, row), strict=True)) for row in sweep.keys]
    shown = join_more([f"{cell_label(keys[c])}: {w}" for c, w in why.items()], 3, sep="; ")
    raise DataError(
        f"no optimum can be located in any of the {len(why)} cells: {shown}",
        source=sweep.table.source,
        column=sweep.columns["lr"],
        hint=f"a cell (runs sharing {', '.join(sweep.by)}) needs runs with a finite loss at "
        "two or more learning rates (a sweep of the batch alone locates no lr*): group the "
        "runs into such cells (--by, by=), or name the learning-rate column (--lr, lr=)",
    )


def skip_cells(sweep: Sweep) -> Sweep:
    """``sweep`` without the cells no optimum can be located in, with a note naming each
    and why (the runs kept keep their rows; the source is described as read); ``sweep``
    itself where none is, or where every one is (nothing would be left: locating its
    optima refuses it, :func:`check_locatable`).
    """
    why = _reasons(sweep)
    if not why or len(why) == sweep.n_cells:
        return sweep
    keys = [dict(zip(sweep.by, map(float, row), strict=True)) for row in sweep.keys]
    named = "; ".join(f"{cell_label(keys[c])}: {w}" for c, w in why.items())
    kept = [c for c in range(sweep.n_cells) if c not in why]
    mask = np.isin(sweep.cell, kept)
    number = np.full(sweep.n_cells, -1, dtype=np.int64)
    number[kept] = np.arange(len(kept))
    many = len(why) > 1
    note = f"{len(why)} cell{'s' if many else ''} {_LEFT_OUT} {named}"
    return replace(
        sweep,
        # the runs read are the source's, not a selection of it: the note says what went
        table=replace(sweep.table.select(mask), selected_from=sweep.table.selected_from),
        lr=sweep.lr[mask],
        batch=None if sweep.batch is None else sweep.batch[mask],
        loss=sweep.loss[mask],
        cell=number[sweep.cell[mask]],
        keys=sweep.keys[kept],
        notes=(*sweep.notes, note),
    )


def skipped_clause(sweep: Sweep) -> str:
    """``" (besides, 1 cell left out, ...)"``, the note of the cells :func:`skip_cells` left
    out, for a refusal of too few cells; ``""`` when none was."""
    said = [n for n in sweep.notes if _LEFT_OUT in n]
    return f" (besides, {said[0]})" if said else ""
