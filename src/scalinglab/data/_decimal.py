"""The decimal mark of a delimited table's numbers: ``.``, or ``,`` where a spreadsheet set
to a language that writes decimal commas exported the table (``name;loss`` over
``m1;0,35``). Such commas are refused unless asked for (:func:`~scalinglab.data.
_text_readers.no_decimal_commas`: a decimal comma and a digit group look alike), and
``--decimal ,`` asks, on every command that reads a table: the command line sets the mark
once (:func:`set_decimal_mark`) and the one reader of CSV and TSV files reads it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from contextvars import ContextVar

__all__ = ["DECIMAL_MARKS", "decimal_commas", "decimal_mark", "set_decimal_mark"]

#: The decimal marks a table's numbers may use (``--decimal``).
DECIMAL_MARKS = (".", ",")
_MARK: ContextVar[str] = ContextVar("scalinglab_decimal_mark", default=".")
#: A number written with one decimal comma, a unit after it or not: 0,35, -3,2e-1, 1,4T.
_ONE_COMMA = re.compile(r"\s*[+-]?\d*,\d+(?:[eE][+-]?\d+)?\s*(?:[A-Za-z]+|%)?\s*")


def decimal_mark() -> str:
    """The decimal mark tables are read with now: ``.`` unless a command line said ``,``."""
    return _MARK.get()


def set_decimal_mark(mark: str) -> Callable[[], None]:
    """Read tables with ``mark`` (one of :data:`DECIMAL_MARKS`) until the returned call
    puts the mark back as it was."""
    token = _MARK.set(mark)
    return lambda: _MARK.reset(token)


def decimal_commas(columns: Sequence[Sequence[str]]) -> tuple[list[list[str]], str | None]:
    """``columns`` with each cell that writes a number with one decimal comma written with a
    point (``0,35`` as ``0.35``), and the first such cell, for the note that says so
    (``None``: no cell had one). Cells of two commas (``1,234,567``) stay as they are, and
    are refused as a comma in a number still is."""
    first: str | None = None
    out: list[list[str]] = []
    for cells in columns:
        fixed: list[str] = []
        for cell in cells:
            if _ONE_COMMA.fullmatch(cell):
                first = first or cell.strip()
                cell = cell.replace(",", ".")
            fixed.append(cell)
        out.append(fixed)
    return out, first
