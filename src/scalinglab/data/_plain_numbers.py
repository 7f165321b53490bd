"""Numbers whose notation could mislead: a loss written like a size, and a comma that may be
a decimal mark.

A loss is a plain number (``2.83``, ``2.8e0``): no unit suffix (``3.1K`` would be read as
3100) and no digit separator (``1_000``). Its column, and every other column whose name says
it holds a loss (``val_loss``, ``eval/loss_c4``: the eval losses ``loss2loss`` reads), is
refused where a cell uses one, with a hint about losses, not sizes.

``5,006`` is a digit group (5006) to an English export and a decimal comma (5.006) to a
German one, and a tab-separated or quoted cell says neither. A file settles it only by a
number that a digit-group reading alone explains: two groups (``1,234,567``) or a group
before a decimal point (``1,234.5``). Where no cell of the file writes one, a number with a
single comma group is refused, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._units import parse_cell, parse_values

__all__ = ["LOSS_HINT", "is_loss_name", "loss_values", "no_ambiguous_commas", "plain_loss"]

Array = NDArray[np.float64]

#: How to write a loss, as every refusal of one says.
LOSS_HINT = "write each loss as a plain number with '.' as its decimal mark (2.83, 2.83e0)"
_EXPORT = (
    "save the table with '.' as the decimal mark and no digit grouping (the spreadsheet's "
    "language or region setting, or its number format)"
)
#: One comma group and nothing else: 5,006 (5.006 or 5006).
_ONE_GROUP = re.compile(r"[+-]?\d{1,3},\d{3}")
#: A number only digit groups explain: 1,234,567 or 1,234.5 (units and exponents after it).
_GROUPS_ONLY = re.compile(
    r"[+-]?\d{1,3}(?:(?:,\d{3}){2,}(?:\.\d*)?|,\d{3}\.\d*)(?:e[+-]?\d+)?\s*[a-z]?", re.IGNORECASE
)


def is_loss_name(column: str) -> bool:
    """Whether ``column``'s name says it holds a loss (``val_loss``, ``eval/loss``)."""
    return "loss" in column_key(column)


def _readings(cell: str) -> str:
    """The two numbers a comma-grouped cell may be: ``5.006 or 5006``."""
    return f"a decimal comma ({cell.replace(',', '.')}) or a digit group ({cell.replace(',', '')})"


def plain_loss(
    cells: Sequence[object] | NDArray[np.generic],
    rows: Sequence[int],
    *,
    source: str,
    column: str,
    option: str | None,
) -> None:
    """Refuse the first cell of a loss column read with a unit suffix or a digit separator
    (``option``: how to read the loss from another column, where one may be chosen).

    Raises:
        DataError: Naming the cell, its row and what it would have been read as.
    """
    for cell, row in zip(as_list(cells), rows, strict=True):
        parsed = parse_cell(cell)
        if parsed is None or not parsed[1]:
            continue
        text = str(cell).strip()
        said = (
            f"has a comma: {_readings(text)}, and a loss is written with neither"
            if "," in text
            else f"would be read as {parsed[0]:g}: a loss takes no unit suffix or digit separator"
        )
        raise DataError(
            f"loss {text!r} {said}",
            source=source,
            row=row,
            column=column,
            hint=LOSS_HINT
            + (f"; {_EXPORT}" if "," in text else "")
            + (f"; or read loss from another column: {option}" if option else ""),
        )


def loss_values(
    cells: Sequence[object] | NDArray[np.generic],
    rows: Sequence[int],
    *,
    source: str,
    column: str,
    option: str,
    hint: str | None = None,
) -> Array:
    """A loss column as floats: plain numbers only (:func:`plain_loss`), missing cells NaN.

    Raises:
        DataError: A cell that is no number (with ``hint``, else one about losses), or one
            written as a size is.
    """
    hint = hint or f"{LOSS_HINT}; or read loss from another column: {option}"
    values, example = parse_values(cells, rows, source=source, column=column, hint=hint)
    # float() reads 1_000 too, so parse_values' fast path reports no notation for it
    if example is not None or any(isinstance(c, str) and "_" in c for c in as_list(cells)):
        plain_loss(cells, rows, source=source, column=column, option=option)
    return values


def _proven(raw: RawTable) -> bool:
    """Whether a cell of ``raw`` writes a number only digit groups explain."""
    return any(
        isinstance(c, str) and _GROUPS_ONLY.fullmatch(c.strip())
        for cells in raw.cells.values()
        for c in as_list(cells)
    )


def no_ambiguous_commas(raw: RawTable, columns: Iterable[str]) -> None:
    """Refuse a number with one comma group (``5,006``) in ``columns`` (those read as
    numbers in human notation) where no cell of ``raw`` shows the file groups digits.

    Raises:
        DataError: Naming the first such cell, both its readings and how to export.
    """
    for column in columns:
        for cell, row in zip(as_list(raw.cells[column]), raw.rows, strict=True):
            if not (isinstance(cell, str) and _ONE_GROUP.fullmatch(cell.strip())):
                continue
            if _proven(raw):
                return
            text = cell.strip()
            raise DataError(
                f"{text!r} may be {_readings(text)}, and no number in the file settles which "
                "(digit groups are read only where a number is written as 1,234,567 or "
                "1,234.5)",
                source=raw.source,
                row=row,
                column=column,
                hint=_EXPORT,
            )
