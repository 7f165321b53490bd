"""Values written with a percent sign (``26.3%``, as spreadsheets and leaderboards write an
accuracy): a column of them is read as fractions (``0.263``), with a note, as a column of
bare percentages is where evaluations are stored (``read as percent ... divided by 100``).
A size or a loss is never a percentage: for those columns the refusal says what it holds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_g
from scalinglab.data._raw import as_list
from scalinglab.data._units import is_missing, parse_cell

__all__ = [
    "percent_hint",
    "percent_note",
    "percent_span",
    "percent_value",
    "percent_values",
    "refuse_percent",
]

Array = NDArray[np.float64]


def percent_value(cell: object) -> float | None:
    """A cell written as a plain number and ``%`` (``26.3%``, ``-1 %``), as a fraction;
    ``None`` for anything else. A column of them is read so, and a ``--where`` value on it
    is (``10%`` matches the runs read from ``10%``)."""
    if not isinstance(cell, str) or not cell.strip().endswith("%"):
        return None
    parsed = parse_cell(cell.strip()[:-1])
    return None if parsed is None or parsed[1] else parsed[0] / 100.0  # never 5K%


def percent_values(cells: Sequence[object] | NDArray[np.generic]) -> Array | None:
    """The column as fractions when every value in it is written with ``%`` (blank cells
    are NaN); ``None`` otherwise, a column with none of them or a mix of both included."""
    values = as_list(cells)
    out = np.full(len(values), np.nan)
    for i, cell in enumerate(values):
        if is_missing(cell):
            continue
        fraction = percent_value(cell)
        if fraction is None:
            return None
        out[i] = fraction
    return out if np.isfinite(out).any() else None


def percent_hint(
    cells: Sequence[object] | NDArray[np.generic], target: str, option: str
) -> str | None:
    """The hint for a column of percentages read as ``target`` (a size, the loss), which
    none is, naming its first (``33.0%``) and the ``option`` that reads another column;
    ``None`` for a column without a value written with ``%``."""
    signed = next((str(c).strip() for c in as_list(cells) if percent_value(c) is not None), None)
    if signed is None:
        return None
    return (
        f"the column holds percentages ({signed}), and a {target} is none: read {target} "
        f"from another column: {option} (accuracies against the loss: scalinglab downstream "
        "fit, which reads 26.3% as 0.263)"
    )


def percent_span(fractions: Sequence[float] | Array, *, unit: str = "run") -> str:
    """How many values read in percent, and their span in percent, as every note on
    values read in percent writes them (``31 runs, 23.79% to 51.1%``; ``1 task, 25%``);
    ``fractions`` are the values read as fractions (NaN ignored), counted in ``unit``."""
    given = np.asarray(fractions, dtype=float)
    given = given[np.isfinite(given)] * 100.0
    low, high = format_g(float(given.min())), format_g(float(given.max()))
    span = f"{low}%" if low == high else f"{low}% to {high}%"
    return f"{len(given)} {unit}{'' if len(given) == 1 else 's'}, {span}"


def percent_note(
    column: str,
    fractions: Array,
    *,
    what: str | None = None,
    done: str = "read as fractions",
    why: str = "",
) -> str:
    """The note that ``column``'s values, in percent (written with ``%``, or most of them
    above 1), were read as fractions; ``what`` names them otherwise (``task 'piqa'``: a
    task's scores among long rows); ``done`` says what became of them (``stored as
    fractions``, where ingest stores them); ``why``, said after "read as percent", what
    told (``", as its name says"``)."""
    name = what or f"column {column!r}"
    return f"{name} read as percent{why} ({percent_span(fractions)}): {done} (divided by 100)"


def refuse_percent(
    cells: Sequence[object] | NDArray[np.generic],
    rows: Sequence[int],
    *,
    target: str,
    column: str,
    source: str,
    option: str,
) -> None:
    """Refuse a ``target`` column (a size, the loss) with a value written with ``%``: other
    columns read them as fractions, these never (a loss of 500% is no loss), so the first
    line says so rather than that the value is no number.

    Raises:
        DataError: Naming the first such cell, its row and :func:`percent_hint`.
    """
    hint = percent_hint(cells, target, option)
    if hint is None:
        return
    at = next(k for k, c in enumerate(as_list(cells)) if percent_value(c) is not None)
    cell = str(as_list(cells)[at]).strip()
    raise DataError(
        f"{cell!r} is a percentage, and a {target} is none (values with % are read as "
        "fractions in other columns only)",
        source=source, row=rows[at], column=column, hint=hint,
    )  # fmt: skip
