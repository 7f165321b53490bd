"""The task columns of a wide evaluation table and the accuracies in them.

A wide table names a task's score by metric and task: ``acc_<task>``, ``acc_norm_<task>``
(the names tracker ingest reads too, :func:`wide_score`); ``metric=`` chooses which is the
accuracy. Accuracies are fractions correct; a column in percent is read with ``percent=``.
Either way a minority written in the other unit is named as the typo it is: a lone value
above 1 among fractions, a lone value in (0, 1] among percentages.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab.downstream._frames import is_error
from scalinglab.downstream._metric_rule import left_out

__all__ = ["accuracy", "looks_percent", "task_columns", "wide_score"]

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
    frame: pd.DataFrame, tasks: Sequence[str] | None, source: str, metric: str
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Each task's column of ``metric`` (``acc_<task>`` for acc, ``acc_norm_<task>`` for
    acc_norm), and notes on the choice: the metric read where a task has others too, the
    tasks left out for want of it (also returned, task -> reason, when no ``tasks`` are
    asked for: :func:`~scalinglab.downstream._metric_rule.left_out`). A table without columns of
    ``metric`` is refused, naming the metrics it has, as every reader refuses it.

    Raises:
        DataError: No task columns of the metric.
        ConfigError: A task asked for that is not there, or has no column of the metric.
    """
    by_task: dict[str, dict[str, str]] = {}
    for column in map(str, frame.columns):
        found = wide_score(column)
        if found is not None:
            by_task.setdefault(found[0], {})[found[1]] = column
    scores = list(dict.fromkeys(m for cols in by_task.values() for m in cols if not is_error(m)))
    use, notes = metric, []  # another metric is never read in its place: refused, named
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
                else "name them acc_<task>",
            )
        left, said = left_out(use, ((t, m) for t, cols in by_task.items() for m in cols))
        notes += said
        chosen = available
    else:
        chosen = {}
        for task in tasks:
            parsed = wide_score(task)
            if task in available:
                chosen[task] = available[task]
            elif task in frame.columns:  # a column named outright: acc_norm_piqa, hellaswag
                chosen[parsed[0] if parsed else task] = task
            elif task in by_task:
                raise ConfigError(
                    f"task {task!r} has no {use} column ({_name(use, task)}) in {source}; "
                    f"it has {', '.join(by_task[task].values())}",
                    hint="choose its metric with --metric (metric=... in Python)",
                )
            else:
                raise ConfigError(
                    f"unknown task {task!r} in {source}",
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
    return chosen, notes, left


def _name(metric: str, task: str) -> str:
    return f"{metric}_{task}"


def looks_percent(values: pd.Series) -> bool:
    """Whether a column of accuracies is in percent: most of its values above 1, none above
    100 (a lone value above 1 among fractions is a typo, not a unit)."""
    given = pd.to_numeric(values, errors="coerce").dropna()
    return bool((given > 1).sum() > len(given) / 2 and (given <= 100).all())


def accuracy(
    values: pd.Series,
    column: str,
    source: str,
    *,
    percent: bool,
    rows: Sequence[int] | None = None,
    runs: Sequence[str] | None = None,
) -> pd.Series:
    """The accuracies of ``column`` as fractions: divided by 100 with ``percent``.

    ``rows`` (the records' rows in the file) and ``runs`` (their run names) say where a bad
    value is.

    Raises:
        DataError: A value that is not a number or outside [0, 1]: a column in percent
            without ``percent`` (most values above 1); a lone value above 1 in a column of
            fractions, named by its row. With ``percent``: a column of fractions (most values
            in (0, 1], those above 1 named), or a lone value in (0, 1] among percentages,
            named by its row (0.6 for 60: divided by 100 it would read 0.6%).
    """
    numeric = pd.to_numeric(values, errors="coerce")

    def at(i: int) -> tuple[int | None, str]:
        row = rows[i] if rows is not None else None
        named = f"run {runs[i]!r}" if runs is not None else ""
        return row, ", ".join(p for p in (f"row {row}" if row else "", named) if p)

    bad = numeric.isna() & values.notna()
    if bad.any():
        row, where = at(int(np.flatnonzero(bad.to_numpy())[0]))
        raise DataError(
            f"not a number: {values[bad].iloc[0]!r} ({where})",
            source=source,
            row=row,
            column=column,
        )
    given = numeric.dropna()
    above = (numeric > 1).to_numpy()

    def listed(odd: np.ndarray) -> str:
        return "; ".join(f"{float(values.iloc[i]):g} ({at(int(i))[1]})" for i in odd[:5])

    if percent:  # a value in (0, 1] reads as a fraction: 0 is 0 either way
        low = ((numeric > 0) & (numeric <= 1)).to_numpy()
        if low.sum() > above.sum():  # mostly fractions: dividing would shrink them all
            odd = np.flatnonzero(above)
            which = f"{low.sum()} of {len(given)} accuracies in {column} are"
            big = float(values.iloc[int(odd[0])]) if odd.size else 0.0
            fix = f"; then fix {'that row' if odd.size == 1 else 'those rows'} ({big:g}% is "
            fix += f"{big / 100:g})"
            raise DataError(
                f"--percent, but {which if odd.size else f'every accuracy in {column} is'} at "
                "most 1: fractions already" + (f"; above 1: {listed(odd)}" if odd.size else ""),
                source=source,
                row=at(int(odd[0]))[0] if odd.size else None,
                column=column,
                hint="drop --percent (percent=False in Python): it would divide them by 100"
                + fix * bool(odd.size),
            )
        if low.any():  # a fraction among percentages: the typo --percent would shrink 100-fold
            odd = np.flatnonzero(low)
            value = float(values.iloc[int(odd[0])])
            raise DataError(
                f"{len(odd)} of {len(given)} accuracies at most 1 in a column in percent "
                f"(--percent): {listed(odd)}",
                source=source,
                row=at(int(odd[0]))[0],
                column=column,
                hint=f"fix {'that row' if len(odd) == 1 else 'those rows'}: with --percent an "
                f"accuracy is a percentage ({value:g} as a fraction is {value * 100:g}%); a "
                "column truly under 1% there: divide it by 100 yourself and drop --percent",
            )
        numeric = numeric / 100.0
    outside = ((numeric < 0) | (numeric > 1)).to_numpy()
    if not outside.any():
        return numeric
    first = int(np.flatnonzero(outside)[0])
    row, where = at(first)
    value = float(values.iloc[first])
    in_percent = not percent and looks_percent(given)
    if in_percent:
        message = f"accuracy {value:g} ({where}) is outside [0, 1]; the column looks like percent"
        hint = "pass --percent (percent=True in Python) for accuracies in percent"
    elif not percent and (numeric >= 0).all():  # a lone value above 1: a typo, by its row
        odd = np.flatnonzero(above)
        message = (
            f"{len(odd)} of {len(given)} accuracies above 1 in a column of fractions: {listed(odd)}"
        )
        hint = (
            f"fix {'that row' if len(odd) == 1 else 'those rows'}: an accuracy is a fraction "
            f"correct ({value:g}% is {value / 100:g})"
        )
    else:
        shown = value / 100 if percent else value
        message = f"accuracy {shown:g} ({where}) is outside [0, 1]" + " after --percent" * percent
        hint = "accuracies are fractions correct, between 0 and 1 (or 0 and 100 with --percent)"
    raise DataError(message, source=source, row=row, column=column, hint=hint)
