"""``where`` on tables before they become runs: a sweep's rows, a curves file's logged steps.

The conditions of ``--where COLUMN=VALUE`` (``where=`` in Python) keep the rows whose text
column holds the value, as :meth:`RunTable.where <scalinglab.RunTable.where>` keeps runs,
but before the rows are read as cells or curves: a run is screened for divergence, and
cells and curves are built, among the runs kept alone (a run of another training corpus
must not shape them). The errors are :meth:`RunTable.where`'s, word for word.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._percent import percent_values
from scalinglab.data._plain_numbers import reads_as_text
from scalinglab.data._raw import RawTable, as_list, groups_digits, named_by_row
from scalinglab.data._repeated_names import refuse_repeats
from scalinglab.data._units import is_missing, parse_values
from scalinglab.data._where_args import Where, as_where, where_conditions
from scalinglab.data._where_compare import compared, own_column, rows_compared
from scalinglab.data._where_errors import RUN, no_text_column, no_value
from scalinglab.data._where_percent import percent_where

__all__ = [
    "RUN",
    "Where",
    "as_where",
    "no_text_column",
    "no_value",
    "rows_where",
    "run_names",
    "text_column",
    "where_conditions",
]

_IDS = "\0run ids"  # each row's run, which no column is named: the runs a table's rows hold


def text_column(
    labels: Mapping[str, Sequence[str]],
    column: str,
    source: str,
    *,
    runs: Sequence[str],
    rows: Sequence[int],
    run_column: str = RUN,
    numbers: Collection[str] = (),
    value: str | None = None,
) -> NDArray[np.str_]:
    """The values of text column ``column`` of ``labels`` (a run table's or curves'), as
    ``--where`` reads them: the run ids (``runs``, of each row at ``rows``) are the text
    column ``run`` and their own column's name (``run_column``: ``name``, ``exp_name``).

    Raises:
        ConfigError: No such text column (:func:`no_text_column`; ``numbers``: the
            columns of numbers, by every name they go by; ``value``: the one looked for).
    """
    if column in labels:
        return np.array(labels[column], dtype=str)
    if column in (RUN, run_column):
        return np.array(runs, dtype=str)
    # without a run column the runs are named after their rows (row1, row2, ...)
    named = not (run_column == RUN and named_by_row(runs, rows))
    error = no_text_column(
        column, labels, source=source, numbers=numbers,
        run_column=run_column if named else None, run_ids=runs, value=value,
    )  # fmt: skip
    # where(column="dataset", value="c4"): keywords name text columns, the pair is positional
    if column in ("column", "value"):
        error.hint += (
            "; where(column=..., value=...) selects by text columns named 'column' and "
            "'value': give a column and its value by position, where('dataset', 'c4')"
        )
    raise error


def _texts(
    raw: RawTable, skip: Collection[str], read_as: Mapping[str, str]
) -> tuple[dict[str, NDArray[np.str_]], dict[str, str]]:
    """The text columns of ``raw`` (not ``skip``: the columns read as quantities or as the
    run), as a run table keeps them: a column with a cell that is not a number, each cell
    as text (:func:`_cell_text`), under the name it is read as (``read_as``: ``--map
    dataset=corpus_name`` reads ``corpus_name`` as ``dataset``) or its own; and its columns
    of numbers alone, by that name, with the name of their column (read as text where
    another file of a folder holds text in the column: :func:`_as_text`). A column of
    numbers with a comma the file does not settle (``1,024``) is text, as a run table reads
    it (:func:`~scalinglab.data._plain_numbers.reads_as_text`)."""
    out, numbers = {}, {}
    for name in raw.names:
        if name in skip:
            continue
        if reads_as_text(raw, name):
            out[read_as.get(name, name)] = _as_text(raw, name)
        else:
            numbers[read_as.get(name, name)] = name
    return out, numbers


def _percents(
    raw: RawTable, texts: Mapping[str, NDArray[np.str_]], read_as: Mapping[str, str]
) -> dict[str, NDArray[np.float64]]:
    """The text columns of ``raw`` (``texts``, by the names ``where`` reads them by) whose
    every value is written with ``%``, as the fractions a run table reads them as."""
    out = {}
    for name in raw.names:
        if read_as.get(name, name) in texts:
            fractions = percent_values(raw.cells[name])
            if fractions is not None:
                out[read_as.get(name, name)] = fractions
    return out


def _cell_text(cell: object) -> str:
    """A cell as ``where`` compares it: as written, a number read as one (a Parquet or
    JSON file's) as a number is written (``1``, not ``1.0``), a blank one empty."""
    if is_missing(cell):
        return ""
    if isinstance(cell, float | np.floating) and float(cell).is_integer():
        return str(int(cell))
    return str(cell)


def _as_text(raw: RawTable, name: str) -> NDArray[np.str_]:
    return np.array([_cell_text(c) for c in as_list(raw.cells[name])], dtype=str)


def _take(raw: RawTable, keep: NDArray[np.bool_]) -> RawTable:
    idx = np.flatnonzero(keep)
    cells = {
        name: np.asarray(v)[idx] if isinstance(v, np.ndarray) else [v[int(i)] for i in idx]
        for name, v in raw.cells.items()
    }
    rows = tuple(raw.rows[i] for i in idx)  # its commas read as the whole file's are
    return replace(raw, cells=cells, rows=rows, grouped=groups_digits(raw))


def run_names(raw: RawTable, column: str | None, default: str | None = None) -> tuple[str, ...]:
    """The run of each row of ``raw``: its cell of the run column ``column`` (a blank one
    ``row<k>``, as a run table names it), else ``default`` (a curve file's run), else
    ``row<k>`` (a run table's rows without a run column)."""
    if column is None:
        return tuple(default or f"row{row:d}" for row in raw.rows)
    cells = as_list(raw.cells[column])
    return tuple(
        f"row{row:d}" if is_missing(c) else str(int(c) if isinstance(c, float) and c.is_integer()
                                              else c).strip()
        for c, row in zip(cells, raw.rows, strict=True)
    )  # fmt: skip


def rows_where(
    tables: Sequence[RawTable],
    where: Sequence[tuple[str, str]],
    *,
    source: str,
    skip: Callable[[RawTable], Collection[str]],
    runs: Sequence[tuple[str | None, Sequence[str]]],
    read_as: Callable[[RawTable], Mapping[str, str]] | None = None,
    per_point: Callable[[RawTable], Collection[str]] | None = None,
) -> list[RawTable]:
    """The rows of ``tables`` that meet every ``(column, value)`` of ``where``, each
    condition narrowing the last: one table for each of ``tables``, in order (one whose
    rows were all left out has none).

    Args:
        tables: The tables read (one per file of a folder of curves).
        where: The conditions (:func:`as_where`).
        source: The tables as messages name them (a file, or the paths given).
        skip: The columns of a table that are not text columns (the run, the quantities,
            a column whose name is read from another).
        runs: Of each table, its run column (``None``: none) and the run of each row
            (:func:`run_names`): the text column ``run``, and the run column's own name.
        read_as: The name a column of a table is read as where it is not its own (mapped:
            ``{"corpus_name": "dataset"}``), which ``where`` names it by, as a run table's.
        per_point: The columns of a table no comparison may use (a curve's step, loss),
            which its hints do not list.

    Raises:
        ConfigError: No such text column in any table (the hint lists those there are),
            or no run with that value (the hint lists the values there are).
        DataError: A column a condition reads is repeated in a table (by its positions).
    """
    kept = [replace(t, grouped=groups_digits(t)) for t in tables]  # looked at once each
    names = [read_as(t) if read_as else {} for t in kept]  # each table's, worked out once
    # a repeated column a condition reads: refused by its positions, as a read one is
    for table, mapped in zip(kept, names, strict=True):
        columns = [getattr(compared(c, v), "column", c) for c, v in where]  # params>=2e7: params
        refuse_repeats(table, [own_column(mapped, c) for c in columns])
    read = [_texts(t, skip(t), mapped) for t, mapped in zip(kept, names, strict=True)]
    texts = [t for t, _ in read]
    # a column of text in one file and of numbers alone in another (a folder's files):
    # compared as text in each, as in one file holding both, not left out where numbers
    for mixed in {c for c, _ in where if any(c in t for t in texts)}:
        for raw, t, (_, numbers) in zip(kept, texts, read, strict=True):
            if mixed not in t and mixed in numbers:
                t[mixed] = _as_text(raw, numbers[mixed])
    for t, (column, ids) in zip(texts, runs, strict=True):
        for name in {RUN, column or RUN} - set(t):  # a text column of that name comes first
            t[name] = np.array(ids, dtype=str)
        t[_IDS] = np.array(ids, dtype=str)
    # a column written with %: compared as the fractions a run table reads (45% = 45.0%)
    pcts = [
        _percents(t, texts[i], mapped)
        for i, (t, mapped) in enumerate(zip(kept, names, strict=True))
    ]
    for k, (column, value) in enumerate(where):
        if said := compared(column, value):  # params>=2e7: on the cells as numbers
            count = len({(i, r) for i, t in enumerate(texts) for r in t[_IDS]})
            among = f" among the {count} runs selected" * bool(k)
            masks = rows_compared(kept, names, said, source=source, among=among,
                                  per_point=per_point)  # fmt: skip
        elif not any(column in t for t in texts):
            raise _no_column(column, value, kept, read, runs, skip=skip, source=source,
                             names=names)  # fmt: skip
        else:
            masks = [percent_where(p[column], column, value, source=source) if column in p
                     else t[column] == value if column in t
                     else np.zeros(len(r.rows), dtype=np.bool_)
                     for r, t, p in zip(kept, texts, pcts, strict=True)]  # fmt: skip
        if not any(m.any() for m in masks):
            count = len({(i, r) for i, t in enumerate(texts) for r in t[_IDS]})
            values = [str(v) for t in texts if column in t for v in t[column]]
            among = f" among the {count} runs selected" * bool(k)
            named = any(column in (RUN, c) for c, _ in runs)
            raise no_value(column, value, values, among=among, source=source, runs=named)
        kept = [_take(r, m) for r, m in zip(kept, masks, strict=True)]
        pcts = [{name: v[m] for name, v in p.items()} for p, m in zip(pcts, masks, strict=True)]
        texts = [{name: v[m] for name, v in t.items()} for t, m in zip(texts, masks, strict=True)]
    return kept


def _no_column(
    column: str,
    value: str,
    tables: Sequence[RawTable],
    read: Sequence[tuple[Mapping[str, NDArray[np.str_]], Mapping[str, str]]],
    runs: Sequence[tuple[str | None, Sequence[str]]],
    *,
    skip: Callable[[RawTable], Collection[str]],
    source: str,
    names: Sequence[Mapping[str, str]],
) -> ConfigError:
    """:func:`no_text_column` for the tables of :func:`rows_where`: the columns of numbers
    are those read as text of none (their names as read), and those read as quantities (a
    learning rate, params) whose cells are numbers, by their own names and those they are
    read as (``names``: ``params`` for a column ``N``)."""
    texts = {name for t, _ in read for name in t} - {_IDS, RUN, *(c for c, _ in runs if c)}
    numbers = {name for _, n in read for name in n}
    for raw, mapped in zip(tables, names, strict=True):
        own = own_column(mapped, column)
        if own in skip(raw) and own in raw.names:
            try:
                parse_values(raw.cells[own], raw.rows, source=raw.source, column=own)
            except DataError:
                continue
            numbers.add(column)
    run_column = next((c for c, _ in runs if c), None)
    ids = [run for _, names in runs for run in names]
    return no_text_column(
        column, texts, source=source, numbers=numbers, run_column=run_column, run_ids=ids,
        value=value,
    )  # fmt: skip
