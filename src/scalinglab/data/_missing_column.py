"""The error of a run-table column asked for by a name the table has no numeric column of
(``table["val_loss"]``): the columns there are, as the user knows them, the one meant where a
name is near, and how to map one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import DataError, did_you_mean

if TYPE_CHECKING:
    from scalinglab.data._table import RunTable


def column_meant(table: RunTable, name: str) -> str:
    """:func:`~scalinglab._errors.did_you_mean` over every name ``table`` knows a column by:
    its numeric columns, the source's names they were read from (``Model Size`` for
    ``params``) and its text columns; ``""`` when none is near."""
    return did_you_mean(name, [*table.columns, *table.origins.values(), *table.labels])


def missing_column(table: RunTable, name: str) -> DataError:
    """The error for ``table[name]``: a text column said as such, a canonical one with the
    names the reader tried, any other with the numeric columns (``params (from N)`` for
    one read under another name) and a hint to map one."""
    # both import the table's module: here, not at the top
    from scalinglab.data._schema import names_tried
    from scalinglab.data._table import CANONICAL

    have = (
        ", ".join(
            f"{c} (from {table.origins[c]})" if c in table.origins else c for c in table.columns
        )
        or "none"
    )
    if name in table.labels:
        message = f"column {name!r} holds text, not numbers (numeric columns: {have})"
    elif name in CANONICAL:  # found by name when not mapped: say which names were tried
        message = (
            f"no column {name!r}: none is named {', '.join(names_tried(name))} (numeric "
            f"columns: {have})"
        )
    else:
        message = f"no column {name!r} (numeric columns: {have})"
    return DataError(
        message + column_meant(table, name),
        source=table.source,
        hint=f"map a column to it, e.g. --map {name}=COLUMN (read_runs(..., "
        f"columns={{{name!r}: COLUMN}}) in Python)",
    )
