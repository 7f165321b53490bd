"""A row of units under the header (``run,params,tokens,loss`` then ``,M,B,nats``), as
spreadsheets are often kept: read as a run, its first cell was refused as "'M' is not a
number", which said nothing of the row being units, nor that a size's unit belongs in its
column's name (``params (M)``, which is read in millions). Such a row is refused as what it
is; nothing is guessed or skipped, since its units would then go unread."""

from __future__ import annotations

from scalinglab._errors import DataError
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import is_missing, parse_cell

__all__ = ["refuse_units_row"]

#: The longest cell read as a unit (``tokens (B)``, ``FLOPs``); longer text is a value.
_LONGEST_UNIT = 16
#: Columns of numbers a units row must head, so that one bad first cell is not taken for one.
_FEWEST_COLUMNS = 2


def refuse_units_row(raw: RawTable) -> None:
    """Refuse ``raw`` whose first row holds no number, and short text (``M``, ``nats``) over
    at least two columns whose every other cell is a number: a row of units, not a run.

    Raises:
        DataError: Naming the row, its units by column, and how to give the units instead.
    """
    if len(raw.rows) < 2:
        return
    first = {name: as_list(cells[:1]) for name, cells in raw.cells.items()}
    heads = {name: cells[0] for name, cells in first.items() if cells}
    if any(not is_missing(c) and parse_cell(c) is not None for c in heads.values()):
        return  # a number in the row: a run, whose own cells say what is wrong
    words = {
        name: cell
        for name, cell in heads.items()
        if isinstance(cell, str) and not is_missing(cell) and len(cell.strip()) <= _LONGEST_UNIT
    }
    if len(words) < _FEWEST_COLUMNS:
        return
    units = {name: cell for name, cell in words.items() if _numbers_below(raw, name)}
    if len(units) < _FEWEST_COLUMNS:
        return
    said = ", ".join(f"{cell.strip()!r} under {name!r}" for name, cell in units.items())
    raise DataError(
        f"this row holds no number but units ({said}): a row of units under the header, not a run",
        source=raw.source,
        row=raw.rows[0],
        hint="delete the row; a size's unit may go in its column's name instead "
        "('params (M)' is read in millions, 'tokens (B)' in billions), or in each value (70M)",
    )


def _numbers_below(raw: RawTable, name: str) -> bool:
    """Whether every cell of column ``name`` below its first is a number or missing, and
    some is a number."""
    rest = as_list(raw.cells[name])[1:]
    given = [c for c in rest if not is_missing(c)]
    return bool(given) and all(parse_cell(c) is not None for c in given)
