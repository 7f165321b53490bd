"""A ladder rung's status as ``ladder status``, ``runs`` and their ``--json`` show it.

The store keeps five statuses (:data:`scalinglab.store.STATUSES`); whether a rung stored
``running`` still trains is known only from its locks, so two more are derived when shown,
here, in one place::

    stored pending                          ->  interrupted   (its driver stopped it: Ctrl-C)
    stored running, no worker's lock, result in its folder  ->  finishing
    stored running, no worker's lock (local), or no driver's lock (Ray, SLURM)  ->  interrupted

A ladder rung is stored ``pending`` only by a driver that stopped it (a rung not started is
not in the store), so both ways a rung stops read ``interrupted``: a rerun resumes it.
A run ingested from a tracker keeps its stored status. The rule lives in the store, which
shows and selects by it (``runs --status``, ``--where status=``), and reads a rung's folder
through :mod:`scalinglab._rung_folders`: the store imports nothing from ``execute``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scalinglab._rung_folders import (
    RESULT,
    default_workdir,
    driver_alive,
    legacy_folder,
    remembered_workdir,
    worker_alive,
)

__all__ = [
    "SHOWN_STATUSES", "is_rung", "rung_folder", "shown_status", "shown_statuses", "stored_statuses",
]  # fmt: skip

#: Every status a run is shown with, in a lifetime's order.
SHOWN_STATUSES: tuple[str, ...] = (
    "pending", "running", "finishing", "interrupted", "finished", "failed", "diverged",
)  # fmt: skip


def is_rung(run: Any) -> bool:
    """Whether a stored run is a ladder rung (its source ``ladder:<name>``)."""
    # (a run ingested without a source reads back NaN there, hence the isinstance)
    return isinstance(run.source, str) and run.source.startswith("ladder:")


def rung_folder(run: Any, workdir: Path) -> Path:
    """The rung's work folder under ``workdir``, or under the old default where only it
    holds the rung's checkpoint or result."""
    return legacy_folder(run.run_id, workdir / run.run_id) or workdir / run.run_id


def shown_status(run: Any, folder: Path) -> str:
    """The status of stored ``run`` as shown (see the module's table); ``folder``: its work
    folder (:func:`rung_folder`)."""
    if not is_rung(run):
        return str(run.status)
    if run.status == "pending":
        return "interrupted"
    if run.status != "running" or worker_alive(folder):
        return str(run.status)
    if (folder / RESULT).is_file():
        return "finishing"  # its worker is done: the driver records it at its next poll
    training = run.extra.get("training")
    backend = training.get("backend") if isinstance(training, dict) else None
    if backend in ("local", "in-process"):
        return "interrupted"  # its worker ran here and would hold the lock: the driver died
    # a SLURM job queued or a Ray worker on another node holds no lock visible here, but
    # the driver that submitted it holds its own while it waits (a driver killed: none)
    return "running" if driver_alive(folder) else "interrupted"


def shown_statuses(
    runs: Iterable[Any], *, store: Path, workdir: Path | None = None
) -> dict[str, str]:
    """Each of ``runs``' shown status, by ``run_id``: a rung's folder is under ``workdir``,
    else the one the store recorded for it, else ``<store>.wd``."""
    default = default_workdir(store)
    return {  # a run ingested has no folder to look in
        run.run_id: shown_status(
            run, rung_folder(run, workdir or remembered_workdir(run) or default)
        )
        if is_rung(run)
        else str(run.status)
        for run in runs
    }


def stored_statuses(run_ids: Iterable[str], store: Any) -> dict[str, str]:
    """The shown status of each rung of ``run_ids`` that the run store ``store`` holds, as
    ``ladder status`` shows it (a rung an earlier Ctrl-C stopped: ``interrupted``), by
    ``run_id``; a rung it does not hold (never run) is absent: ``ladder run`` lists it
    ``pending`` when a Ctrl-C came before it started."""
    wanted = set(run_ids)
    if not wanted or not store.path.exists():
        return {}
    return shown_statuses([r for r in store.runs() if r.run_id in wanted], store=store.path)
