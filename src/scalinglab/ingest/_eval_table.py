"""Evaluation tables: scores of runs already stored, ingested as evaluations (what
:meth:`scalinglab.RunStore.put_evals` stores), not as runs.

Two layouts, as ``downstream`` reads them: *long*, one row per run, task, metric and value;
and *wide*, a run column beside score columns alone (``acc_<task>``, ``acc_norm_<task>``,
``hellaswag/acc``: :func:`~scalinglab.ingest._scores.score_name`), which has no loss or
size to make runs of. A table with a loss is a run table, its score columns stored with its
runs (:func:`~scalinglab.ingest._scores.table_scores`).

Values are read as ``downstream`` reads long rows
(:func:`~scalinglab.downstream._long_values.long_numbers`): ``55%`` as a fraction, a metric
of text (lm-evaluation-harness's ``alias``) left out, each with a note. Scores that are
fractions correct are stored as fractions: each task's metric in percent is
divided by 100, with its standard error and a note, by the rule ``downstream`` reads a
column by (:func:`~scalinglab.downstream._fractions.looks_percent`); a bad value is named by
its row, column, run and task.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import format_columns, format_counted

__all__ = ["LONG_EVALS", "is_eval_table", "refuse_evals", "table_evals"]

#: What an evaluation table holds, as a refusal of one without any says to add.
SCORES = (
    "the scores: one row per run, task and metric (run, task, metric, value), "
    "or a row of each run's scores (run, acc_<task>, ...)"
)

#: The columns of a long evaluation table, as read (its run column, named as a run table's
#: is, read as ``run``: :func:`~scalinglab.data._column_names.long_run_column`).
LONG_EVALS = ("run", "task", "metric", "value")


def is_eval_table(header: Sequence[str], *, run: str | None = None) -> bool:
    """Whether a table of these column names (``header``) holds evaluations, not runs: the
    long layout's columns (its run column ``run``, where ``--map run=COL`` names one, or
    named as a run table's), or one run column and score columns alone."""
    from scalinglab.data._column_names import (
        RUN_COLUMNS,
        column_key,
        find_column,
        long_run_column,
    )
    from scalinglab.ingest._scores import score_name

    names = [str(n) for n in header]
    if long_run_column(names, run=run) is not None:
        return True
    mapped = find_column(names, run) if run is not None else None
    runs = [mapped] if mapped else [n for n in names if column_key(n) in RUN_COLUMNS]
    rest = [n for n in names if n not in runs]
    return len(runs) == 1 and bool(rest) and all(score_name(n.strip()) for n in rest)


def refuse_evals(names: Sequence[str], source: str, *, run: str | None = None) -> None:
    """Refuse an evaluation table read as a run table (its kind not detected from the
    file, or ``--kind table``), saying the ``--kind`` that stores it: run without it, the
    same command would read it as runs again.

    Raises:
        DataError: For a table of ``names`` that :func:`is_eval_table` holds evaluations.
    """
    from scalinglab.data._column_names import long_run_column

    if not is_eval_table(names, run=run):
        return
    key = long_run_column([str(n) for n in names], run=run)
    raise DataError(
        "holds evaluations of runs ("
        + (f"{key}, task, metric, value" if key else "a run column beside score columns alone")
        + "), not runs: it has no loss to store runs by",
        source=source,
        hint=f"store them as the stored runs' scores: scalinglab ingest {source} --store "
        "STORE --kind evals (scalinglab.ingest.ingest_evals(..., kind='evals') in Python)",
    )


def table_evals(
    path: Path, *, detected: bool = False, run: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """The scores of an evaluation table as long rows (``run``, ``task``, ``metric``,
    ``value``), fractions correct as fractions, and notes (a task's metric read as percent,
    blank scores skipped). ``detected``: no kind was given (the file is no harness results
    file, so read as a table), which a refusal says instead of ``--kind evals``. ``run``:
    the run column ``--map run=COL`` names (default: named as a run table's).

    Raises:
        DataError: A ``run`` column the table does not have, no score (a header alone, or
            every score blank), a table of neither layout, a score that is not a number
            (named by its row, column, run and task), an accuracy outside [0, 1] once read.
    """
    from scalinglab.data._column_names import (
        LONG_SCORES,
        RUN_COLUMNS,
        column_key,
        first_run_column,
        long_run_column,
        named_column,
    )
    from scalinglab.downstream._frames import file_rows, read_frame
    from scalinglab.ingest._scores import score_name

    frame = read_frame(path, rows=SCORES)
    lines = file_rows(path, len(frame))
    source = str(path)
    names = [str(c) for c in frame.columns]
    frame = frame.set_axis(names, axis=1)  # a Parquet file's columns may be other than text
    # --map run=COL names a column there is, as a run table's must: never another read instead
    mapped = None if run is None else named_column(names, run, "run ids", source=source, hint=(
        f"name the table's run column: --map run=COLUMN (mapping={{'run': COLUMN}} in Python), "
        f"or drop --map to read the first of {', '.join(RUN_COLUMNS)}"
    ))  # fmt: skip
    run_column = long_run_column(names, run=run)
    if run_column is not None:
        by_key = {column_key(c): c for c in names}
        own = [run_column, *(by_key[c] for c in LONG_SCORES)]
        picked = frame[own].set_axis(list(LONG_EVALS), axis=1)
        column = str(by_key["value"])
        long = picked.assign(row=lines, column=column)
        # a note names a task's metric: the table's one column holds them all
        long["name"] = [
            f"task {t!r} {m}" for t, m in zip(long["task"], long["metric"], strict=True)
        ]
    else:
        key = mapped or first_run_column(names, RUN_COLUMNS)
        if key is None and set(LONG_SCORES) <= {column_key(c) for c in names}:
            raise _no_run_column(frame, source)
        scores = {str(c): score_name(str(c).strip()) for c in frame.columns if str(c) != key}
        if key is None or not scores or None in scores.values():
            # no kind given (Python's ingest_evals): no --kind to drop, the file is neither
            runs = "a table of runs (params, tokens, loss) is ingested as runs, its acc_<task> "
            runs += "columns as their scores: "
            if detected:
                message = (
                    "neither an lm-evaluation-harness results file nor an evaluation table "
                    "(run, task, metric, value rows, or a run column beside score columns "
                    "acc_<task>)"
                )
                runs += f"scalinglab.ingest.ingest({source!r}, store=...) (scalinglab ingest "
                runs += "on the command line)"
            else:
                message = (
                    "neither long evaluations (run, task, metric, value) nor a run column "
                    "beside score columns (acc_<task>)"
                )
                runs += "drop --kind evals (scalinglab.ingest.ingest in Python); a run column "
                runs += f"named otherwise than {', '.join(RUN_COLUMNS)}: --map run=COLUMN"
            raise DataError(message, source=source, hint=runs)
        long = pd.concat(
            [
                pd.DataFrame({"run": frame[key], "task": found[0], "metric": found[1],
                              "value": frame[column], "row": lines, "column": column,
                              "name": f"column {column!r}"})
                for column, found in scores.items() if found is not None
            ],
            ignore_index=True,
        )  # fmt: skip
    return _checked(long, source)


def _no_run_column(frame: pd.DataFrame, source: str) -> DataError:
    """The error for long evaluations (task, metric, value) without a run column named as
    a run table's: the ``--map run=`` that reads one, naming the column of text beside
    task, metric and value where there is one (``model``), the likeliest run column."""
    from scalinglab.data._column_names import LONG_SCORES, RUN_COLUMNS, column_key

    names = [str(c) for c in frame.columns]
    others = [c for c in names if column_key(c) not in LONG_SCORES]
    text = [c for c in others if not pd.api.types.is_numeric_dtype(frame[c])]
    column = text[0] if len(text) == 1 else "COLUMN"
    among = f" (one of {', '.join(repr(c) for c in text)})" if len(text) > 1 else ""
    return DataError(
        f"long evaluations (task, metric, value) without a run column (looked for "
        f"{', '.join(RUN_COLUMNS)}); the columns are {format_columns(names)}",
        source=source,
        hint=f"name the column of run names: --map run={column}{among} "
        f"(mapping={{'run': {column!r}}} in Python)",
    )


def _checked(long: pd.DataFrame, source: str) -> tuple[pd.DataFrame, list[str]]:
    """``long`` (with each score's ``row`` and ``column``, and ``name``: what a note calls
    its task's metric) without blank scores nor a metric of text, its values numbers
    (:func:`~scalinglab.downstream._long_values.long_numbers`), each run's task and metric
    once (:func:`~scalinglab.downstream._long_values.one_score_each`), fractions correct as
    fractions (:func:`as_fractions`), and notes."""
    from scalinglab.downstream._long_values import long_numbers, one_score_each
    from scalinglab.ingest._scores import as_fractions

    long = long.assign(run=long["run"].astype(str), task=long["task"].astype(str),
                       metric=long["metric"].astype(str))  # fmt: skip
    blank = long["value"].isna()
    if blank.all():  # nothing to store: refused, as a run table without rows is
        empty = "the file has a header but no data rows"
        raise DataError(
            f"no evaluations: {f'every score ({len(long)}) is blank' if len(long) else empty}",
            source=source,
            hint=f"add {SCORES}",
        )
    notes = [f"{format_counted(int(blank.sum()), 'blank score')} skipped"] * bool(blank.any())
    long = long[~blank].reset_index(drop=True)
    # downstream's rule: 55% a fraction, a metric of text (alias) left out, else numbers
    long, read, _ = long_numbers(
        long, source, rows=[int(r) for r in long["row"]], column=[str(c) for c in long["column"]]
    )
    notes += read
    # a score twice: read once, or refused by its rows as downstream refuses it
    rows, columns = [int(r) for r in long["row"]], [str(c) for c in long["column"]]
    long = one_score_each(long.reset_index(drop=True), source, rows=rows, columns=columns)
    long = long.reset_index(drop=True)  # positions again, for the rows and columns below
    runs = {r: r for r in long["run"]}
    out, said = as_fractions(long.drop(columns=["row", "column"]), source, runs,
                             rows=list(long["row"]), columns=list(long["column"]))  # fmt: skip
    return out, notes + said
