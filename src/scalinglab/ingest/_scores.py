"""Evaluation scores among a tracker's metrics (W&B summary columns and MLflow metrics named
like tasks) and a run table's columns, stored as evaluations of the run that logged them.

A metric is a score when its name says task and metric:

* ``<task>/<metric>`` with any prefix (``hellaswag/acc``, ``eval/piqa/acc_norm``): what
  lm-evaluation-harness's W&B logger writes (``,none`` filters dropped), and the usual way
  to log scores from a training loop;
* ``acc_<task>`` / ``acc_norm_<task>`` (``acc_stderr_<task>``, ...): the wide evaluation
  tables' names, read as ``downstream`` reads them;
* a task with a known chance level (``hellaswag``) alone: its accuracy.

``<metric>`` is one of :data:`EVAL_METRICS`, so ``train/loss`` or ``eval/acc`` (no task) are
never read as scores.

The store holds fractions correct, as ``downstream`` reads them. A tracker's metric logged in
percent (most of its values above 1, none above 100) is divided by 100, with its standard
error, and a note says so (:func:`as_fractions`): per metric, since one export can hold both
(``hellaswag/acc`` in percent, ``piqa/acc`` as fractions). Anything else outside [0, 1] is
refused as the evaluation readers refuse it, naming the metric and the run.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeGuard

import pandas as pd

from scalinglab.data._percent import percent_note

if TYPE_CHECKING:
    from scalinglab.ingest._convert import Converted
    from scalinglab.ingest._source import Source

__all__ = [
    "EVAL_METRICS",
    "FRACTION_METRICS",
    "as_fractions",
    "score_name",
    "source_scores",
    "table_scores",
    "tracker_scores",
]

#: Metric names read as evaluation scores.
EVAL_METRICS = (
    "acc", "acc_norm", "acc_stderr", "acc_norm_stderr", "exact_match", "f1", "mc1", "mc2",
    "brier_score",
)  # fmt: skip
#: Those that are fractions correct (a tracker may log them in percent).
FRACTION_METRICS = ("acc", "acc_norm", "exact_match", "f1", "mc1", "mc2")
_NOT_TASKS = {"eval", "evals", "train", "val", "valid", "validation", "test", "metrics", ""}


def score_name(name: str) -> tuple[str, str] | None:
    """``(task, metric)`` for a metric name that is an evaluation score, else ``None``."""
    from scalinglab.downstream import KNOWN_CHANCE
    from scalinglab.downstream._evals_scores import wide_score

    if "/" in name:
        *head, last = name.split("/")
        metric, _, filt = last.partition(",")
        task = head[-1] if head else ""
        if metric in EVAL_METRICS and task.lower() not in _NOT_TASKS:
            return task, metric if filt in ("", "none") else f"{metric},{filt}"
        return None
    # the wide tables' rule: acc_norm_piqa is not acc of norm_piqa; Acc_PIQA is acc of piqa,
    # regardless of case, as downstream reads a table (scores_by_task)
    found = wide_score(name.lower())
    if found is not None:
        return found
    return (name, "acc") if name in KNOWN_CHANCE else None


def tracker_scores(
    summaries: Iterable[tuple[str, Mapping[str, float]]],
) -> tuple[pd.DataFrame, list[str]]:
    """Long rows ``run, task, metric, value, name`` from ``(run_id, summary)`` pairs
    (``name``: the tracker's name of the metric), and the note on scores named in mixed case
    (``Acc_arc_easy``: read as ``downstream`` reads such a column, by
    :func:`~scalinglab.downstream._evals_scores.scores_by_task`; one alike but for case to a
    name in lower case is left out, said so)."""
    from scalinglab.downstream._evals_scores import scores_by_task, wide_score

    rows, notes = [], {}
    for run_id, summary in summaries:
        names = [str(n) for n in summary]
        by_task, said = scores_by_task([n for n in names if "/" not in n])
        notes.update(dict.fromkeys(said))
        wide = {column: (task, metric) for task, cols in by_task.items()
                for metric, column in cols.items()}  # fmt: skip
        for name, value in zip(names, summary.values(), strict=True):
            widely = "/" not in name and wide_score(name.lower()) is not None
            found = wide.get(name) if widely else score_name(name)  # None: left out, said so
            if found is not None:
                rows.append((run_id, found[0], found[1], float(value), name))
    frame = pd.DataFrame(rows, columns=["run", "task", "metric", "value", "name"])
    return frame, list(notes)


def table_scores(
    runs: Iterable[tuple[str, str, Mapping[str, object]]], source: str
) -> tuple[pd.DataFrame | None, list[str]]:
    """A run table's score columns (``acc_<task>``, ``acc_norm_<task>``: the wide evaluation
    tables' names), kept in each run's ``extra``, as evaluations of the run, in fractions
    (:func:`as_fractions`), so ``downstream --store`` reads them as it reads lm-eval scores;
    ``None`` where the table has none.

    Args:
        runs: ``(run_id, name, extra)`` of each run written.
        source: The table, for messages.
    """
    runs = list(runs)
    numbers = (
        (run_id, {k: float(v) for k, v in extra.items() if _number(v) and math.isfinite(v)})
        for run_id, _, extra in runs
    )
    frame, cased = tracker_scores(numbers)
    if not len(frame):
        return None, cased
    scores, notes = as_fractions(frame, source, {run_id: name for run_id, name, _ in runs})
    return scores, [*cased, *notes]


def _number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def as_fractions(
    scores: pd.DataFrame,
    source: str,
    runs: Mapping[str, str],
    *,
    rows: Sequence[int] | None = None,
    columns: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """:func:`tracker_scores`' rows (less ``name``) with each metric of
    :data:`FRACTION_METRICS` in fractions: one logged in percent divided by 100, with its
    standard error (``acc_stderr`` of ``acc``), and a note for it.

    Args:
        scores: The rows.
        source: The source, for messages.
        runs: Run id -> its name, for messages.
        rows: Each score's row in a table (an evaluation table's), for messages; its
            ``name`` then says what a note calls its task's metric, as it stands.
        columns: Each score's column in that table, for messages.

    Raises:
        DataError: A metric of fractions with a value above 1 or below 0, or one in percent
            with a value in (0, 1] (as :func:`scalinglab.downstream.read_evals` refuses them).
    """
    from scalinglab.downstream._fractions import accuracy, looks_percent

    out, notes = scores.copy(), []
    for name, group in scores.groupby("name", sort=False):
        metric, _, filt = str(group["metric"].iloc[0]).partition(",")
        if metric not in FRACTION_METRICS:
            continue
        percent = looks_percent(group["value"])
        named = [runs.get(r, r) for r in group["run"]]
        at = [rows[int(i)] for i in group.index] if rows is not None else None
        # in percent as looks_percent judges it: the rule downstream reads a column by
        out.loc[group.index, "value"] = accuracy(
            group["value"], str(name) if columns is None else columns[int(group.index[0])],
            source, percent=None, rows=at, runs=named,
            task=None if columns is None else str(group["task"].iloc[0]),
        )  # fmt: skip
        if percent:
            stderr = f"{metric}_stderr" + (f",{filt}" if filt else "")
            of = (out["task"] == group["task"].iloc[0]) & (out["metric"] == stderr)
            out.loc[of, "value"] = out.loc[of, "value"] / 100.0
            said = str(name) if rows is not None else repr(name)  # a table's names it so
            fractions = group["value"].to_numpy(dtype=float) / 100.0
            notes.append(  # in the words of downstream fit's note on the same detection
                percent_note(said, fractions, what=said, done="stored as fractions")
                + (", with its standard error" if of.any() else "")
            )
    return out.drop(columns="name"), notes


def source_scores(read: Source, converted: Converted) -> tuple[pd.DataFrame | None, list[str]]:
    """The evaluation scores among the runs' final metrics (W&B summary columns, MLflow
    metrics named like tasks), for the runs that are written, as fractions (``None`` if there
    are none), and a note for each metric logged in percent."""
    from scalinglab.ingest._convert import ingest_run_id

    kept = {run.run_id for run in converted.runs}
    ids = [ingest_run_id(read.kind, run.key) for run in read.runs]
    frame, cased = tracker_scores(
        (run_id, run.summary) for run_id, run in zip(ids, read.runs, strict=True) if run_id in kept
    )
    if not len(frame):
        return None, cased
    names = {run_id: run.name for run_id, run in zip(ids, read.runs, strict=True)}
    scores, notes = as_fractions(frame, read.path, names)
    return scores, [*cased, *notes]
