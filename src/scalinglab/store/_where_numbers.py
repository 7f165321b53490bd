"""A stored run's number as ``--where`` reads it and as its hint writes it: what
``scalinglab runs`` shows (``124M``, ``3.2871``) selects the run it is shown for, and what
a hint lists can be pasted back.

A value written with ``k`` significant digits selects the stored values that round to it at
``k`` digits (``124M`` selects 124,439,808; ``3.2871`` selects 3.2871234567), with ``k`` at
least 3: the tables write every number to 3 or more significant digits and drop trailing
zeros (:func:`scalinglab._format.format_count` writes 20.0M as ``20M``), so ``20M`` or
``1B`` stand for 3 digits there, never for a whole band from 0.5B to 1.5B.
"""

from __future__ import annotations

import math

from scalinglab._format import format_count, format_flops, format_number
from scalinglab.data._units import parse_cell

__all__ = ["number_matches", "shown_number"]

#: The fewest significant digits a written number is compared at (see the module's note).
_LEAST_DIGITS = 3
#: A float's digits: more written ones say nothing more about it.
_MOST_DIGITS = 17
#: Columns ``scalinglab runs`` shows as counts (``124M``), as FLOPs (``1.86e18``), and
#: ``lr`` (3 digits); any other number it shows to 5 digits.
_COUNTS = ("params", "params_non_embedding", "tokens")


def _digits(written: str) -> int:
    """The significant digits of ``written``'s mantissa (``124M``: 3, ``1.2444e+08``: 5,
    ``0.0030``: 2, ``1_000``: 4), trailing zeros counted as written."""
    mantissa = written.strip().lstrip("+-").replace("_", "").replace(",", "")
    mantissa = mantissa.lower().split("e")[0].rstrip("kmbgtp ")
    return len(mantissa.replace(".", "").lstrip("0"))


def _rounded(x: float, digits: int) -> str:
    return f"{x:.{digits - 1}e}"


def number_matches(value: float, wanted: str) -> bool:
    """Whether the stored number ``value`` is the one ``wanted`` writes (``20M``, ``1e-3``,
    ``3.2871``): equal to within float rounding, or equal once both are rounded to the
    significant digits ``wanted`` is written with (at least 3)."""
    number = parse_cell(wanted)
    if number is None:
        return False
    if math.isclose(float(value), number[0], rel_tol=1e-9):
        return True
    if not (math.isfinite(value) and math.isfinite(number[0])):
        return False
    digits = min(max(_digits(wanted), _LEAST_DIGITS), _MOST_DIGITS)
    return _rounded(float(value), digits) == _rounded(number[0], digits)


def shown_number(column: str, value: float) -> str:
    """``value`` of ``column`` as ``scalinglab runs`` shows it: a count as ``124M``, FLOPs
    as ``1.86e18``, ``lr`` to 3 significant digits, any other number to 5."""
    if not math.isfinite(value):
        return format_number(value)
    if column in _COUNTS:
        return format_count(value)
    if column == "flops":
        return format_flops(value)
    return format_number(value, 3 if column == "lr" else 5)
