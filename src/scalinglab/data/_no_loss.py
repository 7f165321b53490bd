"""Rows whose loss cell holds no value: a blank cell, ``-``, ``N/A``, a JSON ``null``, a
Parquet null, or a DataFrame's ``None``/``pd.NA``. Such a run has no loss to fit, so it is
left out with one note, as ``ingest`` skips it. A NaN written as a number (the text ``nan``,
JSON's ``NaN``, a float NaN in a DataFrame, a NaN value in a Parquet file: Arrow keeps its
nulls apart, :mod:`scalinglab.data._frame_cells`) is a run that diverged: it stays, for the
outlier screen to refuse (:func:`scalinglab.data._outliers.screen`), since dropping it
quietly would hide a failure.
"""

from __future__ import annotations

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab.data._raw import RawTable, as_list, cell_id, rows_at
from scalinglab.data._units import is_missing

__all__ = ["no_value", "rows_with_loss"]

#: Runs a note names before it counts the rest.
_NAMED = 3


def no_value(cell: object) -> bool:
    """Whether ``cell`` holds no value, as opposed to a NaN written as a number."""
    if isinstance(cell, float):  # a NaN number: JSON's NaN, a DataFrame's float NaN
        return False
    if isinstance(cell, str) and cell.strip().lower() == "nan":  # as Python prints a NaN
        return False
    return is_missing(cell)


def rows_with_loss(
    raw: RawTable, column: str, run_column: str | None, *, option: str
) -> tuple[RawTable, list[str]]:
    """``raw`` without the rows whose ``column`` (the loss) holds no value, and the note
    naming the first few of them and how many they are (none where every row has one);
    ``option`` names the loss column, as the command reading it does (``--y loss=COLUMN``).

    Raises:
        DataError: When no row has a loss: nothing is left to fit.
    """
    cells = raw.cells[column]
    if isinstance(cells, np.ndarray):  # a typed column: its NaN is a number, not a blank
        return raw, []
    keep = [not no_value(c) for c in cells]
    if all(keep):
        return raw, []
    if not any(keep):
        raise DataError(
            f"no run has a loss: every cell of column {column!r} is empty (or '-', 'N/A')",
            source=raw.source,
            column=column,
            hint=f"fill in the losses, or read the loss from another column: {option}",
        )
    ids = (
        [cell_id(c, r) for c, r in zip(as_list(raw.cells[run_column]), raw.rows, strict=True)]
        if run_column is not None
        else [f"row{r}" for r in raw.rows]
    )
    rows = zip(ids, raw.rows, keep, strict=True)
    skipped = [f"{run!r} (row {row})" for run, row, k in rows if not k]
    more = f" and {len(skipped) - _NAMED} more" if len(skipped) > _NAMED else ""
    note = (
        f"{format_counted(len(skipped), 'run')} without a loss skipped (no value of {column!r}: a blank, "
        f"'-', 'N/A' or null cell): {', '.join(skipped[:_NAMED])}{more}"
    )
    return rows_at(raw, [i for i, k in enumerate(keep) if k]), [note]
