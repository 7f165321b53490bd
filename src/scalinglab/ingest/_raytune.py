"""Ray Tune result folders, read as files (Ray itself is not needed).

An experiment folder holds one folder per trial with ``params.json`` (the trial's config),
``result.json`` (one JSON object per reported result) and ``progress.csv`` (the same results
as a table, config flattened to ``config/...`` columns). ``result.json`` is preferred: it
keeps nested metrics; ``progress.csv`` is the fallback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import DataError, first_line
from scalinglab.data._json import load_json
from scalinglab.ingest._source import (
    RUN,
    STEP,
    Progress,
    Source,
    TrackerRun,
    flatten,
    history_frame,
)

__all__ = ["read_raytune"]

#: What Ray Tune adds to every result: bookkeeping, not metrics.
_BOOKKEEPING = {
    "done", "training_iteration", "iterations_since_restore", "time_this_iter_s",
    "time_total_s", "time_since_restore", "timestamp", "date", "pid", "hostname", "node_ip",
    "trial_id", "experiment_id", "experiment_tag", "timesteps_total", "timesteps_since_restore",
    "episodes_total", "should_checkpoint", "checkpoint_dir_name", "warmup_time",
}  # fmt: skip
_TRUNCATED = "fix or remove that line (a trial killed mid-write can leave one)"


def _trial_dirs(path: Path) -> list[Path]:
    def is_trial(d: Path) -> bool:
        return (d / "result.json").is_file() or (d / "progress.csv").is_file()

    if is_trial(path):
        return [path]
    return sorted(d for d in path.iterdir() if d.is_dir() and is_trial(d))


def _results(trial: Path) -> list[dict[str, Any]]:
    result = trial / "result.json"
    if result.is_file() and result.stat().st_size > 0:
        rows = []
        with result.open(encoding="utf-8") as handle:
            for line_no, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = load_json(line, str(result), line_no, _TRUNCATED)
                except json.JSONDecodeError as err:
                    raise DataError(
                        f"line is not valid JSON ({err.msg})", source=str(result), row=line_no,
                        hint=_TRUNCATED,
                    ) from None  # fmt: skip
                if isinstance(row, dict):
                    rows.append(row)
        return rows
    progress_csv = trial / "progress.csv"
    if progress_csv.is_file() and progress_csv.stat().st_size > 0:
        try:
            frame = pd.read_csv(progress_csv)
        except (ValueError, pd.errors.ParserError) as err:
            raise DataError(
                f"cannot read: {first_line(err)}", source=str(progress_csv), hint=_TRUNCATED
            ) from None
        return [{str(k): v for k, v in r.items() if v == v} for r in frame.to_dict("records")]
    return []


def _config(trial: Path, rows: list[dict[str, Any]]) -> dict[str, Any]:
    params = trial / "params.json"
    if params.is_file():
        try:
            data = load_json(params.read_text(encoding="utf-8"), str(params))
        except json.JSONDecodeError as err:
            raise DataError(
                f"not valid JSON ({err.msg}, line {err.lineno})", source=str(params)
            ) from None
        if isinstance(data, dict):
            return flatten(data)
    if rows and isinstance(rows[0].get("config"), dict):
        return flatten(rows[0]["config"])
    first = rows[0] if rows else {}
    return {k.removeprefix("config/"): v for k, v in first.items() if k.startswith("config/")}


def _frame(rows: list[dict[str, Any]], index: int) -> pd.DataFrame:
    records = []
    for k, row in enumerate(rows):
        metrics = flatten({key: v for key, v in row.items() if key != "config"})
        step = row.get("training_iteration", k + 1)
        record: dict[str, Any] = {RUN: index, STEP: step}
        for key, value in metrics.items():
            if key in _BOOKKEEPING or key.startswith("config/"):
                continue
            if isinstance(value, int | float) and not isinstance(value, bool):
                record[key] = float(value)
        records.append(record)
    frame = pd.DataFrame.from_records(records)
    frame[STEP] = pd.to_numeric(frame[STEP], errors="coerce").fillna(-1).astype(np.int64)
    return frame


def read_raytune(path: Path, *, progress: Progress | None = None) -> Source:
    """Read every trial of a Ray Tune experiment folder (or one trial folder).

    Raises:
        DataError: For an unreadable result file (naming file and line), or no trials.
    """
    trials = _trial_dirs(path)
    if not trials:
        raise DataError(
            "no Ray Tune trial folders (with result.json or progress.csv)", source=str(path)
        )
    runs: list[TrackerRun] = []
    parts: list[pd.DataFrame] = []
    notes: list[str] = []
    for k, trial in enumerate(trials):
        rows = _results(trial)
        if progress is not None:
            progress(k + 1, len(trials))
        if not rows:
            notes.append(f"{trial.name}: no results reported yet; skipped")
            continue
        trial_id = next((str(r["trial_id"]) for r in rows if r.get("trial_id")), trial.name)
        done = any(bool(r.get("done")) for r in rows)
        runs.append(
            TrackerRun(
                key=f"{trial_id}::{trial.name}",  # not the absolute path: folders move
                source_run_id=trial_id,
                name=trial.name,
                status="finished",
                config=_config(trial, rows),
                # the trial's experiment, also when one trial's folder is ingested alone
                meta={"experiment": trial.resolve().parent.name, "ray_done": str(done).lower()},
                location=str(trial),
            )
        )
        parts.append(_frame(rows, len(runs) - 1))
    if not runs:
        raise DataError("no trial has reported a result yet", source=str(path))
    return Source("raytune", str(path), tuple(runs), history_frame(parts), tuple(notes))
