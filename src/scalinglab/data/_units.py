"""Human-readable quantities: ``"70M"``, ``"1.4T"``, ``"3e21"``, ``"1_000"``, ``"1,000"``.

Rules (all case-insensitive):

- a plain number in any form Python's ``float`` reads, with an optional sign and exponent;
- an optional unit suffix after the number, with or without a space:
  ``K`` = 1e3, ``M`` = 1e6, ``B`` or ``G`` = 1e9, ``T`` = 1e12, ``P`` = 1e15.
  ``m`` is *million*, never milli: in run tables "125m" is a model size (Pythia-160m, OPT-125m);
- digit separators: ``_`` between digits (``1_000``), and ``,`` only in groups of three
  (``1,000,000``) — ``1,5`` is refused rather than guessed as a European decimal;
- ``nan`` and ``inf`` read as themselves; the table checks decide whether they are allowed;
- after the number, the word of the quantity it counts where the reader names one
  (``10B tokens`` in a tokens column: :mod:`._unit_words`).

Cells that are empty or spell a missing value (``NA``, ``null``, …) are *missing*, which
:func:`parse_values` turns into NaN; :func:`parse_quantity` refuses them.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_g
from scalinglab._keywords import keywords_checked
from scalinglab.data._unit_words import per_step as per_step_words
from scalinglab.data._unit_words import quantity_named, refuse_other_word, refused_cell, unit_word

__all__ = [
    "MISSING",
    "UNIT_HINT",
    "as_quantities",
    "as_quantity",
    "is_missing",
    "parse_cell",
    "parse_flops",
    "parse_quantity",
    "parse_values",
    "read_worded",
]

Array = NDArray[np.float64]

_SUFFIXES = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12, "p": 1e15}
_QUANTITY = re.compile(
    r"(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(?P<suffix>[kmbgtp]?)", re.IGNORECASE
)
_SPECIAL = re.compile(r"[+-]?(?:nan|inf|infinity)", re.IGNORECASE)
# Commas only as thousands separators: 1,000 and 12,345.6 but not 1,5 or 1,0000.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?(?:e[+-]?\d+)?\s*[a-z]?", re.IGNORECASE)

#: Cell spellings that mean "no value" (compared lower-cased, after stripping).
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none", "-"})

UNIT_HINT = (
    "write a plain number (1400000000, 1.4e9) or one with a unit suffix "
    "K, M, B (or G), T, P, e.g. 70M or 1.4T"
)


def is_missing(value: object) -> bool:
    """Whether a cell holds no value: ``None``, a float NaN, or a string in :data:`MISSING`."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip().lower() in MISSING
    return isinstance(value, float) and math.isnan(value)


def parse_cell(value: object, *, quantity: str | None = None) -> tuple[float, bool] | None:
    """Parse one value; returns ``(number, used_human_notation)`` or ``None`` if it is not one.
    A ``quantity`` (``tokens``) read may end in its unit word (``10B tokens``), no other's."""
    if isinstance(value, bool | np.bool_):
        return None  # True is an int to Python, but never a quantity
    if isinstance(value, numbers.Real):
        return float(value), False
    if not isinstance(value, str):
        return None
    text, said = unit_word(value.strip()) if quantity else (value.strip(), None)
    if said is not None and said != quantity:
        return None  # 10B params among tokens: no number of tokens
    if _SPECIAL.fullmatch(text):
        return float(text), False
    human = said is not None
    if "_" in text:
        if re.search(r"(?<!\d)_|_(?!\d)", text):
            return None
        text, human = text.replace("_", ""), True
    if "," in text:
        if not _GROUPED.fullmatch(text):
            return None
        text, human = text.replace(",", ""), True
    match = _QUANTITY.fullmatch(text)
    if match is None:
        return None
    number = float(match["num"])
    suffix = match["suffix"].lower()
    if suffix:
        return number * _SUFFIXES[suffix], True
    return number, human


def parse_flops(value: object) -> float | None:
    """A compute budget as :func:`parse_cell` reads a number, a trailing unit ``FLOP`` or
    ``FLOPs`` allowed (``"1e24 FLOPs"``, ``"400T FLOPs"``: 4e14); ``None`` if it is not one."""
    parsed = parse_cell(value, quantity="flops")  # 1e24 FLOPs
    return None if parsed is None else parsed[0]


@keywords_checked("scalinglab.parse_quantity")
def parse_quantity(
    value: str | float | int,
    *,
    quantity: str | None = None,
    source: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> float:
    """Read a number written the way people write model sizes and budgets.

    Args:
        value: A number, or a string such as ``"70M"``, ``"1.4T"``, ``"3e21"``, ``"1,000"``.
        quantity: What the number counts, ``"params"``, ``"tokens"`` or ``"flops"``: its
            unit word may end the text (``"10B tokens"``, ``"70M params"``, ``"3e21
            FLOPs"``), as every option and argument of a size or a budget reads it, and
            another quantity's word is refused (``"10B params"`` as tokens). ``None``:
            no unit word is read.
        source: File the value came from, for the error message.
        row: Row of the value as the user sees it, for the error message.
        column: Column of the value, for the error message.

    Returns:
        The value as a float (NaN and inf pass through; the caller decides on them).

    Raises:
        DataError: If the value is not a number in any of the accepted notations, or
            ends in another quantity's word than ``quantity``'s.
        ConfigError: For a ``quantity`` that is none of the three.

    Examples:
        >>> parse_quantity("70M"), parse_quantity("1.4T"), parse_quantity("1_000")
        (70000000.0, 1400000000000.0, 1000.0)
        >>> parse_quantity("10B tokens", quantity="tokens")
        10000000000.0
        >>> parse_quantity("3e21 FLOPs", quantity="flops")
        3e+21
    """
    if quantity not in (None, "params", "tokens", "flops"):
        raise ConfigError(
            f"parse_quantity(quantity={quantity!r}): a quantity is 'params', 'tokens' or 'flops'",
            hint="e.g. parse_quantity('10B tokens', quantity='tokens'), or leave quantity out",
        )
    try:
        read = read_worded(value, quantity, given=repr(value))
    except ConfigError as err:  # 10B params as tokens: this function's one error type
        raise DataError(err.message, source=source, row=row, column=column, hint=err.hint) from None
    if read is None:
        words = quantity is None and isinstance(value, str) and unit_word(value)[1]
        hint = f"{UNIT_HINT}; a unit word after it reads with quantity={words!r}"
        raise DataError(f"cannot read {value!r} as a number", source=source, row=row,
                        column=column, hint=hint if words else UNIT_HINT)  # fmt: skip
    return read


def read_worded(
    value: object, quantity: str | None, *, given: str, per_step: bool = False
) -> float | None:
    """``value`` as every option and argument of ``quantity`` reads it (``--tokens``,
    :func:`parse_quantity`): a number, or text ending in ``quantity``'s unit word or not
    (``per_step``: said per step too, ``0.5M tokens/step``); ``None`` for no number.

    Raises:
        ConfigError: Text ending in another quantity's word (``given``: the value as the
            message writes it, ``--tokens '10B params'``): :func:`refused_word`.
    """
    worded = per_step_words(value) if per_step and isinstance(value, str) else value
    read = parse_cell(worded, quantity=quantity)
    if read is None:
        refuse_other_word(worded, quantity, given=given)  # 10B params as tokens
        return None
    return read[0]


def parse_values(
    values: Sequence[object] | NDArray[np.generic],
    rows: Sequence[int],
    *,
    source: str,
    column: str,
    hint: str = UNIT_HINT,
    quantity: str | None = None,
) -> tuple[Array, str | None]:
    """Parse a whole column; missing cells become NaN.

    Args:
        values: The column's cells, one per row.
        rows: Row of each cell as the user sees it.
        source: File the column came from.
        column: Column name as written in the file.
        hint: What to tell the user when a cell is not a number.
        quantity: The size the column holds (``tokens``), whose unit word a cell may end in.

    Returns:
        The float64 column, and one example of human notation that was read (``"'70M' as
        7e7"``) or ``None`` when every cell was a plain number.

    Raises:
        DataError: Naming the first cell that is not a number (row, column, value), or
            that names another quantity (``10B params`` among tokens).
    """
    if isinstance(values, np.ndarray):
        if values.dtype.kind in "iuf":  # already numeric: nothing to parse
            return values.astype(np.float64), None
        values = values.tolist()
    if set(map(type, values)) == {str}:  # in C: a generator costs more than the parse
        try:  # fast path for text files of plain numbers; anything else takes the loop
            return np.array(values, dtype=np.float64), None
        except ValueError:
            pass
    out = np.empty(len(values), dtype=np.float64)
    example: str | None = None
    for i, cell in enumerate(values):
        if is_missing(cell):
            out[i] = np.nan
            continue
        parsed = parse_cell(cell, quantity=quantity)
        if parsed is None:
            if refused := refused_cell(cell, quantity, source=source, row=rows[i], column=column):
                raise refused  # 10B params among tokens
            raise DataError(
                f"{cell!r} is not a number", source=source, row=rows[i], column=column, hint=hint
            )
        out[i] = parsed[0]
        if parsed[1] and example is None:
            example = f"{cell!r} as {format_g(parsed[0])}"
    return out, example


def as_quantities(value: object, name: str) -> Array:
    """A Python argument of sizes or budgets as float64: a number, ``"7B"``, or a list or
    array of either (``predict(params="7B", tokens="1.4T")``). The text of a size or a
    budget (:func:`quantity_named`) may end in its word, as a table's cell and the option
    read it (``tokens="1.4T tokens"``, ``flops="1e24 FLOPs"``), never another's.

    Raises:
        ConfigError: Naming the argument, when a value is not a number in any notation, or
            names another quantity (``tokens="10B params"``).
    """
    numeric = np.asarray(value)
    if numeric.dtype.kind in "iuf":  # numbers already (not booleans): nothing to read, no copy
        return np.asarray(numeric, dtype=np.float64)
    cells = np.asarray(value, dtype=object)
    flat = cells.reshape(-1)
    out = np.empty(flat.shape, dtype=np.float64)
    quantity = quantity_named(name)
    budget = quantity == "flops"
    for i, cell in enumerate(flat):
        read = parse_cell(cell, quantity=quantity)
        if read is None:
            refuse_other_word(cell, quantity, given=f"{name}={cell!r}")  # tokens="10B params"
            from scalinglab.data._time_budgets import time_budget  # a refusal's words only

            if budget and isinstance(cell, str) and (timed := time_budget(cell, name)):
                raise ConfigError(timed[0], hint=timed[1])  # 1000 GPU-hours: FLOPs said
            raise ConfigError(
                f"{name}={cell!r} is not a number",
                hint=UNIT_HINT + (", a unit FLOPs after it or not (1e24 FLOPs)" if budget else ""),
            )
        out[i] = read[0]
    return out.reshape(cells.shape)


def as_quantity(value: object, name: str, *, example: str = "7B") -> float:
    """One positive, finite size or budget from a Python argument: a number or ``"7B"``.

    Raises:
        ConfigError: Naming the argument, for anything else (a list included).
    """
    if isinstance(value, bool) or (not isinstance(value, str) and np.ndim(np.asarray(value)) != 0):
        raise ConfigError(
            f"{name} must be one number, got {value!r}", hint=f"pass e.g. {name}={example}"
        )
    v = float(as_quantities(value, name))
    if not (math.isfinite(v) and v > 0):
        raise ConfigError(
            f"{name} must be positive and finite, got {value!r}", hint=f"pass e.g. {name}={example}"
        )
    return v
