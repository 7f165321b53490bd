"""MLflow tracking stores: a file store (``mlruns/``) or a SQLite database, read through
MLflow's own client, with the whole history of every metric."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError
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

_EXTRA = 'pip install "scalinglab[trackers]"'
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


def _database_tables(path: Path) -> set[str]:
    """Tables of a SQLite file, read through a read-only connection (the file is not touched)."""
    import sqlite3

    with path.open("rb") as handle:
        head = handle.read(16)
    if not head:
        raise DataError(
            "an empty file, not an MLflow database", source=str(path),
            hint="point at the mlflow.db your MLflow tracking server writes",
        )  # fmt: skip
    if head != b"SQLite format 3\x00":
        raise DataError(
            "not a SQLite file, so not an MLflow database", source=str(path),
            hint="point at an mlruns/ folder or an MLflow SQLite database (mlflow.db)",
        )  # fmt: skip
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            con.close()
    except sqlite3.Error as err:
        raise DataError(
            f"cannot read the SQLite file ({err})", source=str(path),
            hint="check the file is a complete copy of the MLflow database",
        ) from None  # fmt: skip
    return {str(row[0]) for row in rows}


def _private_copy(path: Path, folder: Path) -> Path:
    """A copy of the user's MLflow store to read: MLflow migrates a database to its own
    schema version and adds folders to a file store, and the user's files stay as they were."""
    database = path if path.is_file() else path / "mlflow.db"
    if database.is_file():
        tables = _database_tables(database)
        missing = sorted({"experiments", "runs", "metrics", "alembic_version"} - tables)
        if missing:
            raise DataError(
                f"a SQLite file, but not an MLflow database (no {', '.join(missing)} table)",
                source=str(database),
                hint="point at the mlflow.db your MLflow tracking server writes",
            )
        copy = folder / "mlflow.db"
        shutil.copyfile(database, copy)
        for suffix in ("-wal", "-journal"):  # uncommitted pages live beside the file
            side = database.with_name(database.name + suffix)
            if side.is_file():
                shutil.copyfile(side, folder / f"mlflow.db{suffix}")
        return copy
    _check_experiments(path)
    _check_metric_files(path)
    copy = folder / "mlruns"
    shutil.copytree(path, copy, symlinks=True)
    return copy


def _check_metric_files(root: Path) -> None:
    """Refuse a metric file whose lines are not ``timestamp value step``: MLflow reads a last
    line cut short by a crash as step 0 (or a NaN) without a word."""
    for path in sorted(root.glob("*/*/metrics/**/*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        lines = data.split(b"\n")
        cut = bool(data) and not data.endswith(b"\n")
        for k, line in enumerate(lines[:-1] if not cut else lines, start=1):
            fields = line.split()
            if len(fields) != 3 or (cut and k == len(lines)):
                why = "is cut off" if cut and k == len(lines) else "is not 'timestamp value step'"
                raise DataError(
                    f"the MLflow metric line {why}", source=str(path), row=k,
                    hint="remove the broken line (a run killed mid-write can leave one), "
                    "then ingest again",
                )  # fmt: skip


def _check_experiments(root: Path) -> None:
    """Refuse a file store with an experiment folder MLflow would skip (no ``meta.yaml``)."""
    for child in sorted(root.iterdir()):
        if not child.is_dir() or child.name.startswith(".") or child.name == "models":
            continue
        if not (child / "meta.yaml").is_file():
            raise DataError(
                f"the experiment folder {child.name!r} has no meta.yaml, so MLflow cannot "
                "read its runs", source=str(child),
                hint="restore meta.yaml from the tracking server, or move the folder out",
            )  # fmt: skip


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


def _history(client: Any, run_id: str, keys: list[str], index: int) -> pd.DataFrame:
    """Every logged point of each metric, merged on step (the last value where one repeats)."""
    series = []
    for key in keys:
        points = client.get_metric_history(run_id, key)
        if not points:
            continue
        steps = np.array([p.step for p in points], dtype=np.int64)
        values = np.array([p.value for p in points], dtype=np.float64)
        order = np.argsort(steps, kind="stable")
        s = pd.Series(values[order], index=steps[order], name=key)
        series.append(s[~s.index.duplicated(keep="last")])
    if not series:
        return pd.DataFrame()
    frame = pd.concat(series, axis=1, sort=True)
    frame.index.name = STEP
    frame = frame.reset_index()
    frame.insert(0, RUN, index)
    return frame


def _read(copy: Path, path: Path, progress: Progress | None) -> Source:
    client = _client(tracking_uri(copy))
    experiments = {e.experiment_id: e.name for e in client.search_experiments()}
    found = _all_runs(client, list(experiments))
    runs: list[TrackerRun] = []
    parts: list[pd.DataFrame] = []
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
        parts.append(_history(client, info.run_id, sorted(data.metrics), k))
        if progress is not None:
            progress(k + 1, len(found))
    if not runs:
        raise DataError(
            "an MLflow store with no runs", source=str(path),
            hint="log runs to it first, or point at the store that holds them",
        )  # fmt: skip
    # the runs stored as not finished (RUNNING, FAILED, KILLED) counted in a note, as W&B's
    return Source("mlflow", str(path), tuple(runs), history_frame(parts),
                  states_from="the runs' MLflow status")  # fmt: skip


def read_mlflow(path: Path, *, progress: Progress | None = None) -> Source:
    """Read every run of every experiment in an MLflow store, with its metric history.

    Raises:
        ConfigError: If the mlflow client is not installed.
        DataError: If the store cannot be read (naming the path and MLflow's reason).
    """
    with _file_store_allowed(), _quiet(), tempfile.TemporaryDirectory() as folder:
        try:
            copy = _private_copy(path, Path(folder))
            return _read(copy, path, progress)
        except (ConfigError, DataError):
            raise
        except Exception as err:  # MLflow, SQLAlchemy and YAML raise many unrelated types
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise DataError(
                f"cannot read as an MLflow store: {first}",
                source=str(path),
                hint="point at an mlruns/ folder or an MLflow SQLite database (mlflow.db)",
            ) from err
