"""Evaluation tables: task accuracies next to each run's size, tokens and losses.

Two layouts are read. *Wide*: one row per run, a column per task (``acc_hellaswag`` or
``hellaswag``) and per loss (``loss_c4_val``). *Long*: one row per (run, task, metric, value),
one metric's rows (``acc``, or ``metric=``) pivoted to wide as ``acc_<task>``; its losses and
sizes from a run table joined on the run (``runs=``) or its own columns."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab._keywords import keywords_checked
from scalinglab._paths import as_path
from scalinglab.data import RunTable
from scalinglab.data._column_names import column_key, find_column, first_run_column, long_run_column
from scalinglab.data._frame_rows import frame_rows
from scalinglab.data._schema import RUN_COLUMNS
from scalinglab.data._where_args import Where, as_where
from scalinglab.downstream._chance import KNOWN_CHANCE, chance_levels, given_name, read_chance
from scalinglab.downstream._evals_scores import task_columns as score_columns
from scalinglab.downstream._evals_table import (
    JOIN,
    default_loss,
    frame_runs,
    long_names,
    loss_mapping,
    no_loss,
    removed_by_where,
    run_key,
)
from scalinglab.downstream._fractions import wide_fractions
from scalinglab.downstream._frames import check_metric, file_rows, named_tasks
from scalinglab.downstream._frames import read_frame as _read_frame
from scalinglab.downstream._joined import Joined, join_runs, runs_source
from scalinglab.downstream._lmeval import is_lm_eval, lm_eval_files, lm_eval_scores, lm_eval_wide
from scalinglab.downstream._long import pivot_long
from scalinglab.downstream._metric_rule import Scored
from scalinglab.downstream._noise import KNOWN_EXAMPLES, lm_eval_examples, read_examples
from scalinglab.downstream._task_names import builtin_for, suite_task

__all__ = ["KNOWN_CHANCE", "Evals", "read_chance", "read_evals"]


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
        notes: What reading them decided: scores several harness files gave, the metric
            read where a task has several, models left out (no usable loss, or diverged).
        left_out: Task -> why, for each task the reader left out for want of the metric
            asked for (``"no acc_norm for piqa (--metric acc reads it)"``).
    """

    runs: RunTable
    tasks: tuple[str, ...]
    columns: Mapping[str, str]
    chance: Mapping[str, float] = field(default_factory=dict)
    source: str = "<DataFrame>"
    via: str = "loss"
    examples: Mapping[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    left_out: Mapping[str, str] = field(default_factory=dict)

    def accuracy(self, task: str) -> np.ndarray:
        """Accuracy of every run on a task.

        Args:
            task: The task, as :meth:`task` reads a name.

        Returns:
            One accuracy per run, in the runs' order.
        """
        return self.runs[self.columns[self.task(task)]]

    def task(self, name: str) -> str:
        """The task ``name`` names here: a task, its column (``acc_mytask`` for ``mytask``,
        as the file spells it), or the one suite name holding it (``harness|hellaswag|10``
        for ``hellaswag``); a :class:`ConfigError` listing the tasks if none (or several).

        Args:
            name: A task, a task's column, or a task inside one suite name.

        Returns:
            The task's name here.
        """
        if name in self.columns:
            return name
        by_column = [t for t, c in self.columns.items() if c == name]
        if by_column:
            return by_column[0]
        return suite_task(name, self.tasks, source=self.source, why=self.left_out.get(name))

    def __repr__(self) -> str:  # the run table and its columns would fill a notebook
        return (
            f"Evals({len(self.runs)} models from {self.source!r}, {format_counted(len(self.tasks), 'task')}, "
            f"via={self.via!r})"
        )

    def where(
        self, column: str | None = None, value: str | None = None, /, **named: object
    ) -> Evals:
        """The evaluations of the runs whose text column ``column`` is ``value`` (one
        training corpus, say: a chain holds for one training distribution), as
        :meth:`RunTable.where <scalinglab.RunTable.where>` selects them (and refuses;
        ``column`` and ``value`` positional only: a keyword names any text column).

        Args:
            column: The text column (or ``run``), with ``value``.
            value: The value the runs kept have in ``column``.
            **named: More conditions, ``column=value`` each.

        Returns:
            New evaluations of the runs kept.
        """
        return replace(self, runs=self.runs.where(column, value, **named))

    def select(self, mask: np.ndarray) -> Evals:
        """The evaluations of the runs where ``mask`` holds.

        Args:
            mask: A boolean array with one entry per run.

        Returns:
            New evaluations of the runs kept.
        """
        return replace(self, runs=self.runs.select(mask))


@keywords_checked("scalinglab.read_evals")
def read_evals(
    source: str | os.PathLike[str] | pd.DataFrame,
    *,
    loss: str | None = None,
    tasks: Sequence[str] | str | None = None,
    chance: Mapping[str, float] | str | os.PathLike[str] | None = None,
    percent: bool = False,
    runs: str | os.PathLike[str] | pd.DataFrame | None = None,
    metric: str = "acc",
    columns: Mapping[str, str] | None = None,
    where: Where | None = None,
    drop_outliers: bool = False,
) -> Evals:
    """Read an evaluation table (wide or long) into :class:`Evals`.

    Args:
        source: A CSV/Parquet/JSONL file, lm-evaluation-harness results (a
            ``results*.json`` file or a folder of them), or a DataFrame.
        loss: The loss column the chain goes through (``loss_c4_val``); default the column
            ``fit`` reads as the loss (``loss``, ``val_loss``, ...), else the first
            ``loss_*`` column (recorded in the run table's notes).
        tasks: Task names or columns to keep, or one string as ``--tasks`` takes it
            (``"piqa"``, ``"piqa,arc_easy"``, ``"all"``); default every task of ``metric``.
        chance: Task -> chance accuracy, or a CSV of them (see :func:`read_chance`); tasks
            in :data:`KNOWN_CHANCE` need none. Levels are fractions; levels above 1 are
            read as percent (``25`` is 0.25), with a note, as a chance file's are.
        percent: Every accuracy is in percent (0–100); they are divided by 100. Without
            it each column (each task of long rows) is judged by its values: one whose
            values are mostly above 1 and none above 100 is read as percent, with a note,
            as ``ingest`` judges a tracker's metrics.
        runs: A run table (params, tokens, losses) joined to the evaluations on the run
            names (its run column as ``fit`` finds it: ``run``, ``name``, ``run_name``,
            ``exp_name``, ``run_id``, ``id``); needed for lm-evaluation-harness results, which hold no
            sizes.
        metric: The metric read as accuracy: ``acc`` or ``acc_norm`` (a wide table's
            ``acc_<task>`` or ``acc_norm_<task>`` columns; a table of one metric needs
            none); never a standard error (``acc_stderr``).
        columns: Target name -> column, as :func:`scalinglab.read_runs` takes it
            (``{"tokens": "train_tokens", "run": "Name"}``; ``run`` names the run table's
            run column when ``runs`` is given).
        where: Only the models with these text values (one training corpus), kept
            before the models are screened for divergence, in the forms
            :func:`scalinglab.fit` takes: ``{"dataset": "c4"}``, ``(column, value)``
            pairs, one pair, or ``"dataset=c4"``; recorded as the chain's
            :attr:`DownstreamFit.where <scalinglab.downstream.DownstreamFit.where>`.
        drop_outliers: Leave out the models whose loss looks diverged, as ``fit`` does;
            without it they are kept with a note. A model without a usable loss (NaN) is
            left out with a note either way.

    Returns:
        An :class:`~scalinglab.downstream.Evals`: the runs with their task accuracies,
        the chance level of each task and the loss column the chain goes through (``.via``).

    Raises:
        DataError: Accuracies outside [0, 1] (a value in percent among fractions, or a
            fraction among percentages, named by its row; ``percent`` on fractions), a
            missing loss column, no task columns, a standard error as ``metric``.
        ConfigError: A ``where`` in none of its forms (the message names them); a
            ``chance`` level above 100, or percentages mixed with fractions in it.
    """
    where = as_where(where)  # fit(where=...)'s forms, refused as it refuses them
    asked = named_tasks(tasks)  # "piqa,arc_easy" and "all" as fit_downstream reads them
    name = (  # a DataFrame, else a path: 5 or a list is refused, naming source=
        "<DataFrame>" if isinstance(source, pd.DataFrame)
        else os.fspath(as_path(source, option="source", example="'evals.csv'", frame=True))
    )  # fmt: skip
    check_metric(metric, name)
    mapping = loss_mapping(columns, loss)
    rows = None  # each record's row as the user finds it: a file's line, a frame's label
    lm_eval = not isinstance(source, pd.DataFrame) and is_lm_eval(Path(name))
    notes: list[str] = []
    scored: Scored | None = None  # a long source's scores: its tasks left out, and why
    if isinstance(source, pd.DataFrame):
        frame, rows = source.copy(), frame_rows(source)
    elif lm_eval:
        if runs is None:
            lm_eval_files(name)  # a folder of none is said to be: not that it lacks counts
            raise DataError(
                "lm-evaluation-harness results hold no parameter or token counts",
                source=name,
                hint="give the run table to join them to (--runs runs.csv, with a run column "
                "naming each model as the harness does)",
            )
        scores = lm_eval_scores(name)
        frame, notes, scored = lm_eval_wide(scores.frame, metric, name, percent=percent)
        notes = [*scores.notes, *notes]
    else:
        frame = _read_frame(Path(name))
        rows = file_rows(Path(name), len(frame))
    own = [str(c) for c in frame.columns]  # the file's, named where it has no loss
    long_key = None if lm_eval else long_run_column(own, run=run_key(mapping))
    long = long_key is not None
    joined = JOIN if runs is None and long else ""
    taken = None  # the evaluations' run column that --map run= named
    join: Joined | None = None  # the run table's (--runs): where its values are
    if long_key is not None:  # name, model (--map run=model): read as run, task, metric, value
        frame, taken = long_names(frame, long_key), find_column(own, run_key(mapping) or "")
        if taken is not None and runs is None:  # read: no run table's column to name
            mapping = {k: v for k, v in mapping.items() if column_key(k) not in RUN_COLUMNS}
    if long:  # its scores read as fractions by their rows: then each run's first row
        frame, said, scored, rows = pivot_long(frame, metric, name, percent=percent, rows=rows)
        notes += said
    read = set(frame.columns) if long or lm_eval else set()  # as fractions, task by task
    if runs is not None:
        join = join_runs(frame, runs, name, columns=mapping, evals_run=taken, rows=rows)
        frame, rows, notes = join.frame, join.rows, [*notes, *join.notes]
        mapping = {k: v for k, v in mapping.items() if column_key(k) not in RUN_COLUMNS}
    if scored is not None:  # a task asked for that is there, without the metric: say so
        scored.refuse_asked(asked, name)
    # a pivoted table holds acc_<task> of the chosen metric already
    joined_own = own if runs is not None else None  # what the file looks like: its own
    read_as = "acc" if long or lm_eval else metric
    task_columns, said, wide_left = score_columns(frame, asked, name, read_as, own=joined_own)
    notes += said
    key = first_run_column([str(c) for c in frame.columns], RUN_COLUMNS)
    labels = list(frame[key].astype(str)) if key is not None else None
    fresh = [c for c in task_columns.values() if c not in read]
    frame, said = wide_fractions(frame, fresh, name, percent=percent, rows=rows, runs=labels)
    notes += said
    losses_in = name if runs is None else runs_source(runs, name)  # a --runs table's losses
    via = mapping.pop("loss", None) or default_loss(
        frame, losses_in, joined, shown=own if joined else None
    )
    if via not in frame.columns:
        raise no_loss(frame, via, losses_in, joined)
    if via != "loss":
        frame = frame.drop(columns=[c for c in ("loss",) if c in frame.columns])
    try:
        table, said = frame_runs(
            frame, source=name, via=via, rows=rows, columns=mapping, where=where,
            drop_outliers=drop_outliers, name_rows=None if join is None else join.named,
        )  # fmt: skip
    except DataError as err:  # a run table's value (or a column it lacks): named there
        raise (err if join is None else join.error(err, name)) from None
    notes += said
    left = dict(wide_left)
    if scored is not None:  # said of the models --where kept
        removed = removed_by_where(labels, table) if where else ()
        long_left, said = scored.left_out(removed, tuple(task_columns))
        notes, left = notes + said, long_left | left
    levels, said = chance_levels(task_columns, chance)
    notes += said
    sizes: dict[str, float] = dict(KNOWN_EXAMPLES)
    given = read_examples(chance) if isinstance(chance, str | os.PathLike) else {}
    sizes.update({t: given[k] for t in task_columns if (k := given_name(given, t)) is not None})
    if lm_eval:  # its own counts first
        sizes.update(lm_eval_examples(lm_eval_files(name)))
    n = {t: float(sizes[t]) for t in task_columns if t in sizes}
    n |= {t: v[0] for t in task_columns if t not in n and (v := builtin_for(KNOWN_EXAMPLES, t))}
    notes = list(dict.fromkeys(notes))  # once each: a joined run table's said again, say
    return Evals(table, tuple(task_columns), task_columns, levels, name, via, n, tuple(notes), left)
