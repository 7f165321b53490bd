"""Evaluations joined to a run table (``--runs``, ``read_evals(..., runs=...)``), and where
each joined record's values are in the files the user wrote: a score in the evaluations (its
line there), a size or loss in the run table (its line there). A bad value is named by the
file that holds it and its row in that file, never by a count of the joined records; what is
said of a model's loss (left out, diverged) names the run table's row with its file
(``row 3 of runs.csv``) where the loss is the run table's."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import format_columns, format_counted, join_more
from scalinglab.data import RunTable
from scalinglab.data._column_names import find_column, first_run_column, named_column
from scalinglab.data._frame_rows import FrameRow, frame_rows
from scalinglab.data._model_run import frame_model_column
from scalinglab.data._schema import RUN_COLUMNS
from scalinglab.downstream._checkpoints import join_paths
from scalinglab.downstream._evals_table import run_key
from scalinglab.downstream._frames import file_rows, read_frame

__all__ = ["Joined", "join_runs", "runs_source"]

#: How to name the run column, on the command line and in Python.
_MAP_RUN = "say which column names the runs: --map run=COLUMN (columns={'run': COLUMN} in Python)"
#: What an empty run table (--runs) should hold.
_ROWS = "one row per training run"


@dataclass(frozen=True)
class Joined:
    """Evaluations joined to a run table.

    Attributes:
        frame: One record per evaluated model: its scores and the run table's columns.
        notes: What the join decided (a run column other than ``run``, checkpoints).
        rows: Each record's row in the evaluations (a file's line, a DataFrame's label),
            or ``None`` where they have none (an lm-evaluation-harness folder).
        run_rows: Run name -> its row in the run table (its first, if named twice).
        run_columns: The columns the run table gave (the evaluations' own win a clash).
        runs: How the run table is named as the source of an error (:func:`runs_source`).
        where: The run table as its rows name it: its path, or ``the runs DataFrame``.
    """

    frame: pd.DataFrame
    notes: tuple[str, ...]
    rows: tuple[int, ...] | None
    run_rows: Mapping[str, int]
    run_columns: frozenset[str]
    runs: str
    where: str

    def named(self, table: RunTable, via: str) -> RunTable:
        """``table`` (read from :attr:`frame`) with its models named, where ``via`` (the
        loss) is the run table's, by their row there and its file (``3 of runs.csv``):
        what is said of a loss (left out, diverged) names the row that holds it."""
        if via not in self.run_columns:
            return table
        rows = tuple(
            row
            if (r := self.run_rows.get(run)) is None
            else FrameRow(int(r), f"{r} of {self.where}")
            for run, row in zip(table.runs, table.rows, strict=True)
        )
        return replace(table, rows=rows)

    def error(self, err: DataError, name: str) -> DataError:
        """``err``, raised reading :attr:`frame` (``name``: the evaluations), named by the
        run table and its row there where the value is one of its columns; a column it
        lacks (``--map params=Sizee``) is named there too. As it is otherwise."""
        said = DataError("", source=err.source, row=err.row, column=err.column).message
        missing = err.message.startswith(f"{said}no column ")
        if err.source != name or not (missing or err.column in self.run_columns):
            return err
        row = None if err.row is None or missing else self._run_row(err.row)
        message = err.message.removeprefix(said)
        return DataError(message, source=self.runs, row=row, column=err.column, hint=err.hint)

    def _run_row(self, row: int) -> int | None:
        """The run table's row of the record at ``row``: a row :meth:`named` wrote, or one
        of the evaluations' (:attr:`rows`; positions from 1 where they have none)."""
        names = [str(r) for r in self.frame["run"]]
        if isinstance(row, FrameRow):  # named: its number is the run table's row
            run = next((n for n in names if self._named(n, row)), None)
            if run is not None:
                return self.run_rows[run]
        rows = self.rows if self.rows is not None else range(1, len(names) + 1)
        at = [i for i, r in enumerate(rows) if r == row and str(r) == str(row)]
        return self.run_rows.get(names[at[0]]) if len(at) == 1 else None

    def _named(self, run: str, row: FrameRow) -> bool:
        r = self.run_rows.get(run)
        return r is not None and str(row) == f"{r} of {self.where}"


def runs_source(runs: str | os.PathLike[str] | pd.DataFrame, name: str) -> str:
    """How an error names the run table ``runs`` joined to the evaluations ``name``: the
    file that holds the losses and sizes, not the file of scores (``runs.csv (joined to
    lm-eval-output)``)."""
    where = "<DataFrame>" if isinstance(runs, pd.DataFrame) else os.fspath(runs)
    return f"{where} (joined to {name})"


def join_runs(
    evals: pd.DataFrame,
    runs: str | os.PathLike[str] | pd.DataFrame,
    name: str,
    *,
    columns: Mapping[str, str] | None = None,
    evals_run: str | None = None,
    rows: Sequence[int] | None = None,
) -> Joined:
    """The evaluations with each run's columns (params, tokens, losses) added by run name,
    the run columns found as ``fit`` finds them (``run``, ``name``, ``run_name``, ``exp_name``,
    ``run_id``, ``id``; W&B's ``Name``), or the run table's as ``--map run=COLUMN`` names it; an
    evaluated model named by a checkpoint path (``/ckpts/org/m-1b/step-5000``) is joined to
    the one run whose name is a part of that path, the latest of a run's checkpoints kept,
    with a note (:func:`~scalinglab.downstream._checkpoints.join_paths`). ``evals_run``: the
    evaluations' own run column that ``--map run=COLUMN`` named (a long table's), which the
    run table need not have: its run column is then found as ``fit`` finds it. ``rows``:
    each evaluation's row as the user finds it (:attr:`Joined.rows`)."""
    where = "<DataFrame>" if isinstance(runs, pd.DataFrame) else os.fspath(runs)
    table = runs.copy() if isinstance(runs, pd.DataFrame) else read_frame(Path(where), rows=_ROWS)
    names_r = [str(c) for c in table.columns]
    wanted = run_key(columns)
    if wanted is not None and wanted == evals_run and find_column(names_r, wanted) is None:
        wanted = None  # the evaluations' run column: the run table's found by its name
    if wanted is not None:
        key_r: str | None = named_column(
            names_r, wanted, "run ids", source=where, hint="pass an existing column"
        )
    else:
        cells = [table[c].tolist() for c in table.columns]  # else a model column, as fit's
        key_r = first_run_column(names_r, RUN_COLUMNS) or frame_model_column(names_r, cells)
    key_e = first_run_column([str(c) for c in evals.columns], RUN_COLUMNS)
    for key, source, have in ((key_r, where, names_r), (key_e, name, list(evals.columns))):
        if key is None:
            raise DataError(
                f"no run column ({', '.join(RUN_COLUMNS)}) to join the evaluations and the "
                "runs on; the columns are " + format_columns(have),
                source=source,
                hint=_MAP_RUN if source == where else "name the models in a run column",
            )
    assert key_r is not None and key_e is not None
    known = table[key_r].astype(str)
    # each run's row as the user finds it: a file's line, a DataFrame's label
    lines = (
        frame_rows(runs) if isinstance(runs, pd.DataFrame) else file_rows(Path(where), len(table))
    )
    run_rows = dict(reversed(list(zip(known, lines, strict=True))))  # a name twice: its first
    models = evals[key_e].astype(str)
    notes: list[str] = []
    if key_r != "run":
        notes.append(f"runs of {where} named by its column {key_r!r}")
    joined = join_paths(set(models), set(known), source=name)
    notes += joined.notes
    kept = ~models.isin(joined.dropped).to_numpy()  # earlier checkpoints of a run
    evals, models = evals[kept], models[kept].replace(joined.runs)
    missing = joined.missing
    if missing:
        raise DataError(
            f"{format_counted(len(missing), 'evaluated model')} not in the run table: "
            f"{join_more(missing)}",
            source=where,
            hint=f"add them to {where}, named as the evaluations name them (its runs are named "
            f"by {key_r!r}: {', '.join(list(known)[:3])}, ...)",
        )
    table = table.drop(columns=[c for c in table.columns if c == "run" and c != key_r])
    table = table.rename(columns={key_r: "run"}).assign(run=known.to_numpy())
    evals = evals.rename(columns={key_e: "run"}).assign(run=models.to_numpy())
    shared = [c for c in evals.columns if c in table.columns and c != "run"]
    table = table.drop(columns=shared)
    at = list(rows) if rows is not None else None
    at = None if at is None else [r for r, k in zip(at, kept, strict=True) if k]
    # each joined record's evaluation, by position: a run named twice there repeats it
    merged = evals.assign(_at=range(len(evals))).merge(table, on="run", how="left")
    return Joined(
        merged.drop(columns="_at"), tuple(notes),
        None if at is None else tuple(at[int(i)] for i in merged["_at"]),
        run_rows, frozenset(str(c) for c in table.columns if c != "run"),
        runs_source(runs, name), "the runs DataFrame" if isinstance(runs, pd.DataFrame) else where,
    )  # fmt: skip
