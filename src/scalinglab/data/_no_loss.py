"""Rows whose loss cell holds no value: a blank cell, ``-``, ``N/A``, a JSON ``null``, a
Parquet null, or a DataFrame's ``None``/``pd.NA``. Such a run has no loss to fit, so it is
left out with one note, as ``ingest`` skips it. A NaN written as a number (the text ``nan``,
JSON's ``NaN``, a float NaN in a DataFrame, a NaN value in a Parquet file: Arrow keeps its
nulls apart, :mod:`scalinglab.data._frame_cells`) is a run that diverged: it stays, for the
outlier screen to refuse (:func:`scalinglab.data._outliers.screen`), since dropping it
quietly would hide a failure.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab.data._raw import RawTable, as_list, cell_id, rows_at
from scalinglab.data._run_states import finished_rows
from scalinglab.data._units import is_missing

__all__ = ["no_value", "rows_with_loss", "runs_left_out"]

#: Runs a note names before it counts the rest.
_NAMED = 3
#: What the note on runs without a loss says after their count.
_SKIPPED = " without a loss skipped ("


def no_value(cell: object) -> bool:
    """Whether ``cell`` holds no value, as opposed to a NaN written as a number."""
    if isinstance(cell, float):  # a NaN number: JSON's NaN, a DataFrame's float NaN
        return False
    if isinstance(cell, str) and cell.strip().lower() == "nan":  # as Python prints a NaN
        return False
    return is_missing(cell)


def runs_left_out(
    raw: RawTable,
    chosen: Mapping[str, str],
    run_column: str | None,
    *,
    finished: bool,
    blank: bool,
    option: str,
) -> tuple[RawTable, list[str], tuple[tuple[str, str], ...]]:
    """``raw`` without the runs read but not fitted, the notes naming them (as ``fit``
    prints them among its notes, and ``report`` alone: :attr:`RunTable.skipped_notes`) and
    ``(run id, reason)`` of each (:attr:`RunTable.skipped`): with ``finished``, those its
    state column says did not finish (:func:`finished_rows`: before any value is checked,
    as a running run may lack its tokens); with ``blank``, those without a loss
    (:func:`rows_with_loss`); ``chosen``: the columns read, by what they are read as.

    Raises:
        DataError: When no run is left to fit.
    """
    said: list[str] = []
    skipped: tuple[tuple[str, str], ...] = ()
    if finished:
        raw, said, skipped = finished_rows(raw, run_column=run_column, taken=chosen.values())
    if blank:
        raw, left, none = rows_with_loss(raw, chosen["loss"], run_column, option=option)
        said, skipped = [*said, *left], (*skipped, *none)
    return raw, said, skipped


def rows_with_loss(
    raw: RawTable, column: str, run_column: str | None, *, option: str
) -> tuple[RawTable, list[str], tuple[tuple[str, str], ...]]:
    """``raw`` without the rows whose ``column`` (the loss) holds no value, the note
    naming the first few of them and how many they are (none where every row has one), and
    ``(run id, reason)`` of each (:attr:`RunTable.skipped`); ``option`` names the loss column,
    as the command reading it does (``--y loss=COLUMN``).

    Raises:
        DataError: When no row has a loss: nothing is left to fit.
    """
    cells = raw.cells[column]
    if isinstance(cells, np.ndarray):  # a typed column: its NaN is a number, not a blank
        return raw, [], ()
    keep = [not no_value(c) for c in cells]
    if all(keep):
        return raw, [], ()
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
        else [f"row{r:d}" for r in raw.rows]
    )
    left = [(run, row) for run, row, k in zip(ids, raw.rows, keep, strict=True) if not k]
    skipped = [f"{run!r} (row {row})" for run, row in left]
    more = f" and {len(skipped) - _NAMED} more" if len(skipped) > _NAMED else ""
    why = f"no value of {column!r}: a blank, '-', 'N/A' or null cell"
    note = (
        f"{format_counted(len(skipped), 'run')}{_SKIPPED}{why}): "
        f"{', '.join(skipped[:_NAMED])}{more}"
    )
    kept = rows_at(raw, [i for i, k in enumerate(keep) if k])
    return kept, [note], tuple((run, f"{why} (row {row})") for run, row in left)
