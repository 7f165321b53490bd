"""The values of long scores (``run``, ``task``, ``metric``, ``value`` rows) as numbers, by
one rule for every reader of them (``downstream``'s long tables, ``ingest``'s evaluation
tables), judged per task and metric:

* written with ``%`` throughout (``55%``, as spreadsheets write an accuracy): read as
  fractions, with a note (:func:`~scalinglab.data._percent.percent_values`);
* no value a number (lm-evaluation-harness's ``alias``, a task's display name): no score,
  left out with a note, as the harness reader leaves it out of a results file;
* otherwise every value is a number (or blank), and the first that is not is refused,
  named by its row, run, task and metric.

A task's metric in percent written as bare numbers (``55``) is the accuracy rule's
(:mod:`~scalinglab.downstream._fractions`), applied to these numbers afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import join_more
from scalinglab.data._percent import percent_note, percent_values

__all__ = ["long_numbers"]


def long_numbers(
    scores: pd.DataFrame,
    source: str,
    *,
    rows: Sequence[int | None] | None,
    column: str | Sequence[str] | None,
) -> tuple[pd.DataFrame, list[str]]:
    """``scores`` with a numeric ``value`` column, less the rows of a task's metric that
    holds no number, and a note for each metric read from ``%`` and each left out.

    Args:
        scores: The rows, indexed by their position in the source.
        source: The file, for messages.
        rows: Each position's row as the user sees it (a file's line), or ``None``.
        column: The source's column of the values (``value``), or each position's (a wide
            table's score columns), for messages.

    Raises:
        DataError: A value that is not a number among numbers of its task's metric (or
            among values written with ``%``), named by its row, column, run, task, metric.
    """
    columns = [column] * len(scores) if column is None or isinstance(column, str) else column
    numbers = pd.Series(np.nan, index=scores.index, dtype=float)
    notes: list[str] = []
    text: dict[str, tuple[list[str], str]] = {}  # metric -> its tasks of text, an example
    dropped: list[int] = []
    keys = [scores["task"].astype(str), scores["metric"].astype(str)]
    for (task, metric), values in scores["value"].groupby(keys, sort=False):
        signed = percent_values(values.to_numpy())  # 55%: read as 0.55 whatever the rest says
        if signed is not None:
            numbers.loc[values.index] = signed
            what = f"task {task!r} {metric}"
            notes.append(percent_note(what, signed, what=what))
            continue
        parsed = pd.to_numeric(values, errors="coerce")
        bad = (parsed.isna() & values.notna()).to_numpy()
        if bad.any() and parsed.isna().all():  # text alone: no score (alias: PIQA)
            text.setdefault(str(metric), ([], str(values[bad].iloc[0])))[0].append(str(task))
            dropped += [int(i) for i in values.index]
            continue
        if bad.any():
            at = int(values.index[int(np.flatnonzero(bad)[0])])
            run = str(scores.loc[at, "run"])
            raise DataError(
                f"not a number: {scores.loc[at, 'value']!r} (run {run!r}, task {task!r}, "
                f"metric {metric!r})",
                source=source,
                row=None if rows is None else rows[at],
                column=columns[at],
            )
        numbers.loc[values.index] = parsed.to_numpy(dtype=float)
    notes += [_text_note(metric, tasks, example) for metric, (tasks, example) in text.items()]
    kept = ~scores.index.isin(dropped)
    return scores.assign(value=numbers)[kept], notes


def _text_note(metric: str, tasks: list[str], example: str) -> str:
    """The note on ``metric`` of ``tasks`` left out, with one of its values."""
    of = f"task {tasks[0]!r}" if len(tasks) == 1 else f"{len(tasks)} tasks ({join_more(tasks)})"
    return f"metric {metric!r} of {of} left out: text, not a score ({example!r})"
