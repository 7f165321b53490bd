"""On curve files ``--where`` chooses runs, whole curves, never points of them: a
comparison on a column logged at each point (``step<1000``, ``loss<3``, ``lr>1e-4``) would
keep part of each curve and fit the rest as if it were the whole, so it is refused.

A column is logged per point when the reader reads it as a curve's step, loss or lr (by
that name or the file's own: ``--map loss=eval_loss``), or when its numbers differ within
one run (``tokens``, ``wallclock``). A number of one value per run (``params``,
``seq_len``, a run's total ``tokens``) is a run's, which a comparison may choose by.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._compare import Compared, compared
from scalinglab.data._raw import RawTable
from scalinglab.data._units import parse_values

__all__ = ["point_columns", "refuse_point_columns"]


def _varies(raw: RawTable, column: str, runs: Sequence[str]) -> bool:
    """Whether the numbers of ``column`` differ within one run of ``raw`` (``runs``: each
    row's); text, or a cell that is no number, says nothing (the comparison's own error
    says so)."""
    try:
        values, _ = parse_values(raw.cells[column], raw.rows, source=raw.source, column=column)
    except DataError:  # text: no number to compare; the comparison refuses it
        return False
    first: dict[str, float] = {}
    for run, value in zip(runs, values, strict=True):
        if np.isfinite(value) and first.setdefault(run, value) != value:
            return True
    return False


def _per_point(
    said: Compared,
    raws: Sequence[RawTable],
    logged: Callable[[RawTable], dict[str, str]],
    runs: Sequence[Sequence[str]],
) -> bool:
    for raw, names in zip(raws, runs, strict=True):
        read = logged(raw)  # {"loss": "eval_loss"}: either name is the loss
        if said.column in {*read, *read.values()}:
            return True
        if said.column in raw.names and _varies(raw, said.column, names):
            return True
    return False


def point_columns(
    logged: Callable[[RawTable], dict[str, str]], run_column: Callable[[RawTable], str | None]
) -> Callable[[RawTable], set[str]]:
    """The columns of a table logged per point (read as step, loss or lr, by either name, or
    changing within a run: ``run_column`` gives the table's), which no comparison may use."""

    def columns(raw: RawTable) -> set[str]:
        read = logged(raw)
        column = run_column(raw)
        runs = [str(c) for c in raw.cells[column]] if column else [""] * len(raw.rows)
        return {*read, *read.values(), *(c for c in raw.names if _varies(raw, c, runs))}

    return columns


def refuse_point_columns(
    where: Sequence[tuple[str, str]],
    raws: Sequence[RawTable],
    *,
    logged: Callable[[RawTable], dict[str, str]],
    runs: Sequence[Sequence[str]],
    source: str,
) -> None:
    """Refuse a comparison of ``where`` on a column the curves of ``raws`` log per point.

    Args:
        where: The ``--where`` conditions.
        raws: The curve tables read.
        logged: The columns of a table the reader reads as step, loss and lr: the
            file's name of each, by what it is read as.
        runs: The run of each row, per table.
        source: The files given, named in the message.

    Raises:
        ConfigError: Naming the column, and that ``--where`` chooses whole runs.
    """
    for column, value in where:
        said = compared(column, value)
        if said is None or not _per_point(said, raws, logged, runs):
            continue
        raise ConfigError(
            f"--where {str(said)!r}: {said.column!r} is logged at each point of the curves "
            f"of {source}, and --where chooses runs (whole curves): it would cut points out "
            "of them",
            hint="compare a number of one value per run ('params>=2e7'), or choose runs by a "
            "text column (--where dataset=c4); to fit part of each curve, keep those rows "
            "of the file alone",
        )
