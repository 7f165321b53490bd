"""The bulk path of :meth:`RunStore.put_runs_frame <scalinglab.store.RunStore.put_runs_frame>`:
one long frame of curve rows split into each run's columns.

Sorting and slicing one frame of millions of rows is far cheaper than building a DataFrame
per run; each run's columns are those :func:`~._curves.curve_columns` makes of its rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab._format import join_more, noun_for
from scalinglab.store import _curves as _c
from scalinglab.store._record import CURVE_COLUMNS


def refuse_repeated(ids: Sequence[str]) -> None:
    """Refuse a write of runs that gives a ``run_id`` more than once.

    Raises:
        ConfigError: Naming the repeated runs, the first 3 (``and N more runs`` after).
    """
    repeated = sorted(i for i, n in Counter(ids).items() if n > 1)
    if repeated:
        named = join_more([repr(i) for i in repeated], 3, noun="run")
        are = "is" if len(repeated) == 1 else "are each"
        raise ConfigError(
            f"{noun_for(len(repeated), 'run')} {named} {are} given more than once in one "
            "write: give each run_id once"
        )


def split_curve_frame(ids: Sequence[str], curves: pd.DataFrame | None) -> list[_c.Columns | None]:
    """Each run's curve columns (in the order of ``ids``) from the rows of ``curves``,
    which a ``run_id`` column assigns; ``None`` for a run without rows (its stored curve
    stays).

    Raises:
        ConfigError: A frame without a ``run_id`` column, rows of a run not in ``ids``, or
            curve columns :func:`~._curves.check_curve_columns` refuses.
    """
    per_run: list[_c.Columns | None] = [None] * len(ids)
    if curves is None or not len(curves):
        return per_run
    if "run_id" not in curves.columns:
        raise ConfigError("a curve frame needs a 'run_id' column")
    codes = _c.run_codes(ids, curves["run_id"])
    if (codes < 0).any():
        stray = curves["run_id"].to_numpy()[codes < 0][0]
        raise ConfigError(f"curve rows for run {stray!r}, which is not among the runs")
    _c.check_curve_columns(curves.columns)
    order = _c.run_step_order(codes, curves)
    sorted_codes = codes if order is None else codes[order]
    columns = {name: _c.curve_column(curves, name, order) for name in CURVE_COLUMNS}
    bounds = np.searchsorted(sorted_codes, np.arange(len(ids) + 1))
    for k in range(len(ids)):
        lo, hi = bounds[k], bounds[k + 1]
        if hi > lo:
            per_run[k] = {name: col[lo:hi] for name, col in columns.items()}
    return per_run
