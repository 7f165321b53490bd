"""MLflow tracking stores: a file store (``mlruns/``) or a SQLite database, read through
MLflow's own client, with the whole history of every metric."""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError, first_line
from scalinglab._extras import install_hint
from scalinglab._format import format_counted
from scalinglab.ingest._mlflow_copy import private_copy
from scalinglab.ingest._source import (
    RUN,
    STEP,
    Progress,
    Source,
    TrackerRun,
    history_frame,
    tracker_status,
)

__all__ = ["read_mlflow", "tracking_uri"]

_EXTRA = install_hint("trackers")
_PAGE = 1000


def _client(uri: str) -> Any:
    try:
        from mlflow.tracking import MlflowClient
    except ImportError:
        raise ConfigError(
            "reading an MLflow store needs the mlflow client, which is not installed",
            hint=f"install the trackers extra: {_EXTRA}",
        ) from None
    return MlflowClient(tracking_uri=uri)


def tracking_uri(path: Path) -> str:
    """The MLflow URI of a store folder or database file."""
    if path.is_file():
        return f"sqlite:///{path.resolve()}"
    if (path / "mlflow.db").is_file():
        return f"sqlite:///{(path / 'mlflow.db').resolve()}"
    return path.resolve().as_uri()


@contextmanager
def _file_store_allowed() -> Iterator[None]:
    """MLflow 3 refuses file stores unless told to; reading an existing one is what we want."""
    before = os.environ.get("MLFLOW_ALLOW_FILE_STORE")
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
        else:
            os.environ["MLFLOW_ALLOW_FILE_STORE"] = before


@contextmanager
def _quiet() -> Iterator[None]:
    """MLflow, Alembic and SQLAlchemy log INFO lines and tracebacks of runs they skip; the
    user gets scalinglab's one-line message instead."""
    loggers = [logging.getLogger(name) for name in ("mlflow", "alembic", "sqlalchemy")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _all_runs(client: Any, experiment_ids: list[str]) -> list[Any]:
    runs: list[Any] = []
    token = None
    while True:
        page = client.search_runs(experiment_ids, max_results=_PAGE, page_token=token)
        runs.extend(page)
        token = getattr(page, "token", None)
        if not token:
            return runs


def _history(client: Any, run_id: str, keys: list[str], index: int) -> tuple[pd.DataFrame, int]:
    """Every logged point of each metric, merged on step (the last value where one repeats:
    a run resumed from a checkpoint logs its steps again), and how many points repeated."""
    series = []
    repeated = 0
    for key in keys:
        points = client.get_metric_history(run_id, key)
        if not points:
            continue
        steps = np.array([p.step for p in points], dtype=np.int64)
        values = np.array([p.value for p in points], dtype=np.float64)
        order = np.argsort(steps, kind="stable")
        s = pd.Series(values[order], index=steps[order], name=key)
        dup = s.index.duplicated(keep="last")
        repeated += int(dup.sum())
        series.append(s[~dup])
    if not series:
        return pd.DataFrame(), 0
    frame = pd.concat(series, axis=1, sort=True)
    frame.index.name = STEP
    frame = frame.reset_index()
    frame.insert(0, RUN, index)
    return frame, repeated


def _read(copy: Path, path: Path, progress: Progress | None) -> Source:
    client = _client(tracking_uri(copy))
    experiments = {e.experiment_id: e.name for e in client.search_experiments()}
    found = _all_runs(client, list(experiments))
    runs: list[TrackerRun] = []
    parts: list[pd.DataFrame] = []
    notes: list[str] = []
    for k, run in enumerate(found):
        info, data = run.info, run.data
        name = info.run_name or data.tags.get("mlflow.runName") or info.run_id
        meta = {
            "experiment": experiments.get(info.experiment_id, str(info.experiment_id)),
            "mlflow_status": str(info.status),
        }
        parent = data.tags.get("mlflow.parentRunId")
        if parent:
            meta["parent_run_id"] = parent
        runs.append(
            TrackerRun(
                key=info.run_id,
                source_run_id=info.run_id,
                name=str(name),
                status=tracker_status(info.status),
                config=dict(data.params),
                summary={str(m): float(v) for m, v in data.metrics.items()},
                meta=meta,
                location=str(path),
                state=str(info.status),  # KILLED, kept as failed: the note says which
            )
        )
        frame, repeated = _history(client, info.run_id, sorted(data.metrics), k)
        parts.append(frame)
        if repeated:  # said as a TensorBoard run's are: a resume is no silent rewrite
            notes.append(
                f"{name}: {format_counted(repeated, 'point')} logged twice at one step kept "
                f"{'its' if repeated == 1 else 'their'} last value"
            )
        if progress is not None:
            progress(k + 1, len(found))
    if not runs:
        raise DataError(
            "an MLflow store with no runs", source=str(path),
            hint="log runs to it first, or point at the store that holds them",
        )  # fmt: skip
    # the runs stored as not finished (RUNNING, FAILED, KILLED) counted in a note, as W&B's
    return Source("mlflow", str(path), tuple(runs), history_frame(parts), tuple(notes),
                  states_from="the runs' MLflow status")  # fmt: skip


def read_mlflow(path: Path, *, progress: Progress | None = None) -> Source:
    """Read every run of every experiment in an MLflow store, with its metric history.

    Raises:
        ConfigError: If the mlflow client is not installed.
        DataError: If the store cannot be read (naming the path and MLflow's reason).
    """
    with _file_store_allowed(), _quiet(), tempfile.TemporaryDirectory() as folder:
        try:
            copy = private_copy(path, Path(folder))
            return _read(copy, path, progress)
        except (ConfigError, DataError):
            raise
        except Exception as err:  # MLflow, SQLAlchemy and YAML raise many unrelated types
            first = first_line(err)
            raise DataError(
                f"cannot read as an MLflow store: {first}",
                source=str(path),
                hint="point at an mlruns/ folder or an MLflow SQLite database (mlflow.db)",
            ) from err
