"""Each curve's model size: a params column of the curves, or a run table given with them
(``envelope curves.csv --runs runs.csv``; ``read_curves(..., runs=...)``). Given both, they
must agree: a run table that says another size than the curves' own column is refused,
naming the run, rather than silently preferred.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_counted, format_g
from scalinglab.data._column_names import find_column
from scalinglab.data._curve_columns import CURVE_ALIASES
from scalinglab.data._plain_numbers import read_numbers
from scalinglab.data._raw import refuse_not_positive
from scalinglab.data._schema import RawTable
from scalinglab.data._table import RunTable

__all__ = ["AGREE", "curve_params", "split_columns"]

Array = NDArray[np.float64]

#: A run table's size and the curves' own agree within this factor (a count rounded to a
#: few digits, 124M for 124,439,808); beyond it one of them is wrong, and which is not known.
AGREE = 1.05


#: The columns a mapping names in a runs file too (its run ids and sizes).
_RUNS_KEYS = ("run", "params")


def split_columns(
    names: Sequence[str],
    columns: Mapping[str, str],
    runs: RunTable | Mapping[str, float] | str | os.PathLike[str] | None,
) -> tuple[dict[str, str], dict[str, str]]:
    """The mapping of the curves of columns ``names``, and that of a runs file beside them:
    ``run=`` and ``params=`` name the runs file's columns too, where it has them (``--map
    params=n_params --runs runs.csv``), and a run or params column the curves lack is the
    runs file's alone (:func:`curve_params` refuses it where that lacks it too): in a
    folder of one file per run, the run is the file's name and ``run=`` the runs file's
    column that names it."""
    if not isinstance(runs, str | os.PathLike):  # no file: the mapping is the curves'
        return dict(columns), {}
    own = {
        k: v for k, v in columns.items() if k not in _RUNS_KEYS or find_column(names, v) is not None
    }
    return own, {k: v for k, v in columns.items() if k in _RUNS_KEYS}


def _run_table(
    runs: RunTable | Mapping[str, float] | str | os.PathLike[str],
    columns: Mapping[str, str],
    required: Sequence[str],
) -> tuple[dict[str, float], str]:
    """``{run id: params}`` and where it came from: a run table, a mapping, or a file of
    which only the run and params columns are read (``columns``: as
    :func:`~scalinglab.data._run_params.read_run_params` takes them)."""
    if isinstance(runs, str | os.PathLike):
        from scalinglab.data._run_params import read_run_params

        return read_run_params(runs, columns=columns, required=required), os.fspath(runs)
    if isinstance(runs, RunTable):
        return dict(zip(runs.runs, runs["params"], strict=True)), runs.source
    return dict(runs), "the run table"


def _first_of_run(ids: Sequence[str]) -> tuple[list[str], NDArray[np.intp], NDArray[np.intp]]:
    """The distinct runs in order of first appearance, each point's run as an index into
    them, and each run's first point: the grouping done once per file, not per point."""
    index = {run: k for k, run in enumerate(dict.fromkeys(ids))}
    codes = np.fromiter(map(index.__getitem__, ids), dtype=np.intp, count=len(ids))
    first = np.unique(codes, return_index=True)[1]  # codes count up as runs first appear
    return list(index), codes, first


def _own(
    raw: RawTable, column: str, ids: Sequence[str]
) -> tuple[dict[str, tuple[float, int]], Array]:
    """Each run's size in the curves' own params column, with the row it was first read at,
    and each point's run's size.

    Raises:
        DataError: For a run given two sizes, naming the row of the second.
    """
    values, _ = read_numbers(raw, column, quantity="params")  # 70M params, as a run table
    refuse_not_positive("params", column, values, raw)  # as a run table's, before two sizes
    runs, codes, first = _first_of_run(ids)
    seen = values[first][codes]  # each point's run's first size (NaN where that is missing)
    bad = np.flatnonzero((seen != values) & ~np.isnan(values))
    if bad.size:
        at = int(bad[0])
        raise DataError(
            f"run {ids[at]!r} has two parameter counts, {format_g(seen[at])} and {format_g(values[at])}",
            source=raw.source,
            row=raw.rows[at],
            column=column,
            hint="a run has one size: fix the value, or give each size its own run id",
        )
    sizes = {run: (float(values[k]), raw.rows[k]) for run, k in zip(runs, first, strict=True)}
    return sizes, seen


def curve_params(
    raw: RawTable,
    chosen: Mapping[str, str],
    ids: Sequence[str],
    runs: RunTable | Mapping[str, float] | str | os.PathLike[str] | None,
    *,
    columns: Mapping[str, str] | None = None,
) -> tuple[Array, str]:
    """Each point's model size, and a note on where it came from (``""``: the curves' own);
    ``columns``: the runs file's mapping (:func:`split_columns`), of which a params column
    the curves did not read must be in the runs file.

    Raises:
        DataError: No size for a run, none at all, a run of two sizes, or a run table whose
            size for a run disagrees with the curves' params column beyond :data:`AGREE`.
    """
    own, own_sizes = _own(raw, chosen["params"], ids) if "params" in chosen else (None, None)
    if runs is None:
        if own_sizes is None:
            raise DataError(
                "no params column and no run table: the envelope needs each run's size N "
                f"(looked for {', '.join(CURVE_ALIASES['params'])})",
                source=raw.source,
                hint="add a params column, map one (--map params=COLUMN), or pass --runs RUNS",
            )
        return own_sizes, ""
    theirs = dict(columns or {})
    # a run or params column the curves lack must be the runs file's
    required = [k for k in _RUNS_KEYS if k in theirs and find_column(raw.names, theirs[k]) is None]
    table, where = _run_table(runs, theirs, required)
    missing = [r for r in dict.fromkeys(ids) if r not in table]
    if missing:
        raise DataError(
            f"run {missing[0]!r} has no parameter count in {where}"
            + (
                f" (nor {format_counted(len(missing) - 1, 'other run')})"
                if len(missing) > 1
                else ""
            ),
            source=raw.source,
            row=raw.rows[list(ids).index(missing[0])],
            column=chosen["run"],
            hint="add the run to the run table, or give a params column in the curves",
        )
    for run, (value, row) in (own or {}).items():
        given = float(table[run])
        if not math.isnan(value) and max(value, given) > AGREE * min(value, given):
            raise DataError(
                f"run {run!r} has params {format_g(value)} in the curves but {format_g(given)} in {where}: "
                "which is its size?",
                source=raw.source,
                row=row,
                column=chosen["params"],
                hint="fix the one that is wrong, or drop one source of sizes (the run "
                "table, or the curves' params column)",
            )
    said = f"params of each run read from {where}"
    if own is not None:
        said += f" (within {AGREE - 1:.0%} of the curves' column {chosen['params']!r})"
    runs_in, codes, _ = _first_of_run(ids)
    return np.array([float(table[r]) for r in runs_in])[codes], said
