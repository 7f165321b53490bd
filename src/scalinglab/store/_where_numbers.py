"""A stored run's number as ``--where`` reads it and as its hint writes it: what
``scalinglab runs`` shows (``124M``, ``3.2871``) selects exactly the runs it is shown for,
and what a hint lists can be pasted back to select exactly those.

A column the table shows is compared at the digits the table shows it to
(:data:`SHOWN_DIGITS`): a value written with ``k`` significant digits selects the stored
values that round to it at ``max(k, d)`` digits, ``d`` the column's (a loss is shown
with its trailing zeros, ``3.1300``, which select as written). So ``124M`` selects
124,439,808 (shown ``124M``); ``1B`` is 1.00B, never a band from 0.5B to 1.5B; ``loss=3.5``
is 3.5000, the loss shown ``3.5000``, not the one shown ``3.5041``. Trailing zeros count as
written, so a number written in full (``params=124439808``) selects that count only.

``params_non_embedding`` (the N a ladder's runs are fitted on, which ``ladder status`` shows
as a count, ``25.2K``) is read as ``params`` is. A number the table does not show (a config
value such as ``seed`` or ``steps``, ``train_loss``) is compared as ``runs --json`` writes it: an integer
exactly (``steps=1e3`` selects 1000, not 1004), a float to within its rounding; a hint lists
these values as stored (``123456``, ``0.504``).
"""

from __future__ import annotations

import math

from scalinglab._format import format_count, format_flops, format_number
from scalinglab.data._units import parse_cell

__all__ = ["SHOWN_DIGITS", "listed_number", "number_matches", "shown_number"]

#: Each number column ``scalinglab runs`` shows, with the significant digits it shows it to:
#: counts (``124M``) and FLOPs (``1.86e18``) to the 3 their formats write, ``lr`` to 3, and
#: ``loss`` and ``batch`` to 5; ``params_non_embedding`` as a count, as ``ladder status``
#: shows it. ``--where`` compares each at least at these digits. A loss is shown with its
#: trailing zeros (``4.2850``, ``3.1300``): from 1 to 10, fit's and the report's 4
#: decimals. Not 4 decimals everywhere: a loss of 0.51234 would be shown ``0.5123``, 4
#: figures, which ``--where`` compares at 5 and selects no run by; 9.99996 ``10.0000``,
#: compared at 6 figures, which it is not.
SHOWN_DIGITS: dict[str, int] = {
    "params": 3, "params_non_embedding": 3, "tokens": 3, "flops": 3, "lr": 3, "loss": 5,
    "batch": 5,
}  # fmt: skip
_COUNTS = ("params", "params_non_embedding", "tokens")
#: A float's digits: more written ones say nothing more about it.
_MOST_DIGITS = 17
#: Whole floats below this are listed in full (123456); larger ones as repr writes them (1e+16).
_WHOLE_IN_FULL = 1e15
#: Two floats this close are one value written twice (0.1 + 0.2 and 0.3).
_FLOAT_ROUNDING = 1e-9


def _digits(written: str) -> int:
    """The significant digits of ``written``'s mantissa (``124M``: 3, ``1.2444e+08``: 5,
    ``0.0030``: 2, ``1_000``: 4), trailing zeros counted as written."""
    mantissa = written.strip().lstrip("+-").replace("_", "").replace(",", "")
    mantissa = mantissa.lower().split("e")[0].rstrip("kmbgtp ")
    return len(mantissa.replace(".", "").lstrip("0"))


def _rounded(x: float, digits: int) -> str:
    return f"{x:.{digits - 1}e}"


def _same(value: float, number: float) -> bool:
    """Whether ``number`` is ``value`` itself: an integer exactly, a float to its rounding."""
    if isinstance(value, int):
        return value == number
    return math.isclose(float(value), number, rel_tol=_FLOAT_ROUNDING)


def number_matches(value: float, wanted: str, *, column: str) -> bool:
    """Whether the stored number ``value`` of ``column`` is the one ``wanted`` writes
    (``20M``, ``1e-3``, ``3.2871``): equal, or, for a column the table shows, equal once both
    are rounded to the digits ``wanted`` is written with, at least the column's shown ones
    (see the module's note)."""
    number = parse_cell(wanted)
    if number is None:
        return False
    if _same(value, number[0]):
        return True
    shown = SHOWN_DIGITS.get(column)
    if shown is None or not (math.isfinite(value) and math.isfinite(number[0])):
        return False
    digits = min(max(_digits(wanted), shown), _MOST_DIGITS)
    return _rounded(float(value), digits) == _rounded(number[0], digits)


def shown_number(column: str, value: float) -> str:
    """``value`` of ``column`` (one of :data:`SHOWN_DIGITS`) as ``scalinglab runs`` shows it:
    a count as ``124M``, FLOPs as ``1.86e18``, any other to its shown digits."""
    if not math.isfinite(value):
        return format_number(value)
    if column in _COUNTS:
        return format_count(value)
    if column == "flops":
        return format_flops(value)
    if column == "loss":  # its 5 figures with their zeros: 4.2850 (fit's), never 4.285
        kept = f"{value:#.{SHOWN_DIGITS[column]}g}".rstrip(".")
        if "e" not in kept and value != 0:  # 1e-5 and 0 as format_number writes them
            return kept
    return format_number(value, SHOWN_DIGITS[column])


def listed_number(column: str, value: float) -> str:
    """``value`` of ``column`` as a ``--where`` hint lists it, to be pasted back: as the
    table shows it, or, for a number the table does not show, as ``runs --json`` writes it
    (``123456``, ``0.504``), which alone selects it. A whole number stored as a float (a
    seed read from a column that also holds blanks: ``123456.0``) is listed as the integer
    it is (``123456``), which selects it as well."""
    if column in SHOWN_DIGITS:
        return shown_number(column, float(value))
    if isinstance(value, int):
        return str(value)
    number = float(value)
    if number.is_integer() and abs(number) < _WHOLE_IN_FULL:
        return str(int(number))
    return repr(number)  # the shortest text that reads back as this float
