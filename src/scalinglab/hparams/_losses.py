"""A sweep's loss cells before the run table is built: diverged runs, written as they may be.

A run whose loss is ``NaN`` or ``±inf`` diverged: it stays in the sweep, kept out of the
surfaces and named per cell (``_optimum``). The run-table reader refuses an infinite loss
(out of the range a fit can use), so here it is read as ``NaN`` first. A blank cell (or
``n/a``, ``null``, ``-``) is read as ``NaN`` too, with a note that counts and names those
runs: ``DataFrame.to_csv`` writes ``NaN`` as a blank cell, so the same sweep must fit alike
from a frame and from its CSV; and in an lr sweep a run with no final loss beside runs that
have one is most often a run that blew up (a trainer that stops on a NaN loss records
none). Read as diverged, such a run is kept out of the surface as a run left out would be;
it differs only where it is above a cell's best lr, where it bounds the valley as a
diverged run does (``_bracket``). A cell with no finite loss at all is left out
(``_skip_cells``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import join_more
from scalinglab.data._raw import RawTable, as_list
from scalinglab.data._schema import _resolve
from scalinglab.data._units import is_missing

__all__ = ["screen_losses"]


def _not_a_number(cell: object) -> bool:
    """A ``NaN`` written as such (a float NaN, or the text ``nan``): a diverged run."""
    if isinstance(cell, float):
        return math.isnan(cell)
    return isinstance(cell, str) and cell.strip().lower() == "nan"


def _infinite(cell: object) -> bool:
    if isinstance(cell, int | float | np.floating):
        return bool(np.isinf(cell))
    return isinstance(cell, str) and cell.strip().lower().lstrip("+-") in ("inf", "infinity")


def _said(cells: Sequence[object]) -> str:
    """What cells with no loss hold, as the file writes them: ``a blank cell``, ``a cell
    reading 'n/a'`` (not called blank), or both."""
    texts = list(dict.fromkeys("" if c is None else str(c).strip() for c in cells))
    read = " or ".join(repr(t) for t in texts if t)
    if not read:
        return "a blank cell"
    return f"a blank cell, or one reading {read}" if "" in texts else f"a cell reading {read}"


def _rows(rows: Sequence[int]) -> str:
    return join_more([str(r) for r in rows])


def screen_losses(
    raw: RawTable, y: str, columns: Mapping[str, str] | None
) -> tuple[RawTable, list[str]]:
    """``raw`` with infinite losses read as ``NaN`` (diverged) in the loss column and in
    ``y``, and blank losses in the column optima are located on read as ``NaN`` too; and
    the note that counts and names the blank ones."""
    try:
        loss_col = _resolve(raw, columns or {}, None)[1].get("loss")
    except DataError:  # the table's own reader says what is wrong with the columns
        loss_col = None
    located = y if y in raw.names else loss_col
    cells = dict(raw.cells)
    for col in {c for c in (loss_col, located) if c is not None}:
        values = raw.cells[col]
        if isinstance(values, np.ndarray) and values.dtype.kind == "f":
            cells[col] = np.where(np.isinf(values), np.nan, values)
        else:
            cells[col] = [math.nan if _infinite(c) else c for c in as_list(values)]
    if located is None:
        return replace(raw, cells=cells), []
    blank = np.array(
        [is_missing(c) and not _not_a_number(c) for c in as_list(cells[located])], dtype=bool
    )
    if not blank.any():
        return replace(raw, cells=cells), []
    written = [as_list(cells[located])[i] for i in np.flatnonzero(blank)]
    cells[located] = [
        math.nan if b else c for b, c in zip(blank, as_list(cells[located]), strict=True)
    ]
    rows = [raw.rows[i] for i in np.flatnonzero(blank)]
    many = len(rows) > 1
    note = (
        f"{len(rows)} run{'s' if many else ''} with no loss in {located!r} ({_said(written)}) "
        f"read as diverged, as a NaN loss is (DataFrame.to_csv writes NaN as a blank cell): "
        f"row{'s' if many else ''} {_rows(rows)}; if {'they are' if many else 'it is'} "
        f"unfinished rather than diverged, remove {'them' if many else 'it'} from the sweep"
    )
    return replace(raw, cells=cells), [note]
