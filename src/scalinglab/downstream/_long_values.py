"""The values of long scores (``run``, ``task``, ``metric``, ``value`` rows) as numbers, by
one rule for every reader of them (``downstream``'s long tables, ``ingest``'s evaluation
tables), judged per task and metric:

* written with ``%`` throughout (``55%``, as spreadsheets write an accuracy): read as
  fractions, with a note (:func:`~scalinglab.data._percent.percent_values`);
* no value a number (lm-evaluation-harness's ``alias``, a task's display name): no score,
  left out with a note, as the harness reader leaves it out of a results file;
* otherwise every value is a number (or blank), and the first that is not is refused,
  named by its row, run, task and metric.

A run's task and metric given twice with one value is read once; with two values it is
refused, naming the rows (:func:`one_score_each`).

A task's metric in percent written as bare numbers (``55``) is the accuracy rule's
(:mod:`~scalinglab.downstream._fractions`), applied to these numbers afterwards. A standard
error follows its score's scale either way: ``acc_stderr`` written ``1.0`` beside ``acc``
written ``55%`` is in the same percent points, so it is divided by 100 here too (as the
accuracy rule divides a bare percentage's standard error); ``1%`` beside a bare ``55`` is
kept in percent points (1.0), for that rule to divide with its score once.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import join_more
from scalinglab.data._percent import percent_note, percent_values
from scalinglab.downstream._fractions import looks_percent

__all__ = ["long_numbers", "one_score_each"]


def long_numbers(
    scores: pd.DataFrame,
    source: str,
    *,
    rows: Sequence[int | None] | None,
    column: str | Sequence[str] | None,
) -> tuple[pd.DataFrame, list[str], set[tuple[str, str]]]:
    """``scores`` with a numeric ``value`` column, less the rows of a task's metric that
    holds no number, a note for each metric read from ``%`` and each left out, and the
    (task, metric) pairs read from ``%``: percentages whatever ``--percent`` says, which
    the accuracy rule must not divide again (:func:`~._fractions.long_fractions`).

    Args:
        scores: The rows, indexed by their position in the source.
        source: The file, for messages.
        rows: Each position's row as the user sees it (a file's line), or ``None``.
        column: The source's column of the values (``value``), or each position's (a wide
            table's score columns), for messages.

    Raises:
        DataError: A value that is not a number among numbers of its task's metric (or
            among values written with ``%``), named by its row, column, run, task, metric;
            no number at all (every metric text), naming the columns read.
    """
    columns = [column] * len(scores) if column is None or isinstance(column, str) else column
    numbers = pd.Series(np.nan, index=scores.index, dtype=float)
    notes: list[str] = []
    text: dict[str, tuple[list[str], str]] = {}  # metric -> its tasks of text, an example
    dropped: list[int] = []
    signed_at: dict[tuple[str, str], tuple[pd.Index, str]] = {}  # written with %: rows, note
    bare: dict[tuple[str, str], pd.Index] = {}  # (task, metric) of bare numbers: their rows
    keys = [scores["task"].astype(str), scores["metric"].astype(str)]
    for (task, metric), values in scores["value"].groupby(keys, sort=False):
        signed = percent_values(values.to_numpy())  # 55%: read as 0.55 whatever the rest says
        if signed is not None:
            numbers.loc[values.index] = signed
            what = f"task {task!r} {metric}"
            notes.append(percent_note(what, signed, what=what))
            signed_at[(str(task), str(metric))] = (values.index, notes[-1])
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
        bare[(str(task), str(metric))] = values.index
    for (task, metric), index in bare.items():
        score = _score_of(metric)
        if score is not None and (task, score) in signed_at:
            # 1.0 beside 55%: percent points, as its score's; 0.01 as a fraction
            numbers.loc[index] = numbers.loc[index] / 100.0
            notes.append(
                f"task {task!r} {metric} read in percent points, as its {score} written with "
                "%: divided by 100"
            )
    for (task, metric), (index, said) in signed_at.items():
        score = _score_of(metric)
        if score is None or (task, score) not in bare:
            continue
        if looks_percent(numbers.loc[bare[(task, score)]]):
            # 1% beside 55: percent points, as its score's, which the accuracy rule divides
            # with its standard error: 0.01 here would be divided twice
            numbers.loc[index] = numbers.loc[index] * 100.0
            notes.remove(said)
    notes += [_text_note(metric, tasks, example) for metric, (tasks, example) in text.items()]
    kept = ~scores.index.isin(dropped)
    if len(scores) and not kept.any():  # text alone: no evaluations, not an empty success
        raise _all_text(text, [str(c) for c in columns if c is not None], source)
    return scores.assign(value=numbers)[kept], notes, set(signed_at)


def _score_of(metric: str) -> str | None:
    """The score ``metric`` is the standard error of (``acc,none`` for ``acc_stderr,none``),
    else ``None``: the pairing :func:`scalinglab.ingest._scores.as_fractions` divides by."""
    name, comma, filt = metric.partition(",")
    if not name.endswith("_stderr"):
        return None
    return name.removesuffix("_stderr") + comma + filt


def _text_note(metric: str, tasks: list[str], example: str) -> str:
    """The note on ``metric`` of ``tasks`` left out, with one of its values."""
    of = f"task {tasks[0]!r}" if len(tasks) == 1 else f"{len(tasks)} tasks ({join_more(tasks)})"
    return f"metric {metric!r} of {of} left out: text, not a score ({example!r})"


def _all_text(text: dict[str, tuple[list[str], str]], columns: list[str], source: str) -> DataError:
    """The error for scores of which none is a number: ``text`` as :func:`long_numbers`
    gathers it, ``columns`` the source's columns of the values."""
    named = list(dict.fromkeys(columns))
    # one column is named where the error says where; several (a wide table's) here
    of = f" of columns {join_more([repr(c) for c in named], 6)}" if len(named) > 1 else ""
    metrics = f"metric{'s' * (len(text) > 1)} {join_more([repr(m) for m in text], 6)}"
    example = next(iter(text.values()))[1]
    return DataError(
        f"no score is a number: every value{of} ({metrics}) is text ({example!r})",
        source=source,
        column=named[0] if len(named) == 1 else None,
        hint="write each score as a number (0.55, or 55%): a text metric (an alias) is left "
        "out, so a table of text alone holds no evaluations",
    )


def one_score_each(
    scores: pd.DataFrame,
    source: str,
    *,
    rows: Sequence[int | None],
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """``scores`` (numbers, indexed by position) with each run's task and metric once: a
    score repeated with the same value is read once (a blank beside a score is no value).

    Args:
        scores: The rows (``run``, ``task``, ``metric``, ``value``).
        source: The file, for messages.
        rows: Each position's row as the user sees it (a file's line).
        columns: Each position's column (a wide table's score columns), named where two
            scores of one run, task and metric come from different columns.

    Raises:
        DataError: Two different values of one run, task and metric, naming their rows.
    """
    keys = scores[["run", "task", "metric"]].astype(str)
    repeated = keys.duplicated(keep=False)
    if not repeated.any():
        return scores
    by = [keys["run"], keys["task"], keys["metric"]]
    clash = scores[repeated].groupby([b[repeated] for b in by])["value"].nunique() > 1
    if clash.any():
        run, task, metric = clash[clash].index[0]
        of = scores[repeated & (keys["run"] == run) & (keys["task"] == task)]
        of = of[keys.loc[of.index, "metric"] == metric]
        at = list(dict.fromkeys(str(rows[int(i)]) for i in of.index))
        named = [] if columns is None else list(dict.fromkeys(columns[int(i)] for i in of.index))
        where = f"row{'s' * (len(at) > 1)} {join_more(at, 4)}"
        if len(named) > 1:  # a wide table's two columns of one task and metric
            where += f"; columns {join_more([repr(c) for c in named], 4)}"
        one = "column per task and metric" if len(at) == 1 else "row per run, task and metric"
        raise DataError(
            f"run {run!r} has {len(of)} different {task!r} scores of metric {metric!r}",
            source=source,
            row=rows[int(of.index[0])],
            hint=f"keep one {one} ({where})",
        )
    # the same value again: read once, a blank beside it never in its place
    first = keys.assign(blank=scores["value"].isna()).sort_values("blank", kind="stable")
    kept = first.index[~first[["run", "task", "metric"]].duplicated()]
    return scores.loc[sorted(kept)]
