"""A tracker's export read into runs and points, by the reader its kind names."""

from __future__ import annotations

import os
from pathlib import Path

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab.ingest._detect import detect_kind
from scalinglab.ingest._source import KINDS, Progress, Source

__all__ = ["read_source"]


def read_source(
    path: str | os.PathLike[str],
    *,
    kind: str | None = None,
    history: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> Source:
    """Read a tracker source (not a plain table) into runs and one long frame of points.

    Args:
        path: A W&B export, an MLflow store, a TensorBoard log folder or a Ray Tune folder.
        kind: Force the reader instead of detecting it from the path.
        history: A W&B history export to read with a W&B run table.
        progress: Called as ``progress(done, total)`` over files or runs.

    Returns:
        The runs, their logged points (long form), the reader's notes and the runs skipped.

    Raises:
        ConfigError: For an unknown kind, or ``history`` with a source that keeps its curves.
    """
    where = Path(path)
    kind = kind or detect_kind(where)
    if history is not None and kind not in ("wandb", "table"):
        raise ConfigError(
            f"--history goes with a W&B run-table export or a run table, and {where} is a "
            f"{kind} source",
            hint="drop --history: this source keeps its own curves",
        )
    if kind == "wandb":
        from scalinglab.ingest._wandb import read_wandb

        return read_wandb(where, history=None if history is None else Path(history))
    if kind == "mlflow":
        from scalinglab.ingest._mlflow import read_mlflow

        return read_mlflow(where, progress=progress)
    if kind == "tensorboard":
        from scalinglab.ingest._tensorboard import read_tensorboard

        return read_tensorboard(where, progress=progress)
    if kind == "raytune":
        from scalinglab.ingest._raytune import read_raytune

        return read_raytune(where, progress=progress)
    raise ConfigError(
        f"unknown source kind {kind!r}{did_you_mean(kind, KINDS)}",
        hint=f"use one of {', '.join(KINDS)} (or leave it out)",
    )
