"""The runs of a sweep that repeat another run exactly: a copy, not a second measurement.

Two runs of one cell at the same lr and batch with the same finite loss, to the last digit,
are one run written twice (a file saved twice into one, an export appended to itself); real
repeats (another seed) differ in their loss. A copy is not refused: where the runs carry an
id, a repeated id already is (:func:`scalinglab.data._raw.run_ids`), and without one the
rows are all there is. But it counts as a run of its own in its cell's surface and in the
resamples, so the surface leans towards it and the intervals narrow as if the loss had been
measured twice: the warning names each copy and the run it repeats.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import join_more
from scalinglab.data import RunTable
from scalinglab.data._raw import named_by_row

__all__ = ["repeated_runs"]

Array = NDArray[np.float64]


def repeated_runs(
    table: RunTable, cell: NDArray[np.int64], lr: Array, batch: Array | None, loss: Array
) -> list[str]:
    """The warning naming the runs that repeat an earlier run's cell, lr, batch and finite
    loss exactly (none where no run does): by row where the runs are named by their rows
    (a file without a run-id column), else by run.

    Args:
        table: The sweep's runs, for their rows and names.
        cell: Each run's cell.
        lr: Each run's learning rate.
        batch: Each run's batch (``None``: a sweep of the lr alone).
        loss: Each run's loss (a diverged run's NaN or inf is no value to repeat).
    """
    sizes = np.zeros(len(lr)) if batch is None else batch
    first: dict[tuple[float, ...], int] = {}
    copies: list[tuple[int, int]] = []  # (copy, the run it repeats), positions
    for k, key in enumerate(
        zip(cell.tolist(), lr.tolist(), sizes.tolist(), loss.tolist(), strict=True)
    ):
        if not np.isfinite(key[3]):
            continue
        if key in first:
            copies.append((k, first[key]))
        else:
            first[key] = k
    if not copies:
        return []
    by_row = named_by_row(table.runs, table.rows)
    one = "row" if by_row else "run"

    def name(k: int) -> str:
        return f"{table.rows[k]}" if by_row else repr(table.runs[k])

    shown = join_more([f"{name(k)} (as {one} {name(j)})" for k, j in copies])
    what = "lr, batch and loss" if batch is not None else "lr and loss"
    n = len(copies)
    return [
        f"{n} run{'s' if n != 1 else ''} repeat{'s' if n == 1 else ''} an earlier run's cell, "
        f"{what} exactly, to the last digit: {one}{'s' if n != 1 else ''} {shown}; each copy "
        "counts as a run of its own, weighting its cell's surface and narrowing the intervals "
        "as if its loss had been measured twice: remove the copies (a file saved twice into "
        "one?)"
    ]
