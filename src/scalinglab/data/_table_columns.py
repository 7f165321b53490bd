"""A run table indexed by a list of column names (``runs[["params", "tokens"]]``), as a
DataFrame is: the same runs with those columns alone; any other key (a row number, a slice)
refused with what indexing a run table takes, rather than Python's bare ``TypeError:
unhashable type: 'list'``."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from scalinglab._checks import given
from scalinglab._errors import ConfigError
from scalinglab.data._column_names import column_key
from scalinglab.data._missing_column import missing_column

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable

__all__ = ["column_for", "columns_of"]


def columns_of(table: RunTable, names: object) -> RunTable:
    """The runs of ``table`` with the columns ``names`` alone (a list of names, each found
    as ``table[name]`` finds one, by its source's name too, or a text column's): the same
    runs, rows, source and notes, the other columns left out.

    Raises:
        ConfigError: ``names`` is no list of names (an int, a slice, a tuple), or an empty one.
        DataError: A name the table has no column of (as ``table[name]`` says).
    """
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(
            f"a RunTable is indexed by a column's name or a list of names, got {given(names)}",
            hint="e.g. runs['loss'] or runs[['params', 'tokens']]; rows are kept by "
            "runs.select(mask) or runs.where(column, value); runs.to_pandas() for a DataFrame",
        )
    if not names:
        raise ConfigError(
            "a RunTable indexed by an empty list: no column named",
            hint="name the columns to keep, e.g. runs[['params', 'tokens', 'loss']]",
        )
    numeric: dict[str, None] = {}
    text: dict[str, None] = {}
    for name in names:
        if name in table.labels:
            text[name] = None
            continue
        found = table.column_for(name)
        if found is None:
            raise missing_column(table, name)
        numeric[found] = None
    kept = set(numeric)
    return replace(
        table,
        columns={c: table.columns[c] for c in numeric},
        labels={c: table.labels[c] for c in text},
        origins={c: s for c, s in table.origins.items() if c in kept},
        flops_convention=table.flops_convention if "flops" in kept else "",
        params_convention=table.params_convention if "params" in kept else "",
        tokens_convention=table.tokens_convention if "tokens" in kept else "",
    )


def column_for(table: RunTable, name: str) -> str | None:
    """:meth:`RunTable.column_for`: ``name`` itself, the canonical column read from a source
    column called ``name``, else the one column named alike by either name; else ``None``."""
    if table.has(name):
        return name
    read = next((canon for canon, src in table.origins.items() if src == name), None)
    if read is not None:
        return read
    key = column_key(name)
    alike = {
        c for c in table.columns if key in (column_key(c), column_key(table.origins.get(c, c)))
    }
    return alike.pop() if len(alike) == 1 else None
