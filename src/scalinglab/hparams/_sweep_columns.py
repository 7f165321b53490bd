"""A sweep's columns as :func:`~scalinglab.hparams.read_sweep` reads them: the learning rate
and batch found by name or as named, read as numbers, positive, and one (N, D) per cell."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError, did_you_mean
from scalinglab._format import format_g
from scalinglab.data import RunTable
from scalinglab.data._column_names import column_key, find_column
from scalinglab.data._plain_numbers import read_numbers
from scalinglab.data._raw import RawTable

__all__ = ["SMOOTHED", "no_loss", "numbers", "once_each", "one_size_per_cell", "pick", "positive"]

Array = NDArray[np.float64]

#: Names of a smoothed final loss: optima are better located on it than on the raw loss.
SMOOTHED = ("smooth_loss", "smoothed_loss", "loss_smooth", "loss_smoothed", "ema_loss", "loss_ema")


def pick(
    table: RunTable, wanted: str | None, aliases: Sequence[str], what: str, have: str
) -> str | None:
    """The column of ``what``, numeric or not (a text cell in it is refused by
    :func:`numbers`, naming it, rather than the column passing unseen)."""
    names = (*table.columns, *table.labels)
    if wanted is not None:  # as run tables find a named column: LR for lr too
        named = find_column(names, wanted)
        if named is None:
            raise DataError(
                f"no column {wanted!r} to read the {what} from{did_you_mean(wanted, names)} "
                f"(columns: {have})",
                source=table.source,
                column=wanted,
                hint="pass an existing column",
            )
        return named
    key = {column_key(name): name for name in names}
    found = [key[a] for a in aliases if a in key]
    if len(found) > 1:
        raise DataError(
            f"columns {', '.join(map(repr, found))} could each be the {what}; which one is it?",
            source=table.source,
            hint=f"say which: --{'lr' if what == 'learning rate' else 'batch'} COLUMN",
        )
    return found[0] if found else None


def no_loss(y: str, names: Sequence[str], source: str) -> DataError:
    """The refusal of a loss column ``y`` the sweep lacks, among the columns ``names`` (as
    its source names them), with the one meant where a name is near."""
    return DataError(
        f"no loss column {y!r} to locate optima on (columns: "
        f"{', '.join(repr(c) for c in names)}){did_you_mean(y, names)}",
        source=source,
        hint="choose it with --y COLUMN (y= in Python)",
    )


def numbers(table: RunTable, column: str, option: str) -> Array:
    """Column ``column`` as numbers: a text cell in it is refused as ``scalinglab fit``
    refuses one in a size or the loss (its row, column and value), not read as no column;
    as every table reads numbers (:func:`read_numbers`). ``option``: what reads another
    column (``--lr``, or ``--map seq_len=`` followed by ``COLUMN`` with no space)."""
    if column in table.labels:
        cells = RawTable(table.source, (column,), {column: table.labels[column]}, table.rows)
        other = f"{option}{'' if option.endswith('=') else ' '}COLUMN"
        hint = f"fix the value, or remove the row; or read another column: {other}"
        return read_numbers(cells, column, option=other, hint=hint)[0]
    return np.asarray(table[column], dtype=np.float64)


def once_each(table: RunTable, given: Sequence[str], by: Sequence[str]) -> None:
    """Refuse a grouping column given twice (``--by N --by N``, or ``N`` and ``params``, one
    column): a cell is grouped by each column once, and the hints that extend ``--by`` would
    repeat it. ``given``: the names as passed; ``by``: the columns they read.

    Raises:
        ConfigError: Naming the column and the ``--by`` that keeps each once.
    """
    for i, column in enumerate(by):
        if column in by[:i]:
            first, name = given[by.index(column)], table.origins.get(column, column)
            said = (
                f"--by {first} given twice"
                if given[i] == first
                else f"--by {first} and --by {given[i]} both name column {name!r}"
            )
            kept = [g for j, g in enumerate(given) if by[j] not in by[:j]]
            raise ConfigError(
                f"{said} (by= in Python); a cell is grouped by each column once",
                hint=f"give each once: --by {' --by '.join(kept)}",
            )


def one_size_per_cell(table: RunTable, cell: NDArray[np.intp], by: Sequence[str]) -> None:
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
                    f"{format_g(values[rows[0]], 4)} (row {table.rows[rows[0]]}) and "
                    f"{format_g(values[other], 4)} (row {table.rows[other]}); a cell is one (N, D)",
                    source=table.source,
                    column=column,
                    hint=f"group by {column} too: --by {' --by '.join([*named, column])}",
                )


def positive(table: RunTable, column: str, values: Array, what: str) -> None:
    bad = ~(values > 0) | ~np.isfinite(values)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataError(
            f"{what} is {format_g(values[i])} for run {table.runs[i]!r}; every {what} must be a "
            "positive number",
            source=table.source,
            row=table.rows[i],
            column=column,
            hint="fix the value, or remove the row",
        )
