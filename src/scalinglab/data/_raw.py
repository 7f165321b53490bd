"""A source split into columns of cells (:class:`RawTable`), and the checks its values pass
before they become a run table: sizes finite, every value positive and within the range a
fit can use, run ids unique, each failure naming the file, row and column."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_g
from scalinglab.data._units import is_missing

__all__ = [
    "GROUPS_ONLY", "NO_ROW", "SIZES", "USEFUL_RANGE", "RawTable", "as_list", "cell_id",
    "check_range", "groups_digits", "named_by_row", "refuse_not_positive", "rows_at", "run_ids",
    "validate",
]  # fmt: skip

Array = NDArray[np.float64]

#: The size columns: a run needs one of them, and a finite value in each it has.
SIZES = ("params", "tokens", "flops")

#: The row of a run read from a source without rows (a run store, whose runs are named by
#: their id): rows are 1-based, so no file has it; messages name such a run by id alone.
NO_ROW = 0


@dataclass(frozen=True)
class RawTable:
    """A source split into columns of cells, before any checking.

    Attributes:
        source: The path as given, or ``"<DataFrame>"``.
        names: Column names in source order.
        cells: Cells of each column (strings from text formats, anything from the others).
        rows: Row of each record as the user sees it in the source (a DataFrame's: a
            :class:`~scalinglab.data._frame_rows.FrameRow`, written by its index).
        notes: What reading it assumed (a CSV read as semicolon-separated), for the notes
            of what is built from it.
        grouped: Whether the source writes a number only digit groups explain
            (``1,234,567``), as a whole: kept by a table of some of its rows (``--where``,
            runs left out), whose own cells may no longer show it; ``None``: not yet
            looked at, the cells say (:func:`groups_digits`).
    """

    source: str
    names: tuple[str, ...]
    cells: Mapping[str, Sequence[object] | NDArray[np.generic]]
    rows: tuple[int, ...]
    notes: tuple[str, ...] = ()
    grouped: bool | None = None


#: A number only digit groups explain: 1,234,567 or 1,234.5 (units and exponents after it).
GROUPS_ONLY = re.compile(
    r"[+-]?\d{1,3}(?:(?:,\d{3}){2,}(?:\.\d*)?|,\d{3}\.\d*)(?:e[+-]?\d+)?\s*[a-z]?", re.IGNORECASE
)

#: What every such number holds: a group, then another or a decimal point.
_GROUP_THEN = re.compile(r",\d{3}[,.]")


def groups_digits(raw: RawTable) -> bool:
    """Whether a cell of ``raw``'s source writes a number only digit groups explain
    (:data:`GROUPS_ONLY`): :attr:`RawTable.grouped` where a table of some of its rows
    keeps it, else from its cells."""
    if raw.grouped is not None:
        return raw.grouped
    for cells in raw.cells.values():
        if isinstance(cells, np.ndarray) and cells.dtype.kind in "biuf":
            continue
        try:  # such a number holds ",ddd," or ",ddd.": looked for in the column at once
            joined = "\0".join(cells)  # type: ignore[arg-type]
        except TypeError:  # not text alone (a JSON file's numbers)
            joined = "\0".join(c for c in as_list(cells) if isinstance(c, str))
        if _GROUP_THEN.search(joined) and any(
            GROUPS_ONLY.fullmatch(c.strip()) for c in joined.split("\0") if _GROUP_THEN.search(c)
        ):
            return True
    return False


def as_list(cells: Sequence[object] | NDArray[np.generic]) -> list[object]:
    return cells.tolist() if isinstance(cells, np.ndarray) else list(cells)


def rows_at(raw: RawTable, index: Sequence[int]) -> RawTable:
    """``raw`` of the rows at ``index`` alone, its commas read as its whole source's are
    (:attr:`RawTable.grouped`)."""
    cells: dict[str, Sequence[object] | NDArray[np.generic]] = {
        name: values[list(index)] if isinstance(values, np.ndarray) else [values[i] for i in index]
        for name, values in raw.cells.items()
    }
    rows = tuple(raw.rows[i] for i in index)
    return RawTable(raw.source, raw.names, cells, rows, raw.notes, groups_digits(raw))


#: How many offending rows a message names, the first among them; the rest are counted.
_NAMED_ROWS = 5


def _bad_rows(
    mask: NDArray[np.bool_], rows: Sequence[int], values: Array, say: Callable[[float], str]
) -> tuple[int | None, str]:
    """First offending row (``None`` in a source without rows), and a note naming the
    next ones with their values as ``say`` writes them, rows of one value together (``
    (and -1 at row 5)``), up to :data:`_NAMED_ROWS` in all, then how many more: a table
    with two slips is fixed in one pass, not two."""
    where = [int(i) for i in np.flatnonzero(mask)]
    row = rows[where[0]]
    rest = where[1:_NAMED_ROWS]
    unnamed = len(where) - 1 - len(rest)
    if row == NO_ROW:  # a store's runs have no rows to name: how many, alone
        unnamed += len(rest)
        rest = []
    by_value: dict[str, list[str]] = {}
    for i in rest:
        by_value.setdefault(say(float(values[i])), []).append(str(rows[i]))
    parts = [
        f"{value} at row{'s' if len(at) > 1 else ''} {', '.join(at)}"
        for value, at in by_value.items()
    ]
    if unnamed:
        parts.append(f"{unnamed} more row{'s' if unnamed > 1 else ''}")
    more = f" (and {'; '.join(parts)})" if parts else ""
    return (None if row == NO_ROW else row), more


#: The range a size or a loss may take: within it, 6·N·D, powers like N**alpha (|alpha| < 2)
#: and every log stay finite in float64; outside it a value is a unit or parsing mistake.
USEFUL_RANGE = (1e-150, 1e150)


def check_range(name: str, src: str, values: Array, raw: RawTable, how: str = "") -> None:
    low, high = USEFUL_RANGE
    with np.errstate(invalid="ignore"):
        bad = np.isinf(values) | (values < low) | (values > high)
    if bad.any():
        row, more = _bad_rows(bad, raw.rows, values, format_g)
        raise DataError(
            f"{name}{how} is {format_g(values[np.flatnonzero(bad)[0]])}{more}, outside the range a fit "
            f"can use ({format_g(low)} to {format_g(high)})",
            source=raw.source,
            row=row,
            column=src,
            hint="check the unit of the column (e.g. a count written in bytes or as 1e300), "
            "or remove the row",
        )


def _not_finite(value: float) -> str:
    """A size that is not finite, as its message says it: ``missing`` for NaN."""
    return "missing" if np.isnan(value) else str(value)


def _refuse_overflow(name: str, src: str, values: Array, raw: RawTable) -> None:
    """Refuse a number written past float64's largest (1e400): it reads as inf, which a size
    is refused as and a loss taken as diverged by, while the cell says no inf (``inf`` and
    ``Infinity``, written so, hold no digit and pass to those rules)."""
    cells = raw.cells.get(src)
    if cells is None or len(cells) != len(values):
        return
    for i in np.flatnonzero(np.isinf(values)).tolist():
        text = str(cells[i]).strip()
        if any(c.isdigit() for c in text):
            raise DataError(
                f"{name} is {text}, beyond the largest number a float holds (about 1.8e308)",
                source=raw.source,
                row=raw.rows[i],
                column=src,
                hint="check the unit of the column (e.g. a count written in bytes), or fix "
                "the value, or remove the row",
            )


def validate(name: str, src: str, values: Array, raw: RawTable) -> None:
    _refuse_overflow(name, src, values, raw)
    if name in SIZES:
        bad = ~np.isfinite(values)
        if bad.any():
            row, more = _bad_rows(bad, raw.rows, values, _not_finite)
            value = values[np.flatnonzero(bad)[0]]
            raise DataError(
                f"{name} is {_not_finite(value)}{more}; every run needs a finite {name}",
                source=raw.source,
                row=row,
                column=src,
                hint="fill in the value, or remove the row",
            )
    # a NaN, inf or -inf loss is a diverged run (a tracker's inf among them), not a unit
    # slip: the outlier screen names it, and drops it with --drop-outliers
    diverged = np.isinf(values) if name == "loss" else np.zeros(values.shape, dtype=np.bool_)
    refuse_not_positive(name, src, np.where(diverged, np.nan, values), raw)
    check_range(name, src, np.where(diverged, np.nan, values), raw)


def refuse_not_positive(name: str, src: str, values: Array, raw: RawTable) -> None:
    """The rule for a value a power law takes (a size, a loss): refused at or below zero,
    naming the first row, the column and how many more (NaN passes: another rule's); a
    curve reader's params column is held to it as a run table's is.

    Raises:
        DataError: For the first value at or below zero.
    """
    bad = values <= 0  # NaN compares False
    if bad.any():
        row, more = _bad_rows(bad, raw.rows, values, format_g)
        raise DataError(
            f"{name} is {format_g(values[np.flatnonzero(bad)[0]])}{more}; {name} must be positive",
            source=raw.source,
            row=row,
            column=src,
            hint="fix the value, or remove the row; a power law needs positive values",
        )


def cell_id(cell: object, row: int) -> str:
    """The run id a cell of the run-id column gives: ``row<k>`` for a blank one (``k`` the
    number: a DataFrame's row writes its index label, ``:d`` its number)."""
    if is_missing(cell):
        return f"row{row:d}"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))  # ids that a DataFrame turned into floats
    return str(cell).strip()


def named_by_row(runs: Sequence[str], rows: Sequence[int]) -> bool:
    """Whether each run is named after its own row (``row<k>`` for the run at row ``k``),
    as :func:`run_ids` names the runs where no column does (a name that merely begins with
    ``row``, ``rowan-0``, is a name given)."""
    return len(runs) == len(rows) and all(
        run == f"row{row:d}" for run, row in zip(runs, rows, strict=True)
    )


def run_ids(raw: RawTable, run_col: str | None) -> tuple[str, ...]:
    if run_col is None:
        return tuple(f"row{r:d}" for r in raw.rows)
    ids = [cell_id(c, r) for c, r in zip(as_list(raw.cells[run_col]), raw.rows, strict=True)]
    first: dict[str, int] = {}
    for k, (run, row) in enumerate(zip(ids, raw.rows, strict=True)):
        if run in first:
            # an export saved twice into one file repeats whole rows: say so, as the fix
            # differs (delete the copy; a renamed run would be fitted twice)
            same = _same_row(raw, first[run], k)
            raise DataError(
                f"run id {run!r} appears twice, at rows {raw.rows[first[run]]} and {row}"
                + (" (the two rows are identical: a repeated row)" if same else ""),
                source=raw.source,
                row=row,
                column=run_col,
                hint=f"remove row {row}, the copy of row {raw.rows[first[run]]}"
                if same
                else "run ids must be unique: rename one, or remove the repeated row",
            )
        first[run] = k
    return tuple(ids)


def _same_row(raw: RawTable, a: int, b: int) -> bool:
    """Whether records ``a`` and ``b`` (positions) of ``raw`` hold the same cells (a blank
    and a missing value alike)."""
    for name in raw.names:
        column = raw.cells[name]
        x, y = column[a], column[b]
        if is_missing(x) and is_missing(y):
            continue
        if is_missing(x) or is_missing(y) or not _equal(x, y):
            return False
    return True


def _equal(x: object, y: object) -> bool:
    try:
        return bool(x == y)
    except (TypeError, ValueError):  # cells that compare element-wise (a list of arrays)
        return False
