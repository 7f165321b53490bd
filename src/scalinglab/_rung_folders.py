"""What a ladder rung's work folder says about it: where it is, whether a worker or a driver
holds its lock, whether it keeps a checkpoint or a result.

The store reads these to show a rung's status (:mod:`scalinglab.store._rung_status`) and the
ladder's backends write them (:mod:`scalinglab.execute._workdirs`): a module below both, with
no import beyond the standard library, so a rung's worker process pays nothing for it and
the store imports nothing from ``execute``.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Any

__all__ = [
    "DRIVER_LOCK", "LEGACY_WORKDIR", "LOCK", "RESULT", "default_workdir", "driver_alive",
    "has_saved", "legacy_folder", "remembered_workdir", "worker_alive",
]  # fmt: skip

#: The default parent of work folders before they moved beside the store (relative to the
#: current directory, so a resume from another directory missed its checkpoints).
LEGACY_WORKDIR = Path(".scalinglab") / "runs"
#: Held by the worker of a rung while it trains, in the rung's folder.
LOCK = ".lock"
#: Held (shared) by the driver in the folder of each rung it submitted, until it returns.
DRIVER_LOCK = "driver.lock"
#: The rung's result, written in its folder when it trained to the end.
RESULT = "result.json"


def default_workdir(store: Path | str) -> Path:
    """The default parent of a store's rung work folders: ``<store>.wd`` beside the store
    (``runs.duckdb`` -> ``runs.duckdb.wd``), wherever the command is run from.

    Args:
        store: The run store's path.

    Returns:
        ``<store>.wd``, in the store's folder.
    """
    path = Path(store)
    return path.with_name(path.name + ".wd")


def has_saved(folder: Path) -> bool:
    """Whether a rung's ``folder`` keeps a checkpoint or a result."""
    return any((folder / name).exists() for name in ("checkpoint.pt", RESULT))


def legacy_folder(run_id: str, default: Path) -> Path | None:
    """The rung's folder under :data:`LEGACY_WORKDIR` when it holds a checkpoint or a result
    and ``default`` (its folder beside the store) does not exist yet, else ``None``."""
    old = LEGACY_WORKDIR / run_id
    if default.exists() or not old.is_dir() or old.resolve() == default.resolve():
        return None
    return old if has_saved(old) else None


def remembered_workdir(run: Any) -> Path | None:
    """The ``workdir`` a stored ladder run last ran in (``None``: not recorded, as before
    the store kept it)."""
    training = run.extra.get("training") if run is not None else None
    where = training.get("workdir") if isinstance(training, dict) else None
    return Path(where) if isinstance(where, str) and where else None


def _held(path: Path, probe: int) -> bool:
    """Whether a process holds ``path``'s lock (``probe``: the flock mode that would fail)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # no lock file: no process ever took it here
        return False
    try:
        fcntl.flock(fd, probe | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing releases the lock taken to test it
    return False


def worker_alive(folder: Path) -> bool:
    """Whether a worker holds the rung's lock in ``folder`` (the OS drops it when the worker
    dies, even by ``kill -9``, so a free lock means no live training)."""
    return _held(folder / LOCK, fcntl.LOCK_SH)


def driver_alive(folder: Path) -> bool:
    """Whether a driver holds its lock in the rung's ``folder``: the rung is submitted and
    someone waits for it (the OS drops the lock when the driver dies, however it dies)."""
    return _held(folder / DRIVER_LOCK, fcntl.LOCK_EX)
