"""Tables of evaluations, chance levels and runs as pandas frames, in the formats a run
table comes in (lm-evaluation-harness results are found by their content, elsewhere)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import join_more
from scalinglab.data._files import check_file, file_format

__all__ = [
    "LONG",
    "Scored",
    "check_metric",
    "file_rows",
    "is_error",
    "left_out",
    "pivot_long",
    "read_frame",
]

_FORMATS = (
    "use .csv, .tsv (either gzipped), .parquet, .jsonl or .json (a list of records), or a "
    "folder of lm-evaluation-harness results"
)
#: The columns of a long evaluation table: one row per run, task and metric.
LONG = ("run", "task", "metric", "value")


def read_frame(path: Path, *, rows: str = "one row per model") -> pd.DataFrame:
    """A table of evaluations, chance levels or runs, in the formats run tables come in,
    checked first as a run table's file is (``rows``: what an empty one should hold)."""
    # the run tables' formats (lm-eval's found by content)
    kind = check_file(path, str(path), rows=rows, formats=_FORMATS)
    try:
        if kind == "parquet":
            return pd.read_parquet(path)
        if kind == "jsonl":
            return pd.read_json(path, lines=True)
        if kind == "json":
            return _read_json_table(path)
        return pd.read_csv(path, sep="\t" if kind == "tsv" else ",")
    except pd.errors.EmptyDataError:  # blank lines only: as a run table's reader says it
        raise DataError(
            "the file holds only blank lines",
            source=str(path),
            hint=f"write a header line, then {rows}",
        ) from None
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read it: {exc}", source=str(path)) from None


def file_rows(path: Path, n: int) -> tuple[int, ...]:
    """The rows of a table's ``n`` records as the run tables count them in ``path``: a CSV's
    or TSV's lines (its header is line 1), else from 1 (a JSONL file's lines, a Parquet
    file's rows)."""
    first = 2 if file_format(path)[1] in ("csv", "tsv") else 1
    return tuple(range(first, first + n))


def _read_json_table(path: Path) -> pd.DataFrame:
    """A ``.json`` table: a list of records (``DataFrame.to_json(orient="records")``) or
    columns of equal length; anything else is neither a table nor lm-eval's results."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return pd.DataFrame.from_records(data)
    if isinstance(data, dict) and data and all(isinstance(v, list | dict) for v in data.values()):
        return pd.DataFrame(data)
    raise DataError(
        "neither lm-evaluation-harness results (no 'results' section) nor a table (a list "
        "of records, one per model)",
        source=str(path),
        hint="give the harness's results_*.json (or its output folder), or a table of one "
        "row per model",
    )


def is_error(metric: str) -> bool:
    """Whether ``metric`` is a standard error (lm-evaluation-harness's ``acc_stderr``,
    ``acc_norm_stderr,none``), not a score."""
    return metric.split(",")[0].endswith("_stderr")


def left_out(metric: str, scores: Iterable[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    """The tasks left out for want of ``metric``, each with why (``task -> reason``, what
    :attr:`Evals.left_out <scalinglab.downstream.Evals.left_out>` holds), and the note
    saying so, one wording for every reader (a wide table, a long one, harness results, the
    run store): those whose ``scores`` (``(task, metric)`` pairs; a harness metric's filter
    aside, standard errors no scores) are of other metrics only. Both empty when none is."""
    by_task: dict[str, list[str]] = {}
    for task, name in scores:
        base = str(name).split(",")[0]  # "acc,flexible-extract": acc
        found = by_task.setdefault(str(task), [])
        if not is_error(base) and base not in found:
            found.append(base)
    missing = {task: found for task, found in by_task.items() if found and metric not in found}
    if not missing:
        return {}, []
    why = {t: f"no {metric} for {t} (--metric {found[0]} reads it)" for t, found in missing.items()}
    first = next(iter(missing.values()))
    shared = [m for m in first if all(m in found for found in missing.values())]
    reads = "it" if len(missing) == 1 else "them" if shared else next(iter(missing))
    return why, [
        f"no {metric} for {', '.join(missing)}: left out (--metric {(shared or first)[0]} "
        f"reads {reads})"
    ]


@dataclass(frozen=True)
class Scored:
    """Every score a source holds, as ``run``, ``task`` and ``metric`` rows: what the note
    on the tasks left out for want of ``metric`` is said of (:func:`left_out`).

    Attributes:
        metric: The metric read as the accuracy.
        rows: One row per score: ``run`` (the model's name), ``task``, ``metric``.
    """

    metric: str
    rows: pd.DataFrame

    def left_out(self, removed: Collection[str] = ()) -> tuple[dict[str, str], list[str]]:
        """:func:`left_out` of the scores of the models not ``removed`` (by ``--where``):
        a task only removed models have scores of is not theirs to speak of."""
        rows = self.rows
        if removed:
            rows = rows[~rows["run"].astype(str).isin(list(removed))]
        return left_out(self.metric, zip(rows["task"], rows["metric"], strict=True))


def check_metric(metric: str, source: str, *, column: str | None = None) -> None:
    """Refuse a standard error asked for as the accuracy: every reader of evaluations (a
    table, lm-evaluation-harness results, the run store) calls this first.

    Raises:
        DataError: If ``metric`` is a standard error.
    """
    if is_error(metric):
        raise DataError(
            f"metric {metric!r} is a standard error, not a score",
            source=source,
            column=column,
            hint=f"read the score it is the error of: --metric {metric.replace('_stderr', '')}"
            " (metric=... in Python)",
        )


def pivot_long(
    frame: pd.DataFrame, metric: str, source: str
) -> tuple[pd.DataFrame, list[str], Scored]:
    """Long (run, task, metric, value) rows of ``metric`` to one row per run (a column
    ``acc_<task>`` per task); a table without rows of it is refused, naming its metrics (a
    standard error such as lm-evaluation-harness's ``acc_stderr`` is no score). A run
    without rows of that metric is not a model of the table, whatever other rows it has.
    The scores, for the note on the tasks left out for want of it (:class:`Scored`)."""
    check_metric(metric, source, column="metric")
    metrics = list(dict.fromkeys(frame["metric"].astype(str)))
    scores = [m for m in metrics if not is_error(m)]
    if metric not in metrics:  # another metric is never read in its place: refused, named
        errors = ": standard errors, not scores" if not scores else ""
        raise DataError(
            f"no rows of metric {metric!r}; the metrics here are {join_more(metrics, 8)}" + errors,
            source=source,
            column="metric",
            hint=f"choose the one read as accuracy: --metric {scores[0] if scores else 'NAME'} "
            "(metric=... in Python)",
        )
    use, notes = metric, list[str]()
    named = frame["metric"].astype(str)
    scored = Scored(use, frame[["run", "task", "metric"]])
    rows = frame[named == use]
    pairs = rows[["run", "task"]].astype(str)
    repeated = pairs.duplicated(keep=False)
    if repeated.any():
        clash = rows[repeated].groupby([pairs["run"], pairs["task"]])["value"].nunique() > 1
        if clash.any():
            run, task = clash[clash].index[0]
            at = [int(i) + 2 for i in rows.index[repeated & (pairs["run"] == run)]][:4]
            raise DataError(
                f"run {run!r} has {int((repeated & (pairs['run'] == run)).sum())} different "
                f"{task!r} scores of metric {rows['metric'].iloc[0]!r}",
                source=source,
                row=at[0],
                hint=f"keep one row per run, task and metric (rows {', '.join(map(str, at))})",
            )
    values = rows.assign(_key="acc_" + rows["task"].astype(str)).pivot_table(
        index="run", columns="_key", values="value", aggfunc="first"
    )
    extra = [c for c in frame.columns if c not in LONG]
    per_run = frame.groupby("run", sort=False)[extra].first() if extra else None
    # the runs with a score only: one with rows of other metrics alone is no model here
    wide = values if per_run is None else per_run.join(values, how="inner")
    wide.columns.name = None
    return wide.reset_index(), notes, scored
