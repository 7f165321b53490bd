"""Size columns named with their unit: ``Params (M)``, ``params_M``, ``Tokens (B)``,
``tokens_b``, ``model_size (M)``.

::

    read_runs("runs.csv").notes     # ("column 'Params (M)' read as params in millions (×1e6)", ...)

A column found by its name (none mapped to it with ``--map``) whose name is one of a size's
names (:data:`~scalinglab.data._schema.ALIASES`) followed by a unit, in brackets or after an
underscore, is that size, and its values are scaled by the unit, with a note saying so: a
table that writes 20 to 760 under ``Params (M)`` holds models of 20M to 760M parameters, and
read as they are they would be fitted as models of 760 parameters at most. A column mapped
with ``--map params='Params (M)'`` or ``--x N='Params (M)'`` is read as it is written, with a
note saying so (:func:`as_written_note`: a user who maps it may not know its unit would have
applied), and the plausibility check (:mod:`scalinglab.data._plausible`) names the unit its
name gives; so is a column whose cells carry their own units (``70M`` under ``Params (M)``; digit
grouping, ``1,000``, is none: such cells take the header's unit, :func:`carries_units`).
A column that mixes the two (``70M`` in one row, ``160`` in the next, under ``Params (M)``)
is refused (:func:`refuse_mixed`): its plain cells could mean either unit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import RawTable
from scalinglab.data._unit_words import unit_word
from scalinglab.data._units import is_missing

__all__ = [
    "HeaderUnit", "as_written_note", "by_header_unit", "carries_units", "header_unit",
    "refuse_mixed", "scaled_by_unit", "unit_column",
]  # fmt: skip

Array = NDArray[np.float64]

#: The sizes a unit in a column's name scales (compute is rarely written so, in no one unit).
SIZED = ("params", "tokens")
#: A unit after a name: ``(M)``, ``[B]``, ``(millions)`` (after :func:`column_key`, whose
#: spaces are underscores), or ``_M``, ``_b`` right after it.
_BRACKETED = re.compile(r"^(?P<name>.+?)_*[(\[]_*(?P<unit>[a-z]+)_*[)\]]$")
_SUFFIXED = re.compile(r"^(?P<name>.{2,}?)_(?P<unit>k|m|mn|b|bn|t)$")
#: Each unit -> its power of ten and its word (``g``, giga, only bracketed: ``tokens_g`` is
#: no unit).
_UNITS = {
    "k": (3, "thousands"), "thousands": (3, "thousands"),
    "m": (6, "millions"), "mn": (6, "millions"), "millions": (6, "millions"),
    "b": (9, "billions"), "bn": (9, "billions"), "g": (9, "billions"), "billions": (9, "billions"),
    "t": (12, "trillions"), "trillions": (12, "trillions"),
}  # fmt: skip

#: A cell that writes its own unit: a number, then one of parse_cell's suffixes (``70M``).
_OWN_UNIT = re.compile(r".*\d\s*[kmbgtp]", re.IGNORECASE)
#: The unit part of a header as written: `` (M)``, ``[bn]``, ``_M`` at its end.
_HEADER_UNIT = re.compile(r"\s*(?:[(\[][^)\]]*[)\]]|_[A-Za-z]+)\s*$")
#: How many rows of each kind the refusal of a mixed column names; the rest are counted.
_NAMED_ROWS = 5

#: A unit: its power of ten (``6``: millions) and its word.
HeaderUnit = tuple[int, str]


def header_unit(column: str, target: str, aliases: Collection[str]) -> HeaderUnit | None:
    """The power of ten and word of the unit ``column``'s name writes after ``target`` or
    one of its ``aliases`` (``Params (M)``: ``(6, "millions")``), or ``None`` where it
    writes none, or ``target`` is no size a unit scales."""
    if target not in SIZED:
        return None
    key = column_key(column)
    for pattern in (_BRACKETED, _SUFFIXED):
        found = pattern.match(key)
        if found and found["unit"] in _UNITS and found["name"] in (target, *aliases):
            return _UNITS[found["unit"]]
    return None


def unit_column(free: Sequence[str], target: str, aliases: Collection[str]) -> list[str]:
    """The columns of ``free`` named as ``target`` (or one of its ``aliases``) with a unit
    after the name (:func:`header_unit`): one is ``target``'s, several are for the user to
    choose among."""
    return [c for c in free if header_unit(c, target, aliases) is not None]


def scaled_by_unit(
    values: Array, column: str, target: str, unit: HeaderUnit, *, carried: bool
) -> tuple[Array, str]:
    """``values`` read from ``column`` scaled by the ``unit`` its name writes, and the note
    that says so; as they are where their cells carry units of their own (``carried``: the
    note before says which, ``human-readable numbers read``)."""
    power, word = unit
    if carried:
        return values, (
            f"column {column!r} read as {target} as written: its cells carry their own units, "
            f"so the {word} its name says are not applied again"
        )
    return values * 10.0**power, f"column {column!r} read as {target} in {word} (×1e{power})"


def by_header_unit(
    values: Array,
    cells: Sequence[object] | NDArray[np.generic],
    raw: RawTable,
    *,
    column: str,
    target: str,
    unit: HeaderUnit,
    mapped: bool,
    carried: bool,
) -> tuple[Array, list[str], str]:
    """``values`` read from ``column``, whose name writes ``unit``: scaled by it where the
    column was found by its name, as written where it was mapped (``--map``, ``--x``) or
    its ``cells`` carry their own units (``carried``); a column written both ways refused
    (:func:`refuse_mixed`).

    Returns:
        The values, the notes that say how they were read, and how in words where the
        unit was applied (``"read in millions from the header 'Params (M)'"``: the fit's
        conventions say it, not "as given"), else ``""``.
    """
    if carried:  # 70M beside 160: either unit
        refuse_mixed(cells, raw.rows, column=column, unit=unit, source=raw.source)
    if mapped:
        return values, [] if carried else [as_written_note(column, unit)], ""
    scaled, said = scaled_by_unit(values, column, target, unit, carried=carried)
    return scaled, [said], "" if carried else f"read in {unit[1]} from the header {column!r}"


def as_written_note(column: str, unit: HeaderUnit) -> str:
    """The note on ``column``, mapped (``--map``, ``--x``) though its name writes ``unit``,
    which is therefore not applied."""
    return (
        f"column {column!r} is read as written (its header says {unit[1]}); to read it in "
        "units, leave --map/--x out so it is found by its name, or scale it"
    )


def _rows_said(rows: Sequence[int]) -> str:
    """``rows 3, 5`` (``row 3`` alone), the first :data:`_NAMED_ROWS` then how many more."""
    named = ", ".join(str(r) for r in rows[:_NAMED_ROWS])
    more = f" and {len(rows) - _NAMED_ROWS} more" if len(rows) > _NAMED_ROWS else ""
    return f"row{'s' if len(rows) > 1 else ''} {named}{more}"


def carries_units(cells: Sequence[object] | NDArray[np.generic]) -> bool:
    """Whether a cell of ``cells`` writes its own unit (``70M``): digit grouping (``1,000``,
    ``1_300``) is no unit, so such cells are plain numbers in the header's unit."""
    if isinstance(cells, np.ndarray) and cells.dtype.kind in "biuf":
        return False  # numbers alone: no cell carries a unit
    return any(isinstance(c, str) and _own_unit(c) for c in cells if not is_missing(c))


def _own_unit(cell: str) -> bool:
    """Whether ``cell`` ends in one of parse_cell's suffixes after a number (``70M``), its
    unit word aside (``70M params``; ``70 params`` carries none: its t is no trillion)."""
    return _OWN_UNIT.match(unit_word(cell.strip())[0]) is not None


def refuse_mixed(
    cells: Sequence[object] | NDArray[np.generic],
    rows: Sequence[int],
    *,
    column: str,
    unit: HeaderUnit,
    source: str,
) -> None:
    """Refuse a column whose header writes ``unit`` and whose cells are written both ways,
    some with their own unit (``70M``), some plain (``160``): read as written (the cells'
    units win) a plain 160 would be 160 parameters, a fit on wrong sizes (its exponent at
    0); scaled, 70M would be 7e13. Written one way, a column is read without a doubt.

    Raises:
        DataError: Naming the column, the rows written each way and how to write them.
    """
    if isinstance(cells, np.ndarray) and cells.dtype.kind in "biuf":
        return  # numbers alone: no cell carries a unit
    own: list[int] = []
    plain: list[int] = []
    for cell, row in zip(cells, rows, strict=True):
        if not is_missing(cell):
            (own if isinstance(cell, str) and _own_unit(cell) else plain).append(row)
    if not (own and plain):
        return
    bare = _HEADER_UNIT.sub("", column) or column
    raise DataError(
        f"its cells are written two ways: with their own unit at {_rows_said(own)}, as plain "
        f"numbers at {_rows_said(plain)}, under a header that says {unit[1]}; a plain number "
        "could be in either unit",
        source=source,
        column=column,
        hint=f"write every cell one way: plain numbers in {unit[1]} under the header "
        f"{column!r} (70, not 70M), or a unit on every cell (70M, 160M) and no unit in the "
        f"header ({bare!r})",
    )
