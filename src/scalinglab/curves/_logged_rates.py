"""A run's per-step schedule from its logged learning rate, as curve files and
``--schedule-file`` are read alike: rows whose lr is blank filled by one rule, said in a note."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_g
from scalinglab.curves._schedules import Schedule

__all__ = ["BLANK_LR", "logged_rates"]

Array = NDArray[np.float64]

#: The note of a logged lr with blank rows (a W&B export logs it on some rows only).
BLANK_LR = "lr blank on some rows: the rate there interpolated from the rows that log one"


def logged_rates(
    step: Array,
    lr: Array,
    *,
    warmup: int | None,
    source: str,
    columns: tuple[str, str],
    rows: Sequence[int],
) -> Schedule:
    """The per-step schedule of one run's logged ``lr`` (:meth:`Schedule.from_logged`), as
    curve files and ``--schedule-file`` are read alike: a row whose lr is blank (``nan``)
    takes the rate interpolated from the rows that log one, with a note (:data:`BLANK_LR`);
    errors name ``source``, the column of ``columns`` (step, lr) and the row of ``rows``."""
    ok = ~np.isnan(lr)
    kept = [r for r, k in zip(rows, ok, strict=True) if k]  # (a DataFrame row says its index)
    # a blank rate on the last rows: the run still ran to its last logged step
    total = int(step[-1]) + 1 if not ok[-1] and np.isfinite(step[-1]) else None
    sched = Schedule.from_logged(step[ok], lr[ok], warmup=warmup, steps=total, source=source,
                                 columns=columns, rows=kept)  # fmt: skip
    if ok.all():
        return sched
    said = BLANK_LR
    if total is not None:  # np.interp holds the last logged rate past it: no interpolation
        last = int(np.flatnonzero(ok)[-1])
        said += (
            f"; after step {int(step[last]):,}, the last that logs one, its rate "
            f"{format_g(float(lr[last]))} held to step {int(step[-1]):,}"
        )
    return replace(sched, notes=(*sched.notes, said))
