"""Evaluation tables: task accuracies next to each run's size, tokens and losses.

Two layouts are read. *Wide*: one row per run, a column per task (``acc_hellaswag`` or
``hellaswag``) and per loss (``loss_c4_val``). *Long*: one row per (run, task, metric, value);
the rows of one metric (``acc``, or ``metric=``) are pivoted to wide as ``acc_<task>``, and its
losses and sizes come from a run table joined on the run (``runs=``) or from its own columns.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab.data import RunTable
from scalinglab.downstream._frames import LONG, file_rows, frame_runs, pivot_long
from scalinglab.downstream._frames import read_frame as _read_frame
from scalinglab.downstream._lmeval import is_lm_eval, lm_eval_files, read_lm_eval
from scalinglab.downstream._noise import KNOWN_EXAMPLES, lm_eval_examples, read_examples

__all__ = ["KNOWN_CHANCE", "Evals", "read_chance", "read_evals"]

#: Random-chance accuracy of common tasks (answer options of multiple-choice tasks; 0 for
#: generation tasks). Tasks not here take their level from ``chance=`` or stay unknown.
KNOWN_CHANCE: Mapping[str, float] = {
    "hellaswag": 0.25, "hellaswag_zeroshot": 0.25, "arc_easy": 0.25, "arc_challenge": 0.25,
    "mmlu": 0.25, "mmlu_zeroshot": 0.25, "openbook_qa": 0.25, "openbookqa": 0.25,
    "commonsense_qa": 0.2, "piqa": 0.5, "winogrande": 0.5, "winograd": 0.5, "boolq": 0.5,
    "copa": 0.5, "siqa": 1 / 3, "social_iqa": 1 / 3, "lambada_openai": 0.0, "lambada": 0.0,
    "sciq": 0.25, "coqa": 0.0, "squad": 0.0, "jeopardy": 0.0, "triviaqa": 0.0, "gsm8k": 0.0,
}  # fmt: skip


@dataclass(frozen=True)
class Evals:
    """Runs with their task accuracies.

    Attributes:
        runs: The run table; every task's accuracy is one of its columns.
        tasks: Task names, in the order of the source.
        columns: Each task's column in :attr:`runs`.
        chance: Each task's random-chance accuracy (NaN where unknown).
        source: Where the evaluations came from.
        via: The source column read as the runs' ``loss`` (the loss a chain goes through).
        examples: Each task's number of examples, where known (its evaluation noise).
    """

    runs: RunTable
    tasks: tuple[str, ...]
    columns: Mapping[str, str]
    chance: Mapping[str, float] = field(default_factory=dict)
    source: str = "<DataFrame>"
    via: str = "loss"
    examples: Mapping[str, float] = field(default_factory=dict)

    def accuracy(self, task: str) -> np.ndarray:
        """Accuracy of every run on ``task``."""
        return self.runs[self.columns[self.task(task)]]

    def task(self, name: str) -> str:
        """``name`` if it is a task here; a :class:`ConfigError` listing the tasks if not."""
        if name in self.columns:
            return name
        raise ConfigError(
            f"unknown task {name!r} in {self.source}",
            hint="the tasks are " + ", ".join(self.tasks),
        )

    def __repr__(self) -> str:  # the run table and its columns would fill a notebook
        return (
            f"Evals({len(self.runs)} models from {self.source!r}, {len(self.tasks)} tasks, "
            f"via={self.via!r})"
        )

    def where(self, column: str, value: str) -> Evals:
        """The evaluations of the runs whose text column ``column`` is ``value`` (one
        training corpus, say: a chain holds for one training distribution), as
        :meth:`RunTable.where <scalinglab.RunTable.where>` selects them."""
        return replace(self, runs=self.runs.where(column, value))

    def select(self, mask: np.ndarray) -> Evals:
        """The evaluations of the runs where ``mask`` holds."""
        return replace(self, runs=self.runs.select(mask))


def read_evals(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    loss: str | None = None,
    tasks: Sequence[str] | None = None,
    chance: Mapping[str, float] | str | os.PathLike[str] | None = None,
    percent: bool = False,
    runs: str | os.PathLike[str] | pd.DataFrame | None = None,
    metric: str = "acc",
) -> Evals:
    """Read an evaluation table (wide or long) into :class:`Evals`.

    Args:
        source: A CSV/Parquet/JSONL file or a DataFrame.
        loss: The loss column the chain goes through (``loss_c4_val``); default ``loss``,
            else the first ``loss_*`` column (recorded in the run table's notes).
        tasks: Task names or columns to keep; default every ``acc_*`` column.
        chance: Task -> chance accuracy, or a CSV of them (see :func:`read_chance`); tasks
            in :data:`KNOWN_CHANCE` need none.
        percent: The accuracies are in percent (0–100); they are divided by 100.
        runs: A run table (params, tokens, losses) joined to the evaluations on the run id
            (``run`` or ``name``); needed for lm-evaluation-harness results, which hold no
            sizes.
        metric: For lm-evaluation-harness results and long tables, the metric read as
            accuracy (``acc`` or ``acc_norm``; a long table of one metric needs none).

    Raises:
        DataError: Accuracies outside [0, 1] (or, unannounced, in percent), a missing loss
            column, no task columns.
    """
    name = "<DataFrame>" if isinstance(source, pd.DataFrame) else os.fspath(source)
    rows = None  # the frame's records as its file numbers them (a DataFrame's: from 1)
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    elif is_lm_eval(Path(name)):
        frame = read_lm_eval(name, metric=metric)
        if runs is None:
            raise DataError(
                "lm-evaluation-harness results hold no parameter or token counts",
                source=name,
                hint="give the run table to join them to (--runs runs.csv, with a run column "
                "naming each model as the harness does)",
            )
    else:
        frame = _read_frame(Path(name))
        rows = file_rows(Path(name), len(frame))
    joined = "" if runs is not None else _JOIN if set(LONG) <= set(frame.columns) else ""
    if set(LONG) <= set(frame.columns):
        frame, rows = pivot_long(frame, metric, name), None  # a run's several lines
    if runs is not None:
        frame, rows = _join(frame, runs, name), None
    task_columns = _task_columns(frame, tasks, name)
    for column in task_columns.values():
        frame[column] = _accuracy(frame[column], column, name, percent=percent)
    via = loss or _default_loss(frame, name, joined)
    if via not in frame.columns:
        losses = [c for c in frame.columns if str(c).startswith("loss")]
        raise DataError(
            f"no loss column {via!r}; the loss columns are {', '.join(losses) or 'none'}",
            source=name,
            hint=joined or "choose one with --via COLUMN (read_evals(..., loss=COLUMN))",
        )
    if via != "loss":
        frame = frame.drop(columns=[c for c in ("loss",) if c in frame.columns])
    table = frame_runs(frame, source=name, via=via, rows=rows)
    levels = dict.fromkeys(task_columns, math.nan)
    given = read_chance(chance) if isinstance(chance, str | os.PathLike) else dict(chance or {})
    for task in task_columns:
        levels[task] = float(given.get(task, KNOWN_CHANCE.get(task, math.nan)))
    sizes: dict[str, float] = dict(KNOWN_EXAMPLES)
    sizes.update(read_examples(chance) if isinstance(chance, str | os.PathLike) else {})
    if not isinstance(source, pd.DataFrame) and is_lm_eval(Path(name)):  # its own counts first
        sizes.update(lm_eval_examples(lm_eval_files(name)))
    n = {t: float(sizes[t]) for t in task_columns if t in sizes}
    return Evals(table, tuple(task_columns), task_columns, levels, name, via, n)


def read_chance(path: str | os.PathLike[str]) -> dict[str, float]:
    """Chance levels from a CSV: a task column (``task`` or ``Eval Task``) and a level column
    (``chance`` or ``Random baseline``); levels above 1 are read as percent."""
    frame = _read_frame(Path(path))
    task = next((c for c in ("task", "Eval Task") if c in frame.columns), None)
    level = next((c for c in ("chance", "Random baseline") if c in frame.columns), None)
    if task is None or level is None:
        raise DataError(
            "a chance file needs a task column ('task') and a level column ('chance')",
            source=os.fspath(path),
        )
    values = pd.to_numeric(frame[level], errors="coerce").to_numpy(dtype=float)
    scale = 100.0 if np.nanmax(values) > 1 else 1.0
    return {str(t): float(v) / scale for t, v in zip(frame[task], values, strict=True)}


def _join(
    evals: pd.DataFrame, runs: str | os.PathLike[str] | pd.DataFrame, name: str
) -> pd.DataFrame:
    """The evaluations with each run's columns (params, tokens, losses) added by run id."""
    where = "<DataFrame>" if isinstance(runs, pd.DataFrame) else os.fspath(runs)
    table = runs.copy() if isinstance(runs, pd.DataFrame) else _read_frame(Path(where))
    key_e = next((c for c in ("run", "name", "run_id") if c in evals.columns), None)
    key_r = next((c for c in ("run", "name", "run_id") if c in table.columns), None)
    if key_e is None or key_r is None:
        bad = where if key_r is None else name
        raise DataError("no run column (run, name or run_id) to join on", source=bad)
    missing = sorted(set(evals[key_e].astype(str)) - set(table[key_r].astype(str)))
    if missing:
        raise DataError(
            f"{len(missing)} evaluated model(s) not in the run table: {', '.join(missing[:5])}",
            source=where,
            hint=f"add them to {where}, named as the evaluations name them",
        )
    table = table.rename(columns={key_r: "run"}).assign(run=lambda t: t["run"].astype(str))
    evals = evals.rename(columns={key_e: "run"}).assign(run=lambda t: t["run"].astype(str))
    shared = [c for c in evals.columns if c in table.columns and c != "run"]
    return evals.merge(table.drop(columns=shared), on="run", how="left")


def _task_columns(frame: pd.DataFrame, tasks: Sequence[str] | None, name: str) -> dict[str, str]:
    available = {str(c)[4:]: str(c) for c in frame.columns if str(c).startswith("acc_")}
    if tasks is None or list(tasks) == ["all"]:
        if not available:
            raise DataError(
                "no task columns (acc_<task>)", source=name, hint="name them acc_<task>"
            )
        return available
    out: dict[str, str] = {}
    for task in tasks:
        if task in available:
            out[task] = available[task]
        elif task in frame.columns:
            out[task.removeprefix("acc_")] = task
        else:
            raise ConfigError(
                f"unknown task {task!r} in {name}",
                hint="the tasks are " + (", ".join(available) or "none (no acc_<task> columns)"),
            )
    return out


def _accuracy(values: pd.Series, column: str, name: str, *, percent: bool) -> pd.Series:
    numeric = pd.to_numeric(values, errors="coerce")
    bad = numeric.isna() & values.notna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataError(
            f"not a number: {values.iloc[row]!r}", source=name, row=row + 2, column=column
        )
    if percent:
        numeric = numeric / 100.0
    outside = (numeric < 0) | (numeric > 1)
    if outside.any():
        row = int(np.flatnonzero(outside.to_numpy())[0])
        in_percent = not percent and bool(((numeric >= 0) & (numeric <= 100)).all())
        raise DataError(
            f"accuracy {numeric.iloc[row]:g} is outside [0, 1]"
            + ("; the column looks like percent" if in_percent else ""),
            source=name,
            row=row + 2,
            column=column,
            hint="pass --percent (percent=True) for accuracies in percent"
            if in_percent
            else "accuracies are fractions correct, between 0 and 1",
        )
    return numeric


#: Where the losses and sizes of long evaluations are: a run table joined to them.
_JOIN = (
    "long evaluations (run, task, metric, value) hold scores only: give the run table with "
    "their losses, params and tokens, --runs runs.csv (read_evals(..., runs=...)), joined on "
    "the run names"
)


def _default_loss(frame: pd.DataFrame, name: str, hint: str = "") -> str:
    """The loss a chain goes through by default; ``hint`` (when given) says where it is."""
    if "loss" in frame.columns:
        return "loss"
    losses = [str(c) for c in frame.columns if str(c).startswith("loss_")]
    if not losses:
        raise DataError(
            "no loss column (loss or loss_<set>)",
            source=name,
            hint=hint
            or "add the runs' validation loss, or choose one with --via COLUMN "
            "(read_evals(..., loss=COLUMN))",
        )
    return losses[0]
