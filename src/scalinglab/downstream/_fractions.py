"""Accuracies as fractions correct, by one rule for every reader of evaluations (a wide
table's columns, a long table's or harness results' tasks, a tracker's metrics at ingest).

A column (or a task's scores) is in percent when most of its values are above 1 and none
above 100 (:func:`looks_percent`); it is read so, divided by 100, with a note, each column
on its own, since one table can hold both (``acc_arc_easy`` in percent, ``acc_piqa`` as
fractions). ``--percent`` says every column is in percent. Either way a minority written in
the other unit is named as the typo it is: a lone value above 1 among fractions, a lone
value in (0, 1] among percentages; and a value is named where it is: its row and run, and
its task where the rows are long (``run, task, metric, value``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import format_g, join_more
from scalinglab.data._percent import percent_note, percent_values
from scalinglab.downstream._task_names import says_percent

__all__ = ["accuracy", "long_fractions", "looks_percent", "wide_fractions"]


def looks_percent(values: pd.Series) -> bool:
    """Whether a column of accuracies is in percent: most of its values above 1, none above
    100 (a lone value above 1 among fractions is a typo, not a unit)."""
    given = pd.to_numeric(values, errors="coerce").dropna()
    return bool((given > 1).sum() > len(given) / 2 and (given <= 100).all())


def _as_fractions(
    raw: pd.Series,
    column: str | None,
    source: str,
    *,
    percent: bool,
    rows: Sequence[int | None] | None,
    runs: Sequence[str] | None,
    task: str | None = None,
    written: bool = False,
) -> tuple[pd.Series, str | None]:
    """``raw`` as fractions, and the note when it was read as percent: written with ``%``
    (``26.3%``) or in percent by :func:`looks_percent` (never said with ``percent``).
    ``written``: ``raw`` was written with ``%`` and read as fractions already (a long
    table's, by :func:`~._long_values.long_numbers`, which noted it)."""
    signed = percent_values(raw.to_numpy())  # 26.3%: in percent, whatever --percent says
    if signed is not None or written:
        values = raw if signed is None else pd.Series(signed, index=raw.index)
        out = accuracy(values, column, source, percent=False, rows=rows, runs=runs, task=task)
        if signed is None:
            return out, None
    else:
        # HellaSwag (%): its name says percent, so one value above 1 does (a task under 1%
        # at small scale, GSM8K (%) of 0.4 to 2.3, is read so too)
        named = task is None and column is not None and says_percent(column) and not percent
        given = pd.to_numeric(raw, errors="coerce").dropna()
        by_name = named and bool((given > 1).any() and (given <= 100).all())
        values, detected = raw, not percent and (by_name or looks_percent(raw))
        out = accuracy(
            values, column, source, percent=True if percent or by_name else None, rows=rows,
            runs=runs, task=task, named=by_name,
        )  # fmt: skip
        if named and not detected and len(given):  # MyTask (%) of 0.25 to 0.51: said
            return out, (
                f"column {column!r} is named in percent, but no value is above 1: read as "
                "fractions (an accuracy under 1% throughout would be at chance)"
            )
        if not detected:
            return out, None
    what = f"task {task!r}" if task is not None else f"column {column!r}"
    why = ", as its name says" if task is None and column and says_percent(column) else ""
    return out, percent_note(str(column), out.to_numpy(dtype=float), what=what, why=why)


def wide_fractions(
    frame: pd.DataFrame,
    columns: Sequence[str],
    source: str,
    *,
    percent: bool,
    rows: Sequence[int] | None = None,
    runs: Sequence[str] | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """``frame`` with each of its accuracy ``columns`` as fractions (:func:`accuracy`), and
    a note for each read as percent; ``rows`` and ``runs`` name a bad value's place."""
    frame, notes = frame.copy(), []
    for column in columns:
        frame[column], note = _as_fractions(
            frame[column], column, source, percent=percent, rows=rows, runs=runs
        )
        notes += [note] if note else []
    return frame, notes


def long_fractions(
    scores: pd.DataFrame,
    source: str,
    *,
    percent: bool,
    rows: Sequence[int | None] | None,
    column: str | None,
    signed: Collection[str] = (),
) -> tuple[pd.DataFrame, list[str]]:
    """Long scores (``run``, ``task``, ``value``: one metric per task) with each task's
    values as fractions, judged per task as a wide table's columns are, and a note for each
    read as percent.

    Args:
        scores: The rows read, indexed by their position in the source.
        source: The file, for messages.
        percent: Every value is a percentage (``--percent``).
        rows: Each position's row as the user sees it (a file's line), or ``None``.
        column: The source's column of the values (``value``), or ``None`` (harness files).
        signed: The tasks whose values were written with ``%``, fractions already (whatever
            ``percent`` says, as a wide column of them is read).
    """
    # a float column filled task by task: the source's column may be text (``55%``, or a
    # text metric's rows beside these), which pandas 3 will not hold numbers in
    fractions, notes = pd.Series(np.nan, index=scores.index, dtype=float), []
    for task, group in scores.groupby(scores["task"].astype(str), sort=False):
        at = [rows[int(i)] for i in group.index] if rows is not None else None
        values, note = _as_fractions(
            group["value"], column, source, percent=percent, rows=at,
            runs=list(group["run"].astype(str)), task=str(task), written=str(task) in signed,
        )  # fmt: skip
        fractions.loc[group.index] = values.to_numpy(dtype=float)
        notes += [note] if note else []
    return scores.assign(value=fractions), notes


def accuracy(
    values: pd.Series,
    column: str | None,
    source: str,
    *,
    percent: bool | None,
    rows: Sequence[int | None] | None = None,
    runs: Sequence[str] | None = None,
    task: str | None = None,
    named: bool = False,
) -> pd.Series:
    """The accuracies of ``column`` as fractions: divided by 100 with ``percent``, or,
    with ``percent=None``, where they look like percent (:func:`looks_percent`);
    ``named``: in percent as the column's name says (``HellaSwag (%)``), so a value in
    (0, 1] is a percentage under 1, not a fraction among percentages.

    ``rows`` (the records' rows in the file), ``runs`` (their run names) and ``task`` (the
    task of long rows, whose column ``column`` holds every task's values) say where a bad
    value is.

    Raises:
        DataError: A value that is not a number or outside [0, 1]: a column in percent
            with ``percent=False`` (most values above 1); a lone value above 1 in a column of
            fractions, named by its row. In percent: a column of fractions with ``percent``
            (most values in (0, 1], those above 1 named), or a lone value in (0, 1] among
            percentages, named by its row (0.6 for 60: divided by 100 it would read 0.6%).
    """
    numeric = pd.to_numeric(values, errors="coerce")
    asked = percent is True and not named
    inside = f"in {column}" if task is None else f"of task {task!r}"
    among = "in a column" if task is None else f"of task {task!r}"

    def at(i: int) -> tuple[int | None, str]:
        row = rows[i] if rows is not None else None
        named = f"run {runs[i]!r}" if runs is not None else ""
        parts = (f"row {row}" if row else "", named, f"task {task!r}" if task else "")
        return row, ", ".join(p for p in parts if p)

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
    if percent is None:  # judged by its own values: most above 1, none above 100
        percent = looks_percent(given)
    above = (numeric > 1).to_numpy()

    def listed(odd: np.ndarray) -> str:
        raw = values.to_numpy()  # each odd value is formatted: read without .iloc's cost
        return join_more([f"{format_g(float(raw[i]))} ({at(int(i))[1]})" for i in odd], sep="; ")

    if percent:  # a value in (0, 1] reads as a fraction: 0 is 0 either way
        low = ((numeric > 0) & (numeric <= 1)).to_numpy()
        if asked and low.sum() > above.sum():  # mostly fractions: dividing would shrink them
            odd = np.flatnonzero(above)
            which = f"{low.sum()} of {len(given)} accuracies {inside} are"
            big = float(values.iloc[int(odd[0])]) if odd.size else 0.0
            fix = (
                f"; then fix {'that row' if odd.size == 1 else 'those rows'} ({format_g(big)}% is "
            )
            fix += f"{format_g(big / 100)})"
            raise DataError(
                f"--percent, but {which if odd.size else f'every accuracy {inside} is'} at "
                "most 1: fractions already" + (f"; above 1: {listed(odd)}" if odd.size else ""),
                source=source,
                row=at(int(odd[0]))[0] if odd.size else None,
                column=column,
                hint="drop --percent (percent=False in Python): it would divide them by 100"
                + fix * bool(odd.size),
            )
        if (
            low.any() and not named
        ):  # a fraction among percentages: the typo a division shrinks 100-fold
            odd = np.flatnonzero(low)
            value = float(values.iloc[int(odd[0])])
            why = "(--percent)" if asked else "(most of them above 1)"
            unit = (
                "with --percent an accuracy is a percentage"
                if asked
                else "the others are percentages"
            )
            raise DataError(
                f"{len(odd)} of {len(given)} accuracies at most 1 {among} in percent {why}: "
                f"{listed(odd)}",
                source=source,
                row=at(int(odd[0]))[0],
                column=column,
                hint=f"fix {'that row' if len(odd) == 1 else 'those rows'}: {unit} ({format_g(value)} "
                f"as a fraction is {format_g(value * 100)}%)"
                + ("; a column truly under 1% there: divide it by 100 yourself and drop --percent")
                * asked,
            )
        numeric = numeric / 100.0
    outside = ((numeric < 0) | (numeric > 1)).to_numpy()
    if not outside.any():
        return numeric
    first = int(np.flatnonzero(outside)[0])
    row, where = at(first)
    value = float(values.iloc[first])
    if not percent and looks_percent(given):
        message = (
            f"accuracy {format_g(value)} ({where}) is outside [0, 1]; the column looks like percent"
        )
        hint = "pass --percent (percent=True in Python) for accuracies in percent"
    elif not percent and (numeric >= 0).all():  # a lone value above 1: a typo, by its row
        odd = np.flatnonzero(above)
        fractions = "in a column of fractions" if task is None else f"among fractions {inside}"
        message = f"{len(odd)} of {len(given)} accuracies above 1 {fractions}: {listed(odd)}"
        hint = (
            f"fix {'that row' if len(odd) == 1 else 'those rows'}: an accuracy is a fraction "
            f"correct ({format_g(value)}% is {format_g(value / 100)})"
        )
    else:
        shown = value / 100 if percent else value
        message = (
            f"accuracy {format_g(shown)} ({where}) is outside [0, 1]" + " after --percent" * asked
        )
        if percent and not asked:
            said = "its name says so" if named else "most of them are above 1"
            message += f" (read as percent: {said})"
        hint = "accuracies are fractions correct, between 0 and 1 (or 0 and 100 with --percent)"
    raise DataError(message, source=source, row=row, column=column, hint=hint)
