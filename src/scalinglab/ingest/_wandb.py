"""Weights & Biases exports: the run table (CSV from the web UI, or JSON from the API) and,
where given, a history export with every logged point.

The UI's run-table CSV has fixed columns (``Name``, ``State``, ``Created``, ``Runtime``...,
``ID`` when shown) followed by config and summary keys, not told apart; the API's JSON is a
list of runs with ``name``, ``id``, ``state``, ``config`` and ``summary`` objects (and, if
written so, a ``history`` list per run). A history export is long (one row per run and step:
a run column, ``_step``, metric columns, as ``run.history()`` gives for each run) or the
UI's wide panel export (``Step`` and ``<run> - <metric>`` columns).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import format_columns
from scalinglab.data._curve_columns import pick_step
from scalinglab.data._step_column import STEP_ALIASES
from scalinglab.ingest._detect import wandb_folder_error
from scalinglab.ingest._history import match_points, read_points
from scalinglab.ingest._source import (
    RUN,
    STEP,
    Source,
    TrackerRun,
    flatten,
    history_frame,
    non_finite,
    number,
    tracker_status,
)
from scalinglab.ingest._table import refuse_panel
from scalinglab.ingest._wandb_table import HINT as _HINT
from scalinglab.ingest._wandb_table import read_table as _read_table

__all__ = ["read_wandb"]

#: Run-table columns that describe the run rather than its config or metrics.
_META = {
    "name", "id", "state", "notes", "user", "tags", "created", "runtime", "sweep", "group",
    "job type", "hostname", "host", "commit", "github", "end time", "heartbeat", "agent",
}  # fmt: skip
_RUN_KEYS = ("run_id", "id", "ID", "Run ID", "run", "name", "Name")
#: The keys a run object's name is read from, in order: W&B's API says ``name``.
_NAME_KEYS = ("name", "display_name", "run_name", "run", "exp_name")


def _plain(value: Any) -> Any:
    """Cells as JSON-ready Python values (NaN cells dropped by the caller)."""
    if isinstance(value, np.generic):
        return value.item()
    return value


def _cells(column: str, value: Any) -> dict[str, Any]:
    """A CSV cell as config values: a JSON object (nested config the export wrote as one cell,
    ``{"n_params": ...}``) flattened as the UI names nested keys (``model.n_params``), by
    :func:`flatten` as the API's JSON is; any other cell as it is."""
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            data = json.loads(value)
        except ValueError:
            return {column: value}
        if isinstance(data, dict):
            return flatten(data, sep=".", prefix=column)
    return {column: value}


def _from_record(
    record: Mapping[str, Any],
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """An API-style run object -> (identity, config, summary)."""
    lower = {str(k).lower(): v for k, v in record.items()}
    ident = {k: lower.get(k) for k in ("name", "id", "state", "group", "sweep")}
    # a run object written by hand names its run as a run table's column does (run_name)
    named = (lower.get(k) for k in _NAME_KEYS if lower.get(k) not in (None, ""))
    ident["name"] = next(named, None)
    config = flatten(lower.get("config") or {})
    summary = flatten(lower.get("summary") or lower.get("summary_metrics") or {})
    return ident, config, summary


def _runs(
    path: Path, table: pd.DataFrame, written: set[tuple[int, str]]
) -> tuple[list[TrackerRun], list[Any]]:
    runs: list[TrackerRun] = []
    histories: list[Any] = []
    records = table.to_dict("records")
    columns = {str(c).strip().lower(): str(c) for c in table.columns}
    for row_no, record in enumerate(records, start=1):
        if "_record" in record:
            raw = record["_record"]
            ident, config, summary_raw = _from_record(raw)
            histories.append(raw.get("history"))
        else:
            ident = {
                k: record.get(columns[k])
                for k in ("name", "id", "state", "group", "sweep")
                if k in columns
            }
            config, summary_raw = {}, {}
            for column, value in record.items():
                if str(column).strip().lower() in _META or value is None:
                    continue
                if value != value:  # a NaN the run logged is reported, as the JSON's summary
                    if (row_no - 1, str(column)) in written:
                        summary_raw[str(column)] = float("nan")
                    continue
                config.update(_cells(str(column), _plain(value)))
            histories.append(None)
        values = {k: number(v) for k, v in {**config, **summary_raw}.items()}
        clean = {k: v for k, v in values.items() if v is not None}
        # a reported inf or NaN (a diverged run's loss) stays, for the run to be judged by it
        odd = ((k, non_finite(v)) for k, v in summary_raw.items())
        clean.update({k: v for k, v in odd if v is not None})
        name = ident.get("name")
        if name is None or name != name:
            raise _nameless(path, row_no, objects="_record" in record)
        run_id = ident.get("id")
        has_id = run_id is not None and run_id == run_id and str(run_id) != ""
        meta = {
            k: str(v)
            for k, v in ident.items()
            if k in ("group", "sweep") and v is not None and v == v
        }
        meta["wandb_state"] = str(ident.get("state") or "")
        runs.append(
            TrackerRun(
                key=str(run_id) if has_id else f"{path.name}::{name}",
                source_run_id=str(run_id) if has_id else str(name),
                name=str(name),
                status=tracker_status(ident.get("state")),
                config={k: v for k, v in config.items() if not isinstance(v, float) or v == v},
                summary=clean,
                meta=meta,
                location=str(path),
                state=meta["wandb_state"],
            )
        )
    return runs, histories


def _nameless(path: Path, row_no: int, *, objects: bool) -> DataError:
    """The error for a run without a name: a table's ``Name`` column, or a run object's key."""
    if not objects:
        return DataError(
            "a run without a name", source=str(path), row=_row(path, row_no), column="Name",
            hint="export the run table with its Name column",
        )  # fmt: skip
    keys = ", ".join(repr(k) for k in _NAME_KEYS)
    return DataError(
        f"a run object without a name (none of the keys {keys})",
        source=str(path), row=_row(path, row_no), hint="give each run object its name: \"name\": \"...\"",
    )  # fmt: skip


def _row(path: Path, k: int) -> int:
    """The row of the ``k``-th run (1-based) as the user sees it, as the other readers count:
    a CSV's line number (its header is line 1), a JSON-lines file's line number (blank
    lines counted, as its reader's own errors count them), else the ``k``-th record."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        text = path.read_text(encoding="utf-8-sig").splitlines()
        return [n for n, line in enumerate(text, start=1) if line.strip()][k - 1]
    return k + 1 if suffix in (".csv", ".tsv") else k


def _check_unique(path: Path, runs: list[TrackerRun], histories: list[Any]) -> None:
    """Refuse two runs under one key, as ``fit`` refuses a run id twice: a row repeated
    exactly (an export appended to) is named as such; two different runs under one ID
    are not told apart here, and two of one name without IDs need the ID column."""
    seen: dict[str, int] = {}
    for k, run in enumerate(runs):
        first = seen.setdefault(run.key, k)
        if first == k:
            continue
        rows = f"rows {_row(path, first + 1)} and {_row(path, k + 1)}"
        has_id = run.key == run.source_run_id
        column = "ID" if has_id else "Name"  # the UI's CSV; the API's JSON says id and name
        if run == runs[first] and histories[k] == histories[first]:
            message = f"run {run.name!r} ({run.source_run_id}) is given twice, identical ({rows})"
            hint = "remove the repeated row from the export (or export the run table again)"
        elif has_id:
            message = f"two different runs have the ID {run.source_run_id!r} ({rows})"
            hint = "keep the one to ingest and remove the other from the export"
        else:
            message = f"two runs are both named {run.name!r} and the export has no ID ({rows})"
            hint = "add the ID column to the export (W&B: Columns -> ID) so runs are told apart"
        raise DataError(
            message, source=str(path), row=_row(path, k + 1),
            column=column if path.suffix.lower() in (".csv", ".tsv") else column.lower(),
            hint=hint,
        )  # fmt: skip


def _read_history(history: Path, runs: list[TrackerRun]) -> tuple[pd.DataFrame | None, list[str]]:
    """A long or wide history export -> the long frame, matched to ``runs`` by id or name."""
    source = str(history)
    table = read_points(history, what="history export", text=("run_id", "id", "run", "name"))
    names = table.column_names
    run_col = next((c for c in _RUN_KEYS if c in names), None)
    step_col, said = pick_step(names, source=source)  # train/global_step, not _step
    if step_col is None:
        raise DataError(
            f"no step column (one of {', '.join(STEP_ALIASES)}); the columns are {format_columns(names)}",
            source=source, hint="export the history with its _step column",
        )  # fmt: skip
    if run_col is None:
        frame, notes = _wide_history(table.to_pandas(), step_col, runs, source)
    else:
        by_id = run_col.lower() in ("run_id", "id", "run id")
        keys = [r.source_run_id if by_id else r.name for r in runs]
        frame, notes = match_points(table, run_col=run_col, step_col=step_col, keys=keys,
                                    source=source, names=[r.name for r in runs])  # fmt: skip
    return frame, [said, *notes] if said else notes


def _wide_history(
    wide: pd.DataFrame, step_col: str, runs: list[TrackerRun], source: str
) -> tuple[pd.DataFrame | None, list[str]]:
    """The UI panel export: ``Step``, ``<run> - <metric>`` (and ``__MIN``/``__MAX``) columns."""
    index = {r.name: k for k, r in enumerate(runs)}
    parts = []
    for column in wide.columns:
        if column == step_col or " - " not in column or column.endswith(("__MIN", "__MAX")):
            continue
        run, metric = column.rsplit(" - ", 1)
        if run not in index:
            raise DataError(
                f"the history names run {run!r}, which is not in the run table",
                source=source, column=column, hint="export history and run table from one project",
            )  # fmt: skip
        values = pd.to_numeric(wide[column], errors="coerce")
        keep = values.notna().to_numpy()
        parts.append(
            pd.DataFrame(
                {RUN: index[run], STEP: wide[step_col].to_numpy()[keep], metric: values[keep]}
            )
        )
    if not parts:
        raise DataError(
            "neither a run column nor '<run> - <metric>' columns in the history export",
            source=source, hint=f"give it a run column ({', '.join(_RUN_KEYS)})",
        )  # fmt: skip
    long = pd.concat(parts, ignore_index=True, sort=False)
    long = long.groupby([RUN, STEP], as_index=False, sort=True).first()
    return history_frame([long]), []


def read_wandb(path: Path, *, history: Path | None = None) -> Source:
    """Read a W&B run-table export, and its history export where given.

    Raises:
        DataError: For an unreadable export, a chart's export (``--history``, not a run
            table), a run without a name, two runs that cannot be told apart, or a history
            that does not match the run table.
    """
    if path.is_dir():
        raise wandb_folder_error(path)
    table, written = _read_table(path)
    refuse_panel([str(c) for c in table.columns], str(path))  # a chart's export: --history
    if table.empty:
        raise DataError("no runs: the export has no rows", source=str(path), hint=_HINT)
    runs, inline = _runs(path, table, written)
    _check_unique(path, runs, inline)
    notes: list[str] = []
    frame = None
    if history is not None:
        frame, notes = _read_history(history, runs)
    elif any(h for h in inline):
        parts = []
        for k, rows in enumerate(inline):
            if not rows:
                continue
            part = pd.DataFrame([flatten(r) for r in rows])
            step_col, said = pick_step([str(c) for c in part.columns], source=str(path))
            notes += [said] if said and said not in notes else []
            part[STEP] = part[step_col] if step_col else np.arange(len(part))
            part[RUN] = k
            numeric = [c for c in part.columns if c not in (RUN, STEP, step_col)]
            parts.append(part[[RUN, STEP, *numeric]].apply(pd.to_numeric, errors="coerce"))
        frame = history_frame(parts)
    # the UI's CSV names its column State; the API's JSON gives each run a state
    said = next((f"column {str(c)!r}" for c in table.columns if str(c).strip().lower() == "state"),
                "the runs' state")  # fmt: skip
    return Source("wandb", str(path), tuple(runs), frame, tuple(notes), states_from=said,
                  history_from="" if history is None else str(history))  # fmt: skip
