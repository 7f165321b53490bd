"""A :class:`~scalinglab._table_rows.TableRows` drawn with Rich: the table a command prints
from the rows a notebook's HTML view shows too (:mod:`scalinglab._html_table`)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from scalinglab._table_rows import Cell, Justify, TableRows

__all__ = ["rich_table"]


def rich_table(rows: TableRows, *, title_justify: Justify = "left", **options: Any) -> Table:
    """The Rich table of ``rows``, its title at the left (``title_justify``); ``options``
    go to :class:`Table`."""
    table = Table(title=rows.title or None, title_justify=title_justify, **options)
    for c in rows.columns:
        table.add_column(
            c.header,
            justify=c.justify,
            style=c.style,
            overflow="fold" if c.fold else "ellipsis",
            no_wrap=c.no_wrap,
        )
    for row in rows.rows:
        table.add_row(*(_text(c) for c in row))
    return table


def _text(c: Cell) -> Text:
    """A cell as Rich text; one part's style the whole cell's (its padding too)."""
    if len(c.parts) == 1:
        return Text(c.parts[0][0], style=c.parts[0][1])
    return Text.assemble(*c.parts)
