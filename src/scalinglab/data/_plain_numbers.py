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

Every reader of a table (runs, curves, sweeps, evaluations, a runs file's sizes) reads its
number columns through :func:`read_numbers`, or checks a column it parsed itself with
:func:`notation_rules`, so the two rules hold in every table alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_g
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import RawTable, as_list, groups_digits
from scalinglab.data._units import UNIT_HINT, parse_cell, parse_values

__all__ = [
    "LOSS_HINT", "comma_text", "comma_text_note", "is_loss_name", "loss_values",
    "no_ambiguous_commas", "no_decimal_comma_loss", "notation_rules", "plain_loss", "read_numbers", "reads_as_text",
    "unsettled_comma",
]  # fmt: skip

Array = NDArray[np.float64]

#: How to write a loss, as every refusal of one says.
LOSS_HINT = "write each loss as a plain number with '.' as its decimal mark (2.83, 2.83e0)"
_EXPORT = (
    "save the table with '.' as the decimal mark and no digit grouping (the spreadsheet's "
    "language or region setting, or its number format)"
)
#: Words after ``loss`` in a name that is no loss: an fp16 loss scale (65,536 or 64K), a
#: loss's weight in a sum.
_NOT_LOSSES = frozenset(
    {"scale", "scaler", "scaling", "weight", "weights", "coef", "coeff", "factor", "multiplier"}
)
_WORDS = re.compile(r"[_/.]+")
#: One comma group, with a unit or exponent after it as
#: :data:`~scalinglab.data._raw.GROUPS_ONLY` allows: 5,006 (5.006 or 5006), 1,250M (1.25M
#: or 1250M).
#: A number with a decimal comma: 3,1, 2,83, -0,5e-1 (3,700 is :data:`_ONE_GROUP`'s).
_DECIMAL_COMMA = re.compile(r"[+-]?\d*,\d+(?:e[+-]?\d+)?", re.IGNORECASE)
_ONE_GROUP = re.compile(r"[+-]?\d{1,3},\d{3}(?:e[+-]?\d+)?\s*[a-z]?", re.IGNORECASE)


def is_loss_name(column: str) -> bool:
    """Whether ``column``'s name says it holds a loss, compared as names are
    (:func:`~scalinglab.data._column_names.column_key`): it ends with ``loss`` (``val_loss``,
    ``eval/loss``, ``trainloss``), or has ``loss`` as a word (between ``_``, ``/`` or ``.``:
    ``loss``, ``loss_c4_val``, ``val_loss_c4``) not followed by a word that makes it
    something else (:data:`_NOT_LOSSES`: ``loss_scale``, ``loss_weight``, ``loss_scaler``).
    A name merely containing the letters (``lossless``) is none."""
    key = column_key(column)
    if key.endswith("loss"):
        return True
    words = _WORDS.split(key)
    return any(
        word == "loss" and (i + 1 == len(words) or words[i + 1] not in _NOT_LOSSES)
        for i, word in enumerate(words)
    )


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
            else f"would be read as {format_g(parsed[0])}: a loss takes no unit suffix or digit separator"
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
    option: str | None,
    hint: str | None = None,
) -> Array:
    """A loss column as floats: plain numbers only (:func:`plain_loss`), missing cells NaN.

    Raises:
        DataError: A cell that is no number (with ``hint``, else one about losses), or one
            written as a size is.
    """
    hint = hint or LOSS_HINT + (f"; or read loss from another column: {option}" if option else "")
    values, example = parse_values(cells, rows, source=source, column=column, hint=hint)
    _loss_notation(cells, rows, source=source, column=column, option=option, example=example)
    return values


def _loss_notation(
    cells: Sequence[object] | NDArray[np.generic],
    rows: Sequence[int],
    *,
    source: str,
    column: str,
    option: str | None,
    example: str | None,
) -> None:
    """:func:`plain_loss` on a loss column ``parse_values`` read, where it may have any
    notation to refuse (``example``: the notation it reported)."""
    # float() reads 1_000 too, so parse_values' fast path reports no notation for it
    if example is not None or any(isinstance(c, str) and "_" in c for c in as_list(cells)):
        plain_loss(cells, rows, source=source, column=column, option=option)


def read_numbers(
    raw: RawTable,
    column: str,
    *,
    loss: bool = False,
    option: str | None = None,
    hint: str | None = None,
    quantity: str | None = None,
) -> tuple[Array, str | None]:
    """Column ``column`` of ``raw`` as floats (missing cells NaN), by the rules of every
    table: a loss (``loss``, or a column named as one) is a plain number
    (:func:`loss_values`), and a single comma group elsewhere reads as digits only where
    the file shows grouping (:func:`no_ambiguous_commas`).

    Args:
        raw: The table, whose other cells settle what a comma is.
        column: The column to read, as the source names it.
        loss: Whether it holds a loss whatever its name (``--map loss=ppl``).
        option: How to read a loss from another column, for a refusal's hint.
        hint: What to tell the user when a cell is no number (default: a loss's or a size's).
        quantity: The size it is read as, whose word a cell may end in (``10B tokens``).

    Returns:
        The column, and one example of human notation read (``"'70M' as 7e7"``), or
        ``None`` (always for a loss, which has none).

    Raises:
        DataError: A cell that is no number (or another size's), a loss written as a
            size, or a comma the file does not settle, naming row, column and what to do.
    """
    cells, where = raw.cells[column], {"source": raw.source, "column": column}
    if loss or is_loss_name(column):
        return loss_values(cells, raw.rows, option=option, hint=hint, **where), None
    said = hint or UNIT_HINT  # a size's
    values, example = parse_values(cells, raw.rows, hint=said, quantity=quantity, **where)
    notation_rules(raw, column, example=example)
    return values, example


def notation_rules(raw: RawTable, column: str, *, example: str | None) -> None:
    """The rules of :func:`read_numbers` for a column a reader parsed itself with
    :func:`~scalinglab.data._units.parse_values` (``example``: the notation it reported),
    where a cell that is no number means something else (text labels), not an error.

    Raises:
        DataError: A loss-named column written as a size, or a comma the file does not
            settle.
    """
    if is_loss_name(column):  # an eval loss: as plain as the loss
        _loss_notation(
            raw.cells[column], raw.rows, source=raw.source, column=column, option=None,
            example=example,
        )  # fmt: skip
    elif example is not None:
        no_ambiguous_commas(raw, [column])


def unsettled_comma(raw: RawTable, column: str) -> tuple[str, int] | None:
    """The first cell of ``column`` with one comma group (``5,006``) and its row, where no
    cell of ``raw``'s file shows it groups digits (:func:`~scalinglab.data._raw.groups_digits`:
    the whole file's, for a table of some of its rows); ``None`` where there is none."""
    for cell, row in zip(as_list(raw.cells[column]), raw.rows, strict=True):
        if isinstance(cell, str) and _ONE_GROUP.fullmatch(cell.strip()):
            return None if groups_digits(raw) else (cell.strip(), row)
    return None


def no_decimal_comma_loss(raw: RawTable, column: str) -> None:
    """Refuse a number written with a decimal comma (``3,1``, ``2,83``) in a column named as
    a loss (:func:`is_loss_name`) that is otherwise read as text: an eval loss beside the
    loss read (``loss_openlm``), which a run table would otherwise keep as a text label.

    Raises:
        DataError: Naming the first such cell, its row, and how to write a loss.
    """
    if not is_loss_name(column):
        return
    for cell, row in zip(as_list(raw.cells[column]), raw.rows, strict=True):
        text = cell.strip() if isinstance(cell, str) else ""
        if _DECIMAL_COMMA.fullmatch(text) and not _ONE_GROUP.fullmatch(text):
            raise DataError(
                f"loss {text!r} is written with a decimal comma (for {text.replace(',', '.')}),"
                " and a loss is a plain number",
                source=raw.source,
                row=row,
                column=column,
                hint=f"{LOSS_HINT}; {_EXPORT}",
            )


def comma_text(raw: RawTable, column: str, *, example: str | None) -> str | None:
    """The cell (``1,024``) for which ``column`` of ``raw``, whose cells all read as numbers
    (``example``: the notation :func:`~scalinglab.data._units.parse_values` reported), is
    read as text: one comma group the file does not settle (:func:`unsettled_comma`) in a
    column not named as a loss (a loss is refused instead); ``None`` where it is numbers.
    A run table keeps such a column as text labels, and ``where`` compares it as text, in
    every table alike."""
    if example is None or is_loss_name(column):
        return None
    found = unsettled_comma(raw, column)
    return None if found is None else found[0]


def reads_as_text(raw: RawTable, column: str) -> bool:
    """Whether a run table keeps ``column`` of ``raw`` as text labels: a cell is no number
    (a run's corpus, optimizer, ...), or a number has a comma the file does not settle
    (:func:`comma_text`). ``where`` and every table's text columns read a column so."""
    try:
        _, example = parse_values(raw.cells[column], raw.rows, source=raw.source, column=column)
    except DataError:
        return True
    return comma_text(raw, column, example=example) is not None


def comma_text_note(column: str, cell: str) -> str:
    """The note on a column kept as text for its comma ``cell``, which no command of the
    table reads as a number (a covariate: ``batch_size`` of ``1,024``)."""
    return (
        f"column {column!r} read as text: {cell!r} may be {_readings(cell)}, and no number "
        f"in the file settles which; to read it as numbers, {_EXPORT}"
    )


def no_ambiguous_commas(raw: RawTable, columns: Iterable[str]) -> None:
    """Refuse a number with one comma group (``5,006``) in ``columns`` (those read as
    numbers in human notation) where no cell of ``raw`` shows the file groups digits
    (:func:`unsettled_comma`).

    Raises:
        DataError: Naming the first such cell, both its readings and how to export.
    """
    for column in columns:
        found = unsettled_comma(raw, column)
        if found is None:
            continue
        text, row = found
        raise DataError(
            f"{text!r} may be {_readings(text)}, and no number in the file settles which "
            "(digit groups are read only where a number is written as 1,234,567 or "
            "1,234.5)",
            source=raw.source,
            row=row,
            column=column,
            hint=_EXPORT,
        )
