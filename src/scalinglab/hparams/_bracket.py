"""Whether a cell's grid brackets its optimum: the status of a located optimum.

- **unbracketed**: the best run is at the smallest or largest lr (or batch) of the cell's
  grid, or the located optimum lies outside it: the sweep did not look past the best run,
  and the true optimum may lie beyond. Left out of the laws by default.
- **bounded by divergence**: the best run is the highest lr of the cell that did not
  diverge, and runs at higher lr were tried and diverged. A diverged run *is* a
  measurement: a higher lr does not train there, so the best lr that does is bracketed
  (``"ok"``, kept in the laws), but the valley's rise above it was never measured; the
  optimum is the best lr below divergence, not a minimum of the valley, and the status says
  so. A grid that merely stops at the best run measures nothing above it and stays
  unbracketed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab.hparams._pinned import PINNED_SAID

if TYPE_CHECKING:
    from scalinglab.hparams._optimum import CellOptimum

__all__ = ["BOUNDED", "bounded_notes", "cell_status", "is_ok", "shown_status"]

Array = NDArray[np.float64]

#: The status of a cell whose lr valley is bounded above by diverged runs alone.
BOUNDED = (
    "ok, bounded by divergence: every run above its best lr diverged, so lr* is the best lr "
    "below divergence"
)


def is_ok(status: str) -> bool:
    """Whether a cell with this status is bracketed (kept in the laws)."""
    return status == "ok" or status == BOUNDED


def cell_status(
    lr: Array,
    batch: Array,
    bad: NDArray[np.bool_],
    best: int,
    optimum: tuple[float, float],
    *,
    two_d: bool,
) -> str:
    """``"ok"``, :data:`BOUNDED`, or why the cell is flagged.

    Args:
        lr, batch: The cell's runs (``batch`` all ones when one batch was used).
        bad: Which runs diverged.
        best: Index of the best run.
        optimum: The located ``(log lr, log batch)``, NaN when the surface has no minimum.
        two_d: Whether the surface spans batch as well.
    """
    lr_grid, b_grid = np.unique(lr), np.unique(batch)
    edges = []
    if lr[best] in (lr_grid[0], lr_grid[-1]):
        side = "lowest" if lr[best] == lr_grid[0] else "highest"
        edges.append(f"the best run is at the {side} lr of the grid")
    if two_d and batch[best] in (b_grid[0], b_grid[-1]):
        side = "smallest" if batch[best] == b_grid[0] else "largest"
        edges.append(f"the best run is at the {side} batch of the grid")
    if edges:
        return "unbracketed: " + "; ".join(edges)
    ox, oy = optimum
    if not np.isfinite(ox):
        return "no minimum: the surface around the best run is not convex"
    x, y = np.log(lr), np.log(batch)
    if not (x.min() <= ox <= x.max()) or (two_d and not (y.min() <= oy <= y.max())):
        return "unbracketed: the located optimum lies outside the grid"
    above = lr > lr[best]  # some run is: the best is not at the grid's highest lr
    return BOUNDED if bad[above].all() else "ok"


def shown_status(cell: CellOptimum, *, short: bool = False) -> str:
    """A cell's status as the cells tables show it: its ``status`` (``short``: ``ok``, ``ok,
    bounded by divergence`` or ``flagged (see notes)``, as ``hparams fit`` prints it), then
    ``; lr* known only to the grid`` where the grid pins it (:attr:`CellOptimum.pinned`)."""
    said = cell.status
    if short and cell.bracketed:
        said = "ok" if said == "ok" else "ok, bounded by divergence"
    elif short:
        said = "flagged (see notes)"
    return f"{said}; lr* {PINNED_SAID}" if cell.pinned else said


def bounded_notes(cells: Sequence[CellOptimum]) -> list[str]:
    """The fit's note naming the cells bounded by divergence, and how to read their lr*."""
    named = [c.label() for c in cells if c.status == BOUNDED]
    if not named:
        return []
    return [
        f"{', '.join(named)}: bounded by divergence: every run above the cell's best lr "
        "diverged, so the valley's upper side was not measured and lr* there is the best lr "
        "below divergence, not a minimum of the valley (the loss might fall further at a "
        "higher lr that trained); such cells are kept in the laws (a grid that merely stops at "
        "its best lr is unbracketed and left out)"
    ]
