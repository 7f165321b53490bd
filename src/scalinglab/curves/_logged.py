"""Learning rates as a file or a tracker logged them, made fit to build a
:class:`~scalinglab.curves._schedules.Schedule` from: checked (one rate per step, steps
whole and increasing, rates finite and >= 0), each error naming the file's column and row.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError

__all__ = ["checked_rates"]

Array = NDArray[np.float64]


def checked_rates(
    step: object,
    lr: object,
    *,
    source: str,
    columns: tuple[str, str] = ("step", "lr"),
    rows: Sequence[int] | None = None,
) -> tuple[Array, Array]:
    """Logged steps and rates as float arrays, checked: one rate per step, steps whole,
    >= 0 and increasing, rates finite and >= 0.

    Raises:
        DataError: naming ``source``, the column (of ``columns``: step, lr) and the row (of
            ``rows``, where given) of the first bad value.
    """
    step_col, lr_col = columns
    try:
        s = np.asarray(step, dtype=np.float64)
        v = np.asarray(lr, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError("steps and learning rates must be numbers", source=source) from None
    if s.ndim != 1 or v.ndim != 1 or len(s) != len(v):
        raise DataError(
            f"{s.size} steps and {v.size} learning rates: one rate per logged step is needed "
            f"(shapes {s.shape} and {v.shape})",
            source=source,
            hint="pass two 1-D arrays of the same length: step[i] and the rate lr[i] there",
        )

    def row(i: int) -> int | None:
        return None if rows is None or len(rows) != len(s) else int(rows[i])

    if len(s) == 0:
        raise DataError(
            "no learning rate logged: every cell is blank or NaN, or there is no row",
            source=source,
            column=lr_col,
            hint="fill in the learning rates, or give the schedule as a spec instead",
        )
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(
            f"learning rate {v[i]} at step {s[i]:g} is negative or not a number",
            source=source,
            row=row(i),
            column=lr_col,
            hint="learning rates must be finite and >= 0",
        )
    odd = ~np.isfinite(s) | (s < 0) | (s != np.round(s))
    if odd.any():
        i = int(np.argmax(odd))
        raise DataError(
            f"step {s[i]:g} is not a step: steps are whole counts from 0",
            source=source,
            row=row(i),
            column=step_col,
            hint="log the optimizer step (0, 1, 2, ...), not a fraction or an offset",
        )
    if np.any(np.diff(s) <= 0):
        i = int(np.argmax(np.diff(s) <= 0)) + 1
        raise DataError(
            f"steps must increase: step {s[i]:g} follows {s[i - 1]:g}",
            source=source,
            row=row(i),
            column=step_col,
            hint="sort the curve by step and drop repeated steps",
        )
    return s, v
