"""``--where COLUMN OP NUMBER`` (``params>=2e7``; ``where("params>=2e7")`` in Python): the
runs whose number column meets the comparison, alike on run tables, sweeps and curve files,
in the grammar of the backtest rules (:mod:`scalinglab.data._compare`), and its errors,
worded as ``--where COLUMN=VALUE``'s (:mod:`scalinglab.data._where_errors`)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, meant, nearest_name
from scalinglab._format import format_g, join_first
from scalinglab.data._compare import OPS, Compared, compared
from scalinglab.data._plain_numbers import reads_as_text
from scalinglab.data._raw import RawTable
from scalinglab.data._units import parse_values

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable

__all__ = [
    "compare_mask",
    "compared",
    "no_number_column",
    "own_column",
    "rows_compared",
    "table_compared",
]

_SIZES = ("params", "tokens", "flops", "loss")  # listed first: what a comparison mostly keeps by


def compare_mask(
    values: NDArray[np.float64], said: Compared, *, column: str, source: str, among: str = ""
) -> NDArray[np.bool_]:
    """The rows of ``values`` (number column ``column``, as read) that ``said`` keeps (a
    blank cell, NaN, meets none but ``!=``).

    Raises:
        ConfigError: For no number, or no row kept (``among``: the runs selected by the
            conditions before, or ``""``): the hint gives the values' range.
    """
    keep = np.asarray(OPS[said.op](values, said.value(column=column)), dtype=np.bool_)
    if not keep.any():
        finite = values[np.isfinite(values)]
        span = (
            f"its values run from {format_g(float(finite.min()), 3)} to "
            f"{format_g(float(finite.max()), 3)}"
            if finite.size
            else "it holds no number"
        )
        raise ConfigError(
            f"no run has {said.column} {said.op} {said.number}{among} in {source}",
            hint=f"{span}; compare with a number within it, or drop --where {str(said)!r}",
        )
    return keep


def no_number_column(
    said: Compared, *, texts: Collection[str], numbers: Collection[str], source: str
) -> ConfigError:
    """The error for a comparison on a text column (one of ``texts``; ``--where
    COLUMN=VALUE`` matches it) or on none, spelt alike to a number column (``numbers``)."""
    first = sorted(
        set(numbers), key=lambda n: (n not in _SIZES, _SIZES.index(n) if n in _SIZES else 0, n)
    )
    listing = f"its number columns are {join_first(first, 12)}"
    if said.column in texts:
        return ConfigError(
            f"--where {str(said)!r} compares numbers, and {said.column!r} is a text column "
            f"of {source}",
            hint=f"keep runs by its text as --where {said.column}=VALUE; {listing}",
        )
    alike = [n for n in numbers if n.lower() == said.column.lower()]
    near = alike[0] if alike else nearest_name(said.column, sorted(set(numbers)))
    return ConfigError(
        f"--where {str(said)!r}: no number column {said.column!r} in {source}",
        hint=(f"{meant(near, hint=True)} " if near else "") + listing,
    )


def table_compared(table: RunTable, said: Compared) -> NDArray[np.bool_]:
    """The runs of ``table`` that ``said`` keeps, by the table's name of the column or the
    file's (``model_size`` for ``params``).

    Raises:
        ConfigError: A text column or none (:func:`no_number_column`), or no run kept.
    """
    column = table.column_for(said.column)
    if column is None:
        texts = {*table.labels, "run", *([table.run_column] if table.run_column else [])}
        numbers = {*table.columns, *table.origins.values()}
        raise no_number_column(said, texts=texts, numbers=numbers, source=table.source)
    among = f" among the {len(table)} runs selected" * bool(table.selected_from)
    return compare_mask(table[column], said, column=column, source=table.source, among=among)


def own_column(mapped: Mapping[str, str], name: str) -> str:
    """The table's own column that ``mapped`` (own name -> the name it is read as:
    ``{"N": "params"}``) reads as ``name``, or ``name`` itself where none is."""
    return next((src for src, read in mapped.items() if read == name), name)


def rows_compared(
    tables: Sequence[RawTable],
    names: Sequence[Mapping[str, str]],
    said: Compared,
    *,
    source: str,
    among: str = "",
    per_point: Callable[[RawTable], Collection[str]] | None = None,
) -> list[NDArray[np.bool_]]:
    """The rows of each of ``tables`` (a sweep's, a folder's curve files) that ``said``
    keeps, its column found by the name it is read as (``names``: ``{"corpus_name":
    "dataset"}``) or its own; a table without the column keeps none of its rows.
    ``per_point`` gives a table's columns a comparison may not use (a curve's step, loss):
    left out of the number columns a hint lists.

    Raises:
        ConfigError: A text column in every table that has it, or none
            (:func:`no_number_column`), or no row kept (:func:`compare_mask`).
        DataError: A cell of the column that is no number.
    """
    found: list[NDArray[np.float64] | None] = []
    texts, numbers = {"run"}, set[str]()
    for raw, mapped in zip(tables, names, strict=True):
        column = own_column(mapped, said.column)
        for name in raw.names:
            if reads_as_text(raw, name):
                texts.add(mapped.get(name, name))
            else:  # a number column compares by the name it is read as and by its own
                numbers.update({mapped.get(name, name), name})
        if column in raw.names and not reads_as_text(raw, column):
            cells = raw.cells[column]
            found.append(parse_values(cells, raw.rows, source=raw.source, column=column)[0])
        else:
            found.append(None)
    if all(f is None for f in found):
        numbers -= {c for raw in tables for c in (per_point(raw) if per_point else ())}
        raise no_number_column(said, texts=texts, numbers=numbers, source=source)
    every = np.concatenate([f for f in found if f is not None])
    compare_mask(every, said, column=said.column, source=source, among=among)  # none kept
    value = said.value(column=said.column)
    return [
        np.zeros(len(raw.rows), dtype=np.bool_)
        if f is None
        else np.asarray(OPS[said.op](f, value), dtype=np.bool_)
        for raw, f in zip(tables, found, strict=True)
    ]
