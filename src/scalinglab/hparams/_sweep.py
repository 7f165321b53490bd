"""Sweeps: runs of (N, D, lr, batch) -> loss, grouped into cells that share (N, D).

The learning-rate and batch columns are found by their usual names (``lr``,
``learning_rate``, ``peak_lr``; ``batch``, ``bs``, ``batch_size``, ``global_batch_size``,
``batch_tokens``), and a batch in sequences becomes one in tokens with ``seq_len``. A run
whose loss is not finite (NaN, ``±inf``) stays in the sweep: it is a diverged run, judged
per cell later; a run with no loss recorded (a blank cell) is left out with a note
(``_losses``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab.data import RunTable
from scalinglab.data._column_map import SWEEP_NAMES, check_map
from scalinglab.data._column_names import column_key
from scalinglab.data._readers import _from_frame, _read_file
from scalinglab.data._schema import build_table
from scalinglab.data._units import parse_values
from scalinglab.hparams import _repr
from scalinglab.hparams._batch_unit import BATCH_ALIASES, batch_in_tokens, check_seq_len
from scalinglab.hparams._losses import screen_losses

__all__ = ["BATCH_ALIASES", "LR_ALIASES", "Sweep", "as_sweep", "read_sweep"]

Array = NDArray[np.float64]

#: Names a peak learning-rate column goes by (lower-cased, spaces read as underscores).
LR_ALIASES = ("lr", "learning_rate", "peak_lr", "max_lr", "lr_peak", "peak_learning_rate")
#: Names of a smoothed final loss: optima are better located on it than on the raw loss.
_SMOOTHED = ("smooth_loss", "smoothed_loss", "loss_smooth", "loss_smoothed", "ema_loss", "loss_ema")


@dataclass(frozen=True)
class Sweep:
    """A hyperparameter sweep: one row per run, grouped into cells.

    Attributes:
        table: The runs as read (a :class:`RunTable`, non-finite losses kept).
        lr: Peak learning rate per run.
        batch: Batch per run, in ``batch_unit``; ``None`` when only the learning rate was swept.
        batch_unit: ``"tokens"`` or ``"sequences"`` (when no ``seq_len`` converts it).
        loss: The loss used to locate optima, per run (``NaN`` or ``inf`` for diverged runs).
        cell: Cell index of each run.
        keys: The grouping columns and each cell's values of them, ``(cells, len(by))``.
        by: Names of the grouping columns (``("params", "tokens")`` by default).
        columns: Which source column gave ``lr``, ``batch`` and ``loss``.
        seq_len: Tokens per sequence used to convert the batch, or ``None``.
        notes: What was inferred or is worth knowing (an implied sequence length, a
            smoothed loss column not used).
    """

    table: RunTable
    lr: Array
    batch: Array | None
    batch_unit: str
    loss: Array
    cell: NDArray[np.int64]
    keys: Array
    by: tuple[str, ...]
    columns: Mapping[str, str]
    seq_len: int | None = None
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.sweep(self)

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return len(self.keys)

    def cell_values(self, name: str) -> Array:
        """Each cell's value of column ``name`` (a grouping column, or its first run's)."""
        if name in self.by:
            return self.keys[:, self.by.index(name)]
        values = self.table[name]
        return np.array([values[np.flatnonzero(self.cell == c)[0]] for c in range(self.n_cells)])


def _pick(
    table: RunTable, wanted: str | None, aliases: Sequence[str], what: str, have: str
) -> str | None:
    """The column of ``what``, numeric or not (a text cell in it is refused by
    :func:`_numbers`, naming it, rather than the column passing unseen)."""
    names = (*table.columns, *table.labels)
    if wanted is not None:
        if wanted not in names:
            raise DataError(
                f"no column {wanted!r} to read the {what} from (columns: {have})",
                source=table.source,
                column=wanted,
                hint="pass an existing column",
            )
        return wanted
    key = {column_key(name): name for name in names}
    found = [key[a] for a in aliases if a in key]
    if len(found) > 1:
        raise DataError(
            f"columns {', '.join(map(repr, found))} could each be the {what}; which one is it?",
            source=table.source,
            hint=f"say which: --{'lr' if what == 'learning rate' else 'batch'} COLUMN",
        )
    return found[0] if found else None


def _numbers(table: RunTable, column: str, option: str) -> Array:
    """Column ``column`` as numbers: a text cell in it is refused as ``scalinglab fit``
    refuses one in a size or the loss (its row, column and value), not read as no column."""
    if column in table.labels:
        return parse_values(
            table.labels[column], table.rows, source=table.source, column=column,
            hint=f"fix the value, or remove the row; or read another column: {option} COLUMN",
        )[0]  # fmt: skip
    return np.asarray(table[column], dtype=np.float64)


def _one_size_per_cell(table: RunTable, cell: NDArray[np.intp], by: Sequence[str]) -> None:
    """Refuse a cell (runs sharing ``by``) whose runs differ in N or D: the laws read one N
    and one D per cell, and its surface would mix runs of different budgets."""
    for name in ("params", "tokens"):
        if name in by or not table.has(name):
            continue
        values = table[name]
        for c in np.unique(cell):
            rows = np.flatnonzero(cell == c)
            if np.ptp(values[rows]) > 0:
                column = table.origins.get(name, name)  # as the source names them
                named = [table.origins.get(b, b) for b in by]
                other = rows[np.flatnonzero(values[rows] != values[rows[0]])[0]]
                raise DataError(
                    f"the runs grouped by {', '.join(named)} into one cell differ in {column}: "
                    f"{values[rows[0]]:.4g} (row {table.rows[rows[0]]}) and "
                    f"{values[other]:.4g} (row {table.rows[other]}); a cell is one (N, D)",
                    source=table.source,
                    column=column,
                    hint=f"group by {column} too: --by {' --by '.join([*named, column])}",
                )


def _positive(table: RunTable, column: str, values: Array, what: str) -> None:
    bad = ~(values > 0) | ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{what} is {values[i]:g} for run {table.runs[i]!r}; every {what} must be a "
            "positive number",
            source=table.source,
            row=table.rows[i],
            column=column,
            hint="fix the value, or remove the row",
        )


def read_sweep(
    source: RunTable | pd.DataFrame | str | os.PathLike[str],
    *,
    lr: str | None = None,
    batch: str | None = None,
    batch_unit: str | None = None,
    seq_len: int | None = None,
    y: str = "loss",
    by: Sequence[str] = ("params", "tokens"),
    columns: Mapping[str, str] | None = None,
) -> Sweep:
    """Read a sweep of runs over learning rate (and batch) for one or more (N, D) cells.

    Args:
        source: A run table, a DataFrame, or a file :func:`scalinglab.read_runs` reads.
        lr: Column of the peak learning rate (default: ``lr``, ``learning_rate``, ``peak_lr``...).
        batch: Column of the batch size (default: ``bs``, ``batch_size``, ``batch_tokens``...);
            no such column means only the learning rate was swept.
        batch_unit: ``"sequences"`` or ``"tokens"``; by default guessed from the column's
            name (``batch_tokens`` is in tokens, ``bs`` in sequences).
        seq_len: Tokens per sequence: converts a batch in sequences into tokens.
        y: Column of the loss used to locate optima (e.g. a smoothed final loss).
        by: Columns whose values define a cell (``params``, ``tokens`` by default).
        columns: Target name -> source column for :func:`scalinglab.read_runs`.

    Raises:
        DataError: No learning-rate column, a non-positive learning rate or batch, a missing
            grouping column; each names the file, row and column.
        ConfigError: A bad ``batch_unit`` or ``seq_len``.
    """
    if columns:  # as --map is checked: no column read is renamed away
        check_map(columns, example="tokens=train_tokens", also=SWEEP_NAMES)
    file_names: Sequence[str] | None = None  # the columns as the source names them
    loss_notes: list[str] = []
    if isinstance(source, RunTable):
        table = source
    elif isinstance(source, pd.DataFrame | str | os.PathLike):
        if isinstance(source, pd.DataFrame):
            raw = _from_frame(source, "<DataFrame>")
        else:  # no outlier screening: a diverged run is data here (see _optimum)
            raw = _read_file(Path(os.fspath(source)), os.fspath(source))
        file_names = raw.names
        raw, loss_notes = screen_losses(raw, y, columns)  # inf: diverged; blank: no loss
        try:
            table = build_table(raw, columns=columns)
        except DataError:
            if y == "loss" or "loss" in (columns or {}) or y not in raw.names:
                raise
            # no column by a loss's usual name: the one y names is the loss
            table = build_table(raw, columns={**(columns or {}), "loss": y})
            y = "loss"
    else:
        raise ConfigError(f"cannot read a sweep from a {type(source).__name__}")
    if batch_unit not in (None, "sequences", "tokens"):
        raise ConfigError(f"batch_unit must be 'sequences' or 'tokens', got {batch_unit!r}")
    check_seq_len(seq_len)

    # the columns as the source has them: not 'params' for 'N', nor a 'flops' it derived
    have = ", ".join(repr(c) for c in (file_names or (*table.columns, *table.labels)))
    lr_col = _pick(table, lr, LR_ALIASES, "learning rate", have)
    if lr_col is None:
        raise DataError(
            f"no learning-rate column (looked for {', '.join(LR_ALIASES)}); the columns are {have}",
            source=table.source,
            hint="say which column holds the peak learning rate: --lr COLUMN",
        )
    lr_values = _numbers(table, lr_col, "--lr")
    _positive(table, lr_col, lr_values, "learning rate")

    notes = loss_notes
    smoothed = [c for c in table.columns if column_key(c) in _SMOOTHED]
    if y == "loss" and smoothed:
        notes.append(
            f"optima located on the raw final loss; the sweep also has {smoothed[0]!r}, a "
            f"smoothed loss that locates them with less noise: --y {smoothed[0]!r}"
        )
    batch_col = _pick(table, batch, BATCH_ALIASES, "batch", have)
    batch_values: Array | None = None
    unit = "tokens"
    if batch_col is not None:
        batch_values = _numbers(table, batch_col, "--batch")
        _positive(table, batch_col, batch_values, "batch")
        batch_values, unit, seq_len, why = batch_in_tokens(
            table, batch_col, batch_values, batch_unit=batch_unit, seq_len=seq_len
        )
        notes += [why] if why else []
    # names as the file has them (`--by N`, `--y model_loss`) for the columns read as others
    y = table.column_for(y) or y
    by = tuple(table.column_for(name) or name for name in by)
    if not table.has(y):
        raise DataError(
            f"no loss column {y!r} to locate optima on (columns: {have})",
            source=table.source,
            hint="choose it with --y COLUMN (y= in Python)",
        )
    loss = np.asarray(table[y], dtype=np.float64)

    for name in by:
        table[name]  # raises a DataError naming the columns there are
    keys_all = np.column_stack([table[name] for name in by]) if by else np.zeros((len(table), 0))
    keys, cell = np.unique(keys_all, axis=0, return_inverse=True)
    _one_size_per_cell(table, np.asarray(cell).ravel(), by)
    used = {"lr": lr_col, "loss": y}
    if batch_col is not None:
        used["batch"] = batch_col
    return Sweep(
        table=table,
        lr=lr_values,
        batch=batch_values,
        batch_unit=unit,
        loss=loss,
        cell=np.asarray(cell, dtype=np.int64).ravel(),
        keys=np.asarray(keys, dtype=np.float64),
        by=tuple(by),
        columns=used,
        seq_len=seq_len,
        notes=tuple(notes),
    )


def as_sweep(runs: Sweep | RunTable | pd.DataFrame | str | os.PathLike[str], **read: Any) -> Sweep:
    """``runs`` itself when it is a sweep already, else :func:`read_sweep` of it."""
    return runs if isinstance(runs, Sweep) else read_sweep(runs, **read)
