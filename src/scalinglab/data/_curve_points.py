"""Curves with no point to read: every point lacks a loss or lies at 0 tokens (the start of
training). The refusal says which, of how many points (a file of one point is no curve at
all), and what to give instead, rather than "check the columns"."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab.data._raw import NO_ROW, RawTable

__all__ = ["no_points"]

#: What the envelope reads, as its hints say it.
_CURVES = "loss curves: several checkpoints per run (tokens > 0, each with a loss), for runs of 3+ model sizes"


def no_points(
    raw: RawTable,
    loss: NDArray[np.float64],
    tokens: NDArray[np.float64],
    *,
    loss_column: str,
    tokens_column: str,
) -> DataError:
    """The error for curves of which no point has both a finite loss and tokens > 0.

    Args:
        raw: The curves as read.
        loss: Each point's loss (NaN where it has none).
        tokens: Each point's tokens.
        loss_column: The column the loss was read from.
        tokens_column: The column the tokens (or steps) were read from.
    """
    no_loss = ~np.isfinite(loss)
    at_zero = ~no_loss & ~(tokens > 0)
    if len(loss) == 1:
        row = raw.rows[0]
        at = f" (row {row})" if row != NO_ROW else ""
        why = (
            f"no loss in column {loss_column!r}"
            if no_loss[0]
            else f"0 tokens in column {tokens_column!r} (the start of training)"
        )
        return DataError(
            f"one point{at}, with {why}: the envelope needs {_CURVES}",
            source=raw.source,
            hint="give the runs' loss curves; for final losses (one row per run) use isoflop or fit",
        )
    parts = []
    if no_loss.any():
        n = int(no_loss.sum())
        parts.append(f"{n} {'has' if n == 1 else 'have'} no loss in column {loss_column!r}")
    if at_zero.any():
        n = int(at_zero.sum())
        parts.append(
            f"{n} {'lies' if n == 1 else 'lie'} at 0 tokens in column {tokens_column!r} "
            "(the start of training)"
        )
    return DataError(
        f"no point has both a loss and tokens > 0: of the {len(loss)} points, {' and '.join(parts)}",
        source=raw.source,
        hint="read the loss from the column that holds it (--map loss=COLUMN) and the tokens "
        "from one that counts them (--map tokens=COLUMN); the envelope needs " + _CURVES,
    )
