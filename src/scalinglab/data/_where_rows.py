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
from scalinglab._format import join_first
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import is_missing, parse_values

__all__ = ["Where", "as_where", "rows_where"]

#: What ``where=`` takes: ``{"dataset": "c4"}`` or ``[("dataset", "c4"), ...]``.
Where = Mapping[str, str] | Sequence[tuple[str, str]]

_EXAMPLE = "where={'dataset': 'c4_original'} or where=[('dataset', 'c4_original')]"


def as_where(where: Where | None) -> tuple[tuple[str, str], ...]:
    """``where`` as ``(column, value)`` pairs, in order (each narrows the last).

    Raises:
        ConfigError: For a string, or an item that is not a pair of strings.
    """
    if where is None:
        return ()
    if isinstance(where, str):  # type: ignore[unreachable]  # "dataset=c4": the CLI's spelling
        raise ConfigError(f"where={where!r} is one string", hint=f"give pairs: {_EXAMPLE}")
    items = list(where.items()) if isinstance(where, Mapping) else list(where)
    for item in items:
        if not (
            isinstance(item, tuple | list)
            and len(item) == 2
            and all(isinstance(part, str) for part in item)
        ):
            raise ConfigError(
                f"where holds {item!r}: each condition is a (column, value) pair of strings",
                hint=f"give pairs: {_EXAMPLE}",
            )
    return tuple((str(c), str(v)) for c, v in items)


def _texts(
    raw: RawTable, skip: Collection[str], read_as: Mapping[str, str]
) -> dict[str, NDArray[np.str_]]:
    """The text columns of ``raw`` (not ``skip``: the columns read as quantities or as the
    run), as a run table keeps them: a column with a cell that is not a number, each cell
    as text (a blank one empty), under the name it is read as (``read_as``: ``--map
    dataset=corpus_name`` reads ``corpus_name`` as ``dataset``) or its own."""
    out = {}
    for name in raw.names:
        if name in skip:
            continue
        try:
            parse_values(raw.cells[name], raw.rows, source=raw.source, column=name)
        except DataError:  # text: a run's corpus, optimizer, ...
            cells = ["" if is_missing(c) else str(c) for c in as_list(raw.cells[name])]
            out[read_as.get(name, name)] = np.array(cells, dtype=str)
    return out


def _take(raw: RawTable, keep: NDArray[np.bool_]) -> RawTable:
    idx = np.flatnonzero(keep)
    cells = {
        name: np.asarray(v)[idx] if isinstance(v, np.ndarray) else [v[int(i)] for i in idx]
        for name, v in raw.cells.items()
    }
    return replace(raw, cells=cells, rows=tuple(raw.rows[i] for i in idx))


def rows_where(
    tables: Sequence[RawTable],
    where: Sequence[tuple[str, str]],
    *,
    source: str,
    skip: Callable[[RawTable], Collection[str]],
    read_as: Callable[[RawTable], Mapping[str, str]] | None = None,
    runs: Callable[[RawTable], int] | None = None,
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
        read_as: The name a column of a table is read as where it is not its own (mapped:
            ``{"corpus_name": "dataset"}``), which ``where`` names it by, as a run table's.
        runs: How many runs the rows kept of a table hold (default: one per row).

    Raises:
        ConfigError: No such text column in any table (the hint lists those there are),
            or no run with that value (the hint lists the values there are).
    """
    kept = list(tables)
    texts = [_texts(t, skip(t), read_as(t) if read_as else {}) for t in kept]
    for k, (column, value) in enumerate(where):
        if not any(column in t for t in texts):
            names = sorted({name for t in texts for name in t})
            raise ConfigError(
                f"no text column {column!r} in {source}",
                hint="its text columns are " + (", ".join(names) or "none"),
            )
        masks = [t[column] == value if column in t else np.zeros(len(r.rows), dtype=np.bool_)
                 for r, t in zip(kept, texts, strict=True)]  # fmt: skip
        if not any(m.any() for m in masks):
            count = sum((runs(r) if runs else len(r.rows)) for r in kept if r.rows)
            among = f" among the {count} runs selected" * bool(k)
            distinct = sorted({str(v) for t in texts if column in t for v in t[column]})
            raise ConfigError(
                f"no run has {column} = {value!r}{among} in {source}",
                hint=f"its values are {join_first(distinct, 12)}"
                + (f" ({len(distinct)} values)" if len(distinct) > 12 else ""),
            )
        kept = [_take(r, m) for r, m in zip(kept, masks, strict=True)]
        texts = [{name: v[m] for name, v in t.items()} for t, m in zip(texts, masks, strict=True)]
    return kept
