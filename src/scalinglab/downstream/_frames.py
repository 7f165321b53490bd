"""Tables of evaluations, chance levels and runs as pandas frames, in the formats a run
table comes in (lm-evaluation-harness results are found by their content, elsewhere), and
the tasks asked of them as ``--tasks`` names them (:func:`named_tasks`)."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab.data._files import check_file, file_format
from scalinglab.data._json import load_json
from scalinglab.data._json_columns import column_records
from scalinglab.data._not_utf8 import not_utf8
from scalinglab.data._parquet_index import index_as_columns
from scalinglab.data._text_readers import (
    header_separator,
    no_decimal_commas,
    read_jsonl,
    scan_lines,
)

__all__ = ["LONG", "check_metric", "file_rows", "is_error", "read_frame"]

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
            return _no_rows(index_as_columns(pd.read_parquet(path)), path, rows)  # index: columns
        if kind == "jsonl":  # as a run table's lines are read: a bad one named by its row
            raw = read_jsonl(path, str(path), flat=False)
            return _no_rows(pd.DataFrame({n: list(raw.cells[n]) for n in raw.names}), path, rows)
        if kind == "json":
            return _read_json_table(path)
        usual = "\t" if kind == "tsv" else ","
        sep = header_separator(path, usual)  # a .csv of ';' or tabs: as run tables are read
        # blank lines and # comments skipped by the run tables' rule (a "#" inside a cell is
        # text: pandas' comment= would cut the cell there)
        lines = scan_lines(path, sep)
        frame = pd.read_csv(path, sep=sep, skiprows=lines[2] or None)
        # a repeated name kept as the file writes it (pandas would read 'acc_piqa.1'), to be
        # read or refused as a run table's is (data._repeated_names)
        if len(lines[0]) == frame.shape[1] and len(set(lines[0])) < len(lines[0]):
            frame.columns = [
                h if lines[0].count(h) > 1 else c
                for h, c in zip(lines[0], frame.columns, strict=True)
            ]
    except UnicodeDecodeError as exc:  # a ValueError: named as a run table's file names it
        raise not_utf8(exc, str(path)) from None
    except pd.errors.EmptyDataError:  # blank lines only: as a run table's reader says it
        raise DataError(
            "the file holds only blank lines",
            source=str(path),
            hint=f"write a header line, then {rows}",
        ) from None
    except (ValueError, OSError, csv.Error, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read it: {exc}", source=str(path)) from None
    if sep not in (usual, ",") and len(lines[1]) == len(frame):  # 0,45 beside ';': as runs
        cells = frame.astype(str).to_numpy().tolist()
        no_decimal_commas([str(c) for c in frame.columns], cells, lines[1], str(path), sep)
    return _no_rows(frame, path, rows)


def _no_rows(frame: pd.DataFrame, path: Path, rows: str) -> pd.DataFrame:
    """``frame``, refused where it holds no row, as a run table's file is refused; what it
    lacks is named by ``rows``: runs (per model), evaluations (the scores), else rows."""
    if len(frame):
        return frame
    what = "runs" if "model" in rows else "evaluations" if "scores" in rows else "rows"
    raise DataError(
        f"no {what}: the file has a header but no data rows", source=str(path), hint=f"add {rows}"
    )


def file_rows(path: Path, n: int) -> tuple[int, ...]:
    """The rows of a table's ``n`` records as the run tables count them in ``path``: a CSV's
    or TSV's lines (past its blank and comment lines), else from 1 (a JSONL file's lines, a
    Parquet file's rows)."""
    kind = file_format(path)[1]
    if kind in ("csv", "tsv"):  # the lines past blank lines and # comments, as read_frame
        starts = scan_lines(path, header_separator(path, "\t" if kind == "tsv" else ","))[1]
        if len(starts) == n:
            return tuple(starts)
    first = 2 if kind in ("csv", "tsv") else 1
    return tuple(range(first, first + n))


def _read_json_table(path: Path) -> pd.DataFrame:
    """A ``.json`` table: a list of records (``DataFrame.to_json(orient="records")``) or
    columns of equal length; anything else is neither a table nor lm-eval's results."""
    import json

    hint = 'give a list of records, one per model: [{"params": 7e7, "acc_piqa": 0.6}, ...]'
    try:  # as a run table's .json is read: a BOM allowed, repeated keys refused by name
        data = load_json(path.read_text(encoding="utf-8-sig"), str(path), None, hint)
    except json.JSONDecodeError as err:
        raise DataError(
            f"not valid JSON ({err.msg}, line {err.lineno}, column {err.colno})",
            source=str(path),
            row=err.lineno,
            hint=hint,
        ) from None
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return pd.DataFrame.from_records(data)
    columns = column_records(data, str(path), hint)  # by the run tables' rule: one for both
    if columns is not None:
        return pd.DataFrame.from_records(columns)
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


def named_tasks(tasks: Sequence[str] | str | None, *, what: str = "tasks") -> list[str] | None:
    """The tasks asked for (``read_evals``, ``fit_downstream``), as ``--tasks`` reads them: a
    string is one task or several comma-separated (``"hellaswag,piqa"``), and ``"all"`` (or
    ``None``) is every task of the evaluations, ``None`` here (a string is never iterated
    by its characters); ``what`` names the argument in the message (``"average_of"``)."""
    if tasks is not None and not isinstance(tasks, str | Sequence | set | frozenset):
        raise ConfigError(  # tasks=5: neither a name nor names
            f"{what} must be task names, got {type(tasks).__name__} {tasks!r}",
            hint=f"e.g. {what}=['hellaswag', 'piqa'], {what}='hellaswag,piqa' or {what}='all'",
        )
    names = [t.strip() for t in tasks.split(",") if t.strip()] if isinstance(tasks, str) else tasks
    return None if names is None or list(names) == ["all"] else list(names)
