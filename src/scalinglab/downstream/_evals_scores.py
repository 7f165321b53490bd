"""The task columns of a wide evaluation table.

A wide table names a task's score by metric and task: ``acc_<task>``, ``acc_norm_<task>``
(the names tracker ingest reads too, :func:`wide_score`); ``metric=`` chooses which is the
accuracy (read as fractions by :mod:`scalinglab.downstream._fractions`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from scalinglab._errors import ConfigError, DataError, did_you_mean
from scalinglab.data._raw import RawTable
from scalinglab.data._repeated_names import refuse_repeats
from scalinglab.downstream._frames import is_error
from scalinglab.downstream._metric_rule import left_out
from scalinglab.downstream._not_evals import no_scores
from scalinglab.downstream._task_named import named_tasks, unread_tasks, unread_tasks_note
from scalinglab.downstream._task_names import suite_note, suite_task, unit_free

__all__ = ["scores_by_task", "task_columns", "wide_score"]

#: Metrics a wide column's name starts with, the longer first (``acc_norm_piqa`` is acc_norm
#: of piqa, not acc of ``norm_piqa``; ``acc_stderr_piqa`` is a standard error).
WIDE_METRICS = ("acc_norm_stderr", "acc_stderr", "acc_norm", "acc")


def wide_score(name: str) -> tuple[str, str] | None:
    """``(task, metric)`` of a wide table's score column (``acc_norm_piqa``: piqa,
    acc_norm), else ``None``."""
    for metric in WIDE_METRICS:
        if name.startswith(f"{metric}_") and len(name) > len(metric) + 1:
            return name[len(metric) + 1 :], metric
    return None


def task_columns(
    frame: pd.DataFrame,
    tasks: Sequence[str] | None,
    source: str,
    metric: str,
    *,
    own: Sequence[str] | None = None,
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Each task's column of ``metric`` (``acc_<task>`` for acc, ``acc_norm_<task>`` for
    acc_norm), and notes on the choice: the metric read where a task has others too, the
    tasks left out for want of it (also returned, task -> reason, when no ``tasks`` are
    asked for: :func:`~scalinglab.downstream._metric_rule.left_out`). A table without columns of
    ``metric`` is refused, naming the metrics it has, as every reader refuses it; ``own``:
    the evaluation file's own columns, where ``frame`` is joined to a run table (what the
    file looks like is said of them, not of the run table's loss).

    Raises:
        DataError: No task columns of the metric, or a task's column named twice.
        ConfigError: A task asked for that is not there, or has no column of the metric.
    """
    by_task, cased = scores_by_task([str(c) for c in frame.columns])
    scores = list(dict.fromkeys(m for cols in by_task.values() for m in cols if not is_error(m)))
    named, asked = [str(c) for c in frame.columns], set(tasks or ()) - {"all"}
    lowered = _lowered(named)  # a task's column is matched regardless of case and its unit
    if not by_task and not (asked and {t.lower() for t in asked} <= lowered):
        order = [t for t in tasks or () if t in asked]  # as asked: the first typo is named
        raise (
            _unknown_column(order, named, source)
            or unread_tasks(named, source, metric)  # HellaSwag, piqa_acc: ask for them
            or no_scores(own or named, source, metric)
        )
    use, notes = metric, cased  # another metric is never read in its place: refused, named
    available = {t: cols[use] for t, cols in by_task.items() if use in cols}
    left: dict[str, str] = {}
    if tasks is None or list(tasks) == ["all"]:
        if not available:
            have = f"; its score columns are of {', '.join(scores)}" if scores else ""
            raise DataError(
                f"no task columns of metric {use!r} ({_name(use, '<task>')}){have}",
                source=source,
                hint=f"choose one with --metric {scores[0]} (metric=... in Python)"
                if scores
                else f"name them {_name(use, '<task>')}",
            )
        left, said = left_out(use, ((t, m) for t, cols in by_task.items() for m in cols))
        notes += said
        chosen = available
        notes += unread_tasks_note(named, chosen)  # HellaSwag (%) beside acc_piqa: not read
    else:
        chosen = {}
        for task in tasks:
            parsed = wide_score(task.lower())  # acc_HellaSwag named outright: hellaswag
            column, others = (None, ()) if task in available else _bare(task, named, source)
            if task in available:
                chosen[task] = available[task]
            elif column is not None:  # a column named outright: acc_norm_piqa, HellaSwag
                key = parsed[0] if parsed else task.lower()
                chosen[key] = column
                if column != task:
                    how = "" if column.lower() == task.lower() else "without its unit, "
                    notes.append(f"column {column!r} read as task {key} ({how}regardless of case)")
                notes += [f"column {c!r} left out: task {key} is read from {column!r}"
                          for c in others]  # fmt: skip
            elif task in by_task:
                raise ConfigError(
                    f"task {task!r} has no {use} column ({_name(use, task)}) in {source}; "
                    f"it has {', '.join(by_task[task].values())}",
                    hint="choose its metric with --metric (metric=... in Python)",
                )
            elif available:  # hellaswag: the one suite name holding it, else refused
                held = suite_task(task, list(available), source=source,
                                  named=named_tasks(named, set(available.values())))  # fmt: skip
                chosen[held] = available[held]
                notes += suite_note([task], [held])
            else:
                raise ConfigError(
                    f"unknown task {task!r} in {source}{did_you_mean(task, list(available))}",
                    hint="the tasks are "
                    + (", ".join(available) or f"none (no {_name(use, '<task>')} columns)"),
                )
    both = [t for t in chosen if (set(by_task.get(t, {})) - {use}) & set(scores)]
    if both:
        other = next(m for m in scores if m != use)
        notes.append(
            f"metric {use} read for {', '.join(both)}; {other} is there too "
            f"(--metric {other} reads {_name(other, '<task>')})"
        )
    # a task's column named twice: refused as a run table refuses a repeated column it reads
    refuse_repeats(RawTable(source, tuple(named), {}, ()), chosen.values())
    return chosen, notes, left


def scores_by_task(names: Sequence[str]) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Each task's score columns by metric, and a note on those read regardless of case
    (``ACC_HellaSwag``, ``acc_HellaSwag``: acc of hellaswag, as a run table reads ``Loss``
    as its loss): a task goes by its name lower-cased, by which its built-in chance level
    is found. A column named in lower case wins over one alike but for case, which is left
    out, said so. The one rule of ``downstream`` reading a table and of ``ingest`` storing
    a table's (or a tracker's) scores."""
    by_task: dict[str, dict[str, str]] = {}
    read: list[str] = []  # columns read regardless of case, as the score they are
    for column in names:
        found = wide_score(column)
        if found is not None and column == column.lower():
            by_task.setdefault(found[0], {})[found[1]] = column
    for column in names:
        if column == column.lower() or (lower := wide_score(column.lower())) is None:
            continue
        task, metric = lower
        kept = by_task.setdefault(task, {}).setdefault(metric, column)
        read.append(
            f"{column!r} read as {_name(metric, task)}"
            if kept == column
            else f"{column!r} left out: {_name(metric, task)} is read from {kept!r}"
        )
    notes = [f"task columns read regardless of case: {', '.join(read)}"] if read else []
    return by_task, notes


def _bare(task: str, named: Sequence[str], source: str) -> tuple[str | None, tuple[str, ...]]:
    """The column named ``task`` regardless of case (``HellaSwag`` for ``hellaswag``, as a
    run table reads ``Loss``), or ``None``; and the columns alike but for case left out,
    where one is named exactly as the task is (it wins, as a score column named in lower
    case wins over one alike but for case: :func:`scores_by_task`).

    Raises:
        DataError: Two or more columns name it, differing only by case, none exactly.
    """
    found = [c for c in named if c.lower() == task.lower()]
    if task in found:  # named exactly: read as it was before case was ignored
        return task, tuple(c for c in found if c != task)
    # else a column naming it before its unit: HellaSwag (%), piqa_acc for piqa
    found = found or [
        c for c in named if unit_free(c) != c and unit_free(c).lower() == task.lower()
    ]
    if len(found) > 1:
        raise DataError(
            f"task {task!r}: columns {', '.join(repr(c) for c in found)} differ only by case "
            "or unit, so which one holds its scores is ambiguous",
            source=source,
            hint="rename or drop all but one of them",
        )
    return (found[0] if found else None), ()


def _lowered(named: Sequence[str]) -> set[str]:
    """The names a task asked for matches a column by: each lower-cased, with and without
    the unit closing it (``HellaSwag (%)``: ``hellaswag (%)`` and ``hellaswag``)."""
    return {c.lower() for c in named} | {unit_free(c).lower() for c in named}


def _unknown_column(asked: Sequence[str], named: Sequence[str], source: str) -> ConfigError | None:
    """The refusal of a task asked for by a column's name (``MyTask``) that the table of
    bare task columns lacks, as a typo (``MyTsk``): where another task asked for is a column,
    or a column is close to its name; ``None`` otherwise (the table then has no scores)."""
    lowered = _lowered(named)
    missing = [t for t in asked if t.lower() not in lowered]
    near = {t: did_you_mean(t, named) for t in missing}
    task = next((t for t in missing if near[t]), None)
    if task is None and len(missing) < len(asked):  # the others are columns: this one is not
        task = missing[0]
    if task is None:
        return None
    return ConfigError(
        f"unknown task {task!r} in {source}: no column of that name{near[task]}",
        hint="a task is read from its column, named as the task (or acc_<task>); the columns "
        "are " + ", ".join(repr(c) for c in named),
    )


def _name(metric: str, task: str) -> str:
    return f"{metric}_{task}"
