"""Sweeps: runs of (N, D, lr, batch) -> loss, grouped into cells that share (N, D).

The learning-rate and batch columns are found by their usual names (``lr``,
``learning_rate``, ``peak_lr``; ``batch``, ``bs``, ``batch_size``, ``global_batch_size``,
``batch_tokens``), and a batch in sequences becomes one in tokens with ``seq_len`` (given, or
the sweep's own column: ``_seq_len_column``). A run whose loss is not finite (NaN, ``±inf``)
or blank stays in the sweep, a diverged run judged per cell later (blank ones: ``_losses``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_columns
from scalinglab.data import RunTable
from scalinglab.data._column_map import SWEEP_NAMES, check_map
from scalinglab.data._column_names import column_key
from scalinglab.data._frame_cells import frame_cells
from scalinglab.data._hparam_names import LR_ALIASES, SEQ_LEN_ALIASES
from scalinglab.data._noted_runs import reading_warnings
from scalinglab.data._perplexity import is_perplexity_warning, perplexity_warning
from scalinglab.data._schema import build_table
from scalinglab.data._source_cells import read_file
from scalinglab.data._where_rows import Where, as_where, rows_where, run_names
from scalinglab.hparams import _repr
from scalinglab.hparams._batch_unit import BATCH_ALIASES, check_batch_unit, check_seq_len
from scalinglab.hparams._losses import screen_losses
from scalinglab.hparams._raw_loss import raw_loss_note
from scalinglab.hparams._repeated_runs import repeated_runs
from scalinglab.hparams._seq_len_column import batch_with_seq_len
from scalinglab.hparams._skip_cells import skip_cells
from scalinglab.hparams._sweep_columns import (
    SMOOTHED,
    no_loss,
    numbers,
    once_each,
    one_size_per_cell,
    pick,
    positive,
)
from scalinglab.hparams._sweep_where import mapped_columns, not_text, read_as

__all__ = ["BATCH_ALIASES", "LR_ALIASES", "Sweep", "as_sweep", "read_sweep"]

Array = NDArray[np.float64]


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
        batch_read: What the batch column counts, stated or inferred (``None``: none).
        seq_len: Tokens per sequence used to convert the batch, or ``None``.
        notes: What was inferred or is worth knowing (an implied sequence length, a
            smoothed loss column not used); warnings apart.
        warnings: What reading the runs warned of (flops off 6·N·D, sizes in mixed units,
            a loss like perplexity), runs that break ``tokens = batch x steps x seq_len``.
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
    batch_read: str | None = None
    seq_len: int | None = None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.sweep(self)

    @property
    def n_cells(self) -> int:
        """Number of cells."""
        return len(self.keys)

    def cell_values(self, name: str) -> Array:
        """Each cell's value of a column.

        Args:
            name: A grouping column, or another column (its first run's value).

        Returns:
            ``(n_cells,)``, in cell order.
        """
        if name in self.by:
            return self.keys[:, self.by.index(name)]
        values = self.table[name]
        return np.array([values[np.flatnonzero(self.cell == c)[0]] for c in range(self.n_cells)])

    def cell_columns(self, cells: Sequence[int] | None = None) -> dict[str, Array]:
        """``params``, ``tokens`` and ``flops`` of the cells (all by default) that the table
        has, as the hyperparameter laws are fitted and drawn on: C is the sweep's own FLOPs
        column where it has one (an exact count), ``6·N·D`` only where the table derived it.

        Args:
            cells: The cells, by index (``None``: every cell).

        Returns:
            Column name -> ``(len(cells),)`` values.
        """
        idx = np.arange(self.n_cells) if cells is None else np.asarray(cells, dtype=np.int64)
        return {
            name: np.asarray(self.cell_values(name), dtype=np.float64)[idx]
            for name in ("params", "tokens", "flops")
            if self.table.has(name)
        }


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
    where: Where | None = None,
) -> Sweep:
    """Read a sweep of runs over learning rate (and batch) for one or more (N, D) cells.

    Args:
        source: A run table, a DataFrame, or a file :func:`scalinglab.read_runs` reads;
            a run store's runs as ``RunStore(path).to_run_table(where=..., sweep=True)``
            gives them (their lr and batch columns as ingested, a ladder rung's from its
            config, the diverged runs too), as ``hparams fit --store`` reads them.
        lr: Column of the peak learning rate (default: ``lr``, ``learning_rate``, ``peak_lr``...).
        batch: Column of the batch size (default: ``bs``, ``batch_size``, ``batch_tokens``...);
            no such column means only the learning rate was swept.
        batch_unit: ``"sequences"`` or ``"tokens"``; by default guessed from the column's
            name (``batch_tokens`` is in tokens, ``bs`` in sequences).
        seq_len: Tokens per sequence: converts a batch in sequences into tokens (default:
            the sweep's ``seq_len`` column, or ``context_length``..., where it holds one).
        y: Column of the loss used to locate optima (e.g. a smoothed final loss).
        by: Columns whose values define a cell (``params``, ``tokens`` by default).
        columns: Target name -> source column for :func:`scalinglab.read_runs`.
        where: ``{column: value}`` or ``(column, value)`` pairs: only the runs whose text
            column has that value (one training corpus), kept before anything else is read
            (cells, the blank losses noted), as ``fit --where`` keeps runs.

    Returns:
        The sweep: one row per run, grouped into cells.

    Raises:
        DataError: No learning-rate column, a non-positive learning rate or batch, a missing
            grouping column (a cell of one lr, or of no finite loss, is noted: _skip_cells).
        ConfigError: A bad ``batch_unit`` or ``seq_len``; a ``where`` column that is no
            text column, or a value no run has.
    """
    if columns:  # as --map is checked: no column read is renamed away (y is the loss then)
        beside = {"loss": y} if y != "loss" else None
        check_map(columns, example="tokens=train_tokens", also=SWEEP_NAMES, beside=beside)
    pairs = as_where(where)
    file_names: Sequence[str] | None = None  # the columns as the source names them
    loss_notes: list[str] = []
    if isinstance(source, RunTable):
        from scalinglab.store._table_columns import config_notes

        table = source
        for column, value in pairs:
            table = table.where(column, value)
        loss_notes = list(config_notes(table.notes))  # a store's lr and batch from config
    elif isinstance(source, pd.DataFrame | str | os.PathLike):
        if isinstance(source, pd.DataFrame):
            raw = frame_cells(source, "<DataFrame>", given=True)
        else:  # no outlier screening: a diverged run is data here (see _optimum)
            raw = read_file(Path(os.fspath(source)), os.fspath(source))
        file_names, read = raw.names, len(raw.rows)
        if pairs:
            run, _ = mapped_columns(raw, columns)
            (raw,) = rows_where([raw], pairs, source=raw.source, skip=not_text(columns),
                                runs=[(run, run_names(raw, run))], read_as=read_as(columns))  # fmt: skip
        selected = read if len(raw.rows) < read else 0  # as RunTable.select counts them
        raw, loss_notes = screen_losses(raw, y, columns)  # inf: diverged; blank: no loss
        reads = (*([lr] if lr else LR_ALIASES), *([batch] if batch else BATCH_ALIASES), y, *by,
                 *SEQ_LEN_ALIASES)  # fmt: skip
        try:
            table = build_table(raw, columns=columns, reads=reads)
        except DataError:
            if y != "loss" and "loss" not in (columns or {}) and y not in raw.names:
                raise no_loss(y, raw.names, raw.source) from None  # y, not the defaults
            if y == "loss" or "loss" in (columns or {}):
                raise
            # no column by a loss's usual name: the one y names is the loss
            table = build_table(raw, columns={**(columns or {}), "loss": y}, reads=reads)
            y = "loss"
        table = replace(table, selected_from=selected)  # its source says so (describe_source)
    else:
        raise ConfigError(f"cannot read a sweep from a {type(source).__name__}")
    check_batch_unit(batch_unit)
    check_seq_len(seq_len)

    # the columns as the source has them: not 'params' for 'N', nor a 'flops' it derived
    have = format_columns(file_names or (*table.columns, *table.labels))
    lr_col = pick(table, lr, LR_ALIASES, "learning rate", have)
    if lr_col is None:
        raise DataError(
            f"no learning-rate column (looked for {', '.join(LR_ALIASES)}); the columns are {have}",
            source=table.source,
            hint="say which column holds the peak learning rate: --lr COLUMN",
        )
    lr_values = numbers(table, lr_col, "--lr")
    positive(table, lr_col, lr_values, "learning rate")

    notes = loss_notes
    smoothed = [c for c in table.columns if column_key(c) in SMOOTHED]
    if y == "loss" and smoothed:
        notes.append(raw_loss_note(smoothed[0]))
    batch_col = pick(table, batch, BATCH_ALIASES, "batch", have)
    batch_values: Array | None = None
    counted: str | None = None  # what the batch column counts; in tokens too if seq_len
    # the table's reading warnings (flops off 6·N·D, a repeated column left out) are the
    # sweep's; its loss is judged as perplexity below, on the column y reads, not here
    warnings = list(reading_warnings([n for n in table.notes if not is_perplexity_warning(n)]))
    if batch_col is not None:
        batch_values = numbers(table, batch_col, "--batch")
        positive(table, batch_col, batch_values, "batch")
        batch_values, counted, seq_len, said, broken = batch_with_seq_len(
            table, batch_col, batch_values, batch_unit=batch_unit, seq_len=seq_len,
            mapped=(columns or {}).get("seq_len") if file_names else None,
        )  # fmt: skip
        notes, warnings = notes + said, warnings + broken
    # names as the file has them (`--by N`, `--y model_loss`) for the columns read as others
    y = table.column_for(y) or y
    by, given_by = tuple(table.column_for(name) or name for name in by), tuple(by)
    once_each(table, given_by, by)  # --by N --by N: refused, not grouped (or hinted) twice
    if not table.has(y):
        raise no_loss(y, file_names or (*table.columns, *table.labels), table.source)
    loss = np.asarray(table[y], dtype=np.float64)
    source = table.origins.get(y, y)
    ppl = perplexity_warning(loss, where=f"column {source!r}", option="--y COLUMN", column=source)
    warnings += [ppl.removeprefix("warning: ")] if ppl else []

    for name in by:
        table[name]  # raises a DataError naming the columns there are
    keys_all = np.column_stack([table[name] for name in by]) if by else np.zeros((len(table), 0))
    keys, cell = np.unique(keys_all, axis=0, return_inverse=True)
    one_size_per_cell(table, np.asarray(cell).ravel(), by)
    warnings += repeated_runs(table, np.asarray(cell).ravel(), lr_values, batch_values, loss)
    used = {"lr": lr_col, "loss": y, **({} if batch_col is None else {"batch": batch_col})}
    # the source's names: the loss `--y "smooth loss"` (or --map loss=...) read as 'loss'
    used = {name: table.origins.get(column, column) for name, column in used.items()}
    whole = Sweep(
        table=table,
        lr=lr_values,
        batch=batch_values,
        batch_unit="sequences" if counted == "sequences" and seq_len is None else "tokens",
        batch_read=counted,
        loss=loss,
        cell=np.asarray(cell, dtype=np.int64).ravel(),
        keys=np.asarray(keys, dtype=np.float64),
        by=tuple(by),
        columns=used,
        seq_len=seq_len,
        notes=tuple(notes),
        warnings=tuple(dict.fromkeys(warnings)),  # each once
    )
    return skip_cells(whole)  # cells of a single lr, or of no finite loss: left out, noted


def as_sweep(runs: Sweep | RunTable | pd.DataFrame | str | os.PathLike[str], **read: Any) -> Sweep:
    """``runs`` itself when it is a sweep already, else :func:`read_sweep` of it.

    Raises:
        ConfigError: ``where`` given with a sweep read already.
    """
    if not isinstance(runs, Sweep):
        return read_sweep(runs, **read)
    if read.get("where"):
        raise ConfigError(
            "where= keeps the runs of a sweep as it is read, and this sweep is read already",
            hint="keep them as you read it: read_sweep(path, where={'dataset': 'c4'})",
        )
    return runs
