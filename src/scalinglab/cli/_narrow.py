"""A table drawn whole in a narrow terminal: it leaves out its least needed columns, first
first, until no cell is cut (Rich's ``…``), and a line says which it left out. ``ladder
plan``'s rungs and ``hparams fit``'s cells, by one rule."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from rich.console import Console
from rich.table import Table

from scalinglab._format import noun_for

__all__ = ["left_out", "narrowed"]


def narrowed(
    console: Console,
    build: Callable[[Sequence[str]], Table],
    heads: Sequence[str],
    narrow: Sequence[str],
) -> tuple[Table, list[str]]:
    """The table of ``heads`` as ``build`` draws it, less the first columns of ``narrow``
    that ``console``'s width needs left out so that no cell is cut (a column that may wrap
    wraps instead); all of ``narrow`` left out, the table as it then is.

    Args:
        console: Where it is printed: its width.
        build: The table of the given columns, in order.
        heads: Every column, in order.
        narrow: The columns that may be left out, the least needed first.

    Returns:
        The table, and the columns left out (in ``narrow``'s order).
    """
    kept, dropped = list(heads), list[str]()
    while True:
        table = build(kept)
        if len(dropped) == len(narrow) or not _cut(console, table):
            return table, dropped
        dropped.append(narrow[len(dropped)])
        kept.remove(dropped[-1])


def left_out(dropped: Sequence[str], width: int, *, more: str = "--json holds every value") -> str:
    """The line that says which columns :func:`narrowed` left out of a ``width``-column
    terminal, and where to see them (a wider terminal; ``more``)."""
    one = len(dropped) == 1
    return (
        f"{noun_for(len(dropped), 'column')} {', '.join(dropped)} left out to fit {width} "
        f"columns: a wider terminal shows {'it' if one else 'them'}, {more}"
    )


def _cut(console: Console, table: Table) -> bool:
    """Whether ``table`` drawn at ``console``'s width cuts a cell or a header (``…``): a
    column that never wraps, narrowed below its cells, or a word past its column."""
    text = io.StringIO()
    Console(file=text, width=console.width, color_system=None, emoji=False).print(table)
    return "…" in text.getvalue()
