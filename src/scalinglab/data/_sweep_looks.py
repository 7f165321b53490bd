"""A hyperparameter sweep given where loss curves or an IsoFLOP grid are read (``envelope``,
``curves fit``, ``isoflop``): told by its rows, and said with the command that fits it,
``hparams fit``.

A sweep is told by a learning-rate column (named as ``hparams fit`` finds one: ``lr``,
``learning_rate``, ``peak_lr``, ...) whose values vary among the runs of one model size and
budget: rows grouped by their size columns (params, tokens), the median group holds
:data:`_LEAST_RATES` learning rates or more. A table of final losses trained at one learning
rate per size (an IsoFLOP grid, Gadre et al.'s models) holds one, and a loss curve's logged
lr is no sweep where the rows are a run's checkpoints: callers reading curves ask this of
tables whose rows are one per run (:func:`~scalinglab.data._final_losses.one_row_per_run`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_counted
from scalinglab._looks import is_duckdb
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import SIZES, RawTable, as_list
from scalinglab.data._schema import ALIASES

__all__ = ["fit_sweep", "raw_sweep", "sweep_shape"]

#: Learning rates in the median (size, budget) group of a sweep, at least.
_LEAST_RATES = 3


def _first(names: Sequence[str], aliases: Sequence[str]) -> str | None:
    keys = {column_key(a) for a in aliases}
    return next((n for n in names if column_key(n) in keys), None)


def _span(counts: Sequence[int]) -> str:
    low, high = min(counts), max(counts)
    return f"{low}" if low == high else f"{low}-{high}"


def sweep_shape(
    cells: Mapping[str, Sequence[object] | NDArray[Any]], sizes: Sequence[str]
) -> str | None:
    """How the runs of ``cells`` (column -> values, a row a run) are a learning-rate (and
    batch-size) sweep, in words (``"an lr × batch sweep: 1746 runs in 15 groups of equal
    'N' and 'D', each over 11-12 learning rates ('lr') and 10 batch sizes ('bs')"``), else
    ``None``; ``sizes`` are its size columns, the runs grouped by their values."""
    from scalinglab.data._hparam_names import BATCH_ALIASES, LR_ALIASES

    names = list(cells)
    lr, batch = _first(names, LR_ALIASES), _first(names, BATCH_ALIASES)
    if lr is None or not sizes:
        return None
    keys = list(zip(*(map(str, as_list(cells[s])) for s in sizes), strict=True))
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(key, []).append(i)
    rates_of = as_list(cells[lr])  # once: per run it made a curve file's read quadratic
    rates = [len({str(rates_of[i]) for i in rows}) for rows in groups.values()]
    if not rates or float(np.median(rates)) < _LEAST_RATES:
        return None
    batches = []
    if batch is not None:
        column = as_list(cells[batch])
        batches = [len({str(column[i]) for i in rows}) for rows in groups.values()]
    kind = "an lr × batch sweep" if max(batches, default=1) > 1 else "a learning-rate sweep"
    said = (
        f"{kind}: {len(keys)} runs in {format_counted(len(groups), 'group')} of equal "
        f"{' and '.join(repr(s) for s in sizes)}, each over {_span(rates)} learning rates ({lr!r})"
    )
    if batches:  # one batch in every group: an lr sweep at that batch
        many = max(batches) > 1
        said += f" and {_span(batches)} batch sizes" if many else " at one batch size"
        said += f" ({batch!r})"
    return said


def raw_sweep(raw: RawTable) -> str | None:
    """:func:`sweep_shape` of a table as read, its size columns found by the run tables'
    names (``params``/``N``, ``tokens``/``D``, ``flops``: the first of each)."""
    sizes = [_first(raw.names, (target, *ALIASES[target])) for target in SIZES]
    return sweep_shape(raw.cells, [s for s in sizes if s is not None])


def fit_sweep(source: str) -> str:
    """The command that fits the sweep ``source`` (its Python call for a DataFrame)."""
    if source == "<DataFrame>":
        return "scalinglab.fit_hparams(frame)"
    store = "--store " if is_duckdb(Path(source)) else ""  # a run store's runs
    return f"`scalinglab hparams fit {store}{source}`"
