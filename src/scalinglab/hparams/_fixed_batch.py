"""What lr* is conditional on when the sweep did not vary the batch.

A cell swept over lr alone locates the best lr *at its batch*: the optimal lr moves with the
batch (Step Law's and DeepSeek's fits have lr* and B* depend on each other through N and D,
and a larger batch takes a larger lr), so without a B* law the lr* law holds at the batches
the sweep used, cell by cell, and nowhere else. The fit and each prediction say so.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scalinglab._format import format_count
from scalinglab.hparams._optimum import CellOptimum

__all__ = ["batch_header", "fit_note", "prediction_note", "sweep_batch"]


def sweep_batch(cells: Sequence[CellOptimum], unit: str) -> str | None:
    """The batch the cells were run at, ``"one batch per cell, 176K to 557K tokens"`` or
    ``"one batch, 176K tokens, in every cell"``; ``None`` when the sweep has no batch."""
    batches = [c.batch for c in cells if math.isfinite(c.batch)]
    if not batches:
        return None
    lo, hi = min(batches), max(batches)
    if lo == hi:
        return f"one batch, {format_count(lo)} {unit}, in every cell"
    return f"one batch per cell, {format_count(lo)} to {format_count(hi)} {unit}"


def batch_header(cells: Sequence[CellOptimum], unit: str) -> str | None:
    """A cells table's batch column: ``B*`` where a cell sweeps the batch, the batch the
    sweep used where none does, ``None`` where the sweep has no batch."""
    if not any(math.isfinite(c.batch) for c in cells):
        return None
    return f"B* ({unit})" if any(c.two_d for c in cells) else f"batch ({unit}, fixed)"


def fit_note(cells: Sequence[CellOptimum], unit: str) -> str:
    """The fit's note for a sweep over lr alone: each lr* holds at its cell's batch."""
    batch = sweep_batch(cells, unit)
    if batch is None:
        return (
            "the sweep has no batch column: each lr* is the optimal peak lr at whatever batch "
            "its cell's runs used, and the lr* law holds at those batches alone; no B* is "
            "located (name the batch column: --batch COLUMN, or sweep the batch too)"
        )
    return (
        f"no cell sweeps the batch ({batch}): each lr* is the optimal peak lr at its cell's "
        "batch, and the lr* law holds at the batches the sweep used, not at any batch; no B* "
        "is located (sweep the batch too)"
    )


def prediction_note(cells: Sequence[CellOptimum], unit: str) -> str:
    """A prediction's note for a fit to a sweep over lr alone: what its lr* is conditional on."""
    batch = sweep_batch(cells, unit)
    used = "the batch the sweep's runs used (it records none)" if batch is None else (
        f"the batch the sweep used ({batch})"
    )  # fmt: skip
    return (
        f"peak lr*: optimal at {used}, not at any batch: the sweep did not vary the batch, "
        "so its fit has no B* law, and at another batch the optimal lr differs"
    )
