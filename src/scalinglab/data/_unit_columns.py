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
name gives; so is a column whose cells carry their own units (``70M`` under ``Params (M)``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab.data._column_names import column_key

__all__ = ["HeaderUnit", "as_written_note", "header_unit", "scaled_by_unit", "unit_column"]

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


def as_written_note(column: str, unit: HeaderUnit) -> str:
    """The note on ``column``, mapped (``--map``, ``--x``) though its name writes ``unit``,
    which is therefore not applied."""
    return (
        f"column {column!r} is read as written (its header says {unit[1]}); to read it in "
        "units, leave --map/--x out so it is found by its name, or scale it"
    )
