"""Long evaluations (``run``, ``task``, ``metric``, ``value`` rows) as one row per run, a
column ``acc_<task>`` per task: the rows :func:`~._metric_rule.pick_scores` reads as the
metric asked for, its values numbers by the rule ingest reads them by
(:func:`~._long_values.long_numbers`: ``55%`` a fraction, a metric of text such as ``alias``
left out), read as fractions where they are (:func:`~._fractions.long_fractions`), so that a
bad value is named by the file's row and column, its run and its task."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import join_more
from scalinglab.downstream._fractions import long_fractions
from scalinglab.downstream._frames import LONG, check_metric, is_error
from scalinglab.downstream._long_values import long_numbers, one_score_each
from scalinglab.downstream._metric_rule import Scored, pick_scores, several_filters

__all__ = ["pivot_long"]


def pivot_long(
    frame: pd.DataFrame,
    metric: str,
    source: str,
    *,
    percent: bool = False,
    rows: Sequence[int] | None = None,
) -> tuple[pd.DataFrame, list[str], Scored, tuple[int, ...]]:
    """Long (run, task, metric, value) rows of ``metric`` to one row per run (a column
    ``acc_<task>`` per task); a table without rows of it is refused, naming its metrics (a
    standard error such as lm-evaluation-harness's ``acc_stderr`` is no score). A run
    without rows of that metric is not a model of the table, whatever other rows it has.
    Each task's scores are read as fractions, judged per task (``percent``: all in percent),
    a bad one named by its row (``rows``: each record's row in the file; default from 1).
    Notes, the scores, for the note on the tasks left out for want of it
    (:class:`Scored`), and each run's row: its first record's, where its own columns
    (sizes, loss) are read first, so that a bad one is named where the user finds it."""
    check_metric(metric, source, column="metric")
    frame = frame.reset_index(drop=True)  # positions: rows[i] is record i's row
    lines = list(rows) if rows is not None else list(range(1, len(frame) + 1))
    # numbers (55%: a fraction) first, a metric of text (alias) left out: ingest's rule
    frame, read, signed = long_numbers(frame, source, rows=lines, column="value")
    metrics = list(dict.fromkeys(frame["metric"].astype(str)))
    scores = [m for m in metrics if not is_error(m)]
    picked, notes, several = pick_scores(frame, metric)
    notes = [*read, *notes]
    if picked.empty and several:
        raise several_filters(metric, several, source, column="metric")
    if picked.empty:  # another metric is never read in its place: refused, named
        errors = ": standard errors, not scores" if not scores else ""
        raise DataError(
            f"no rows of metric {metric!r}; the metrics here are {join_more(metrics, 8)}" + errors,
            source=source,
            column="metric",
            hint=f"choose the one read as accuracy: --metric {scores[0] if scores else 'NAME'} "
            "(metric=... in Python)",
        )
    scored = Scored(metric, frame[["run", "task", "metric"]])
    picked = one_score_each(picked, source, rows=lines)  # a score twice: its rows named
    # 55%: a percentage read as 0.55 above, never divided again by --percent
    written = {t for t, m in zip(picked["task"], picked["metric"], strict=True) if (t, m) in signed}
    picked, said = long_fractions(
        picked, source, percent=percent, rows=lines, column="value", signed=written
    )
    notes += said
    values = picked.assign(_key="acc_" + picked["task"].astype(str)).pivot_table(
        index="run", columns="_key", values="value", aggfunc="first"
    )
    extra = [c for c in frame.columns if c not in LONG]
    per_run = frame.groupby("run", sort=False)[extra].first() if extra else None
    # the runs with a score only: one with rows of other metrics alone is no model here
    wide = values if per_run is None else per_run.join(values, how="inner")
    wide.columns.name = None
    wide = wide.reset_index()
    first = frame.groupby("run", sort=False).head(1)  # each run's first record
    at = dict(zip(first["run"], (lines[int(i)] for i in first.index), strict=True))
    return wide, notes, scored, tuple(at[r] for r in wide["run"])
