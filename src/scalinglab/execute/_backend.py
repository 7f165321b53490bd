"""The one small interface every execution backend implements: ``submit(rung) -> RunHandle``.

A backend only *runs* a rung somewhere (a subprocess, a Ray task, a SLURM job); the driver
(:mod:`scalinglab.execute._driver`) decides what to run and is the only writer of the store.
Backend and worker meet in the rung's work folder, which must be visible to both (the same
machine, or a shared file system on a cluster):

``job.json``       what to train (written by the backend before launch)
``progress.json``  the latest :class:`~scalinglab.ladder.TrainProgress` (written by the worker)
``checkpoint.pt``  the resume point (written by ``train_rung``)
``result.json``    the :class:`~scalinglab.ladder.RungResult` (written by ``train_rung``)
``error.json``     why the worker failed, when it did
``worker.log``     the worker's stdout and stderr (local backend)
"""

from __future__ import annotations

import abc
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from scalinglab._errors import ScalingLabError
from scalinglab._rung_folders import RESULT  # the store reads it too: defined below both

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig, RungResult, TrainProgress

__all__ = [
    "Backend",
    "JobState",
    "RunHandle",
    "RungError",
    "read_error",
    "read_progress",
    "read_result",
    "write_json",
]

JobState = Literal["running", "finished", "failed"]

JOB = "job.json"
PROGRESS = "progress.json"
ERROR = "error.json"
LOG = "worker.log"


class RungError(ScalingLabError):
    """A rung's worker failed; ``message``/``hint`` say why (exit code 1, like a FitError)."""

    exit_code = 1
    #: Whether the worker's training diverged (NaN or infinite loss) rather than failed.
    diverged: bool = False


def write_json(path: Path, data: Any) -> None:
    """Write ``data`` as JSON to ``path`` atomically (a reader never sees half a file)."""
    from scalinglab._atomic import atomic_write

    atomic_write(path, json.dumps(data, indent=1, default=str).encode(), durable=False)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):  # absent, or a torn file from a killed writer
        return None


def read_progress(workdir: Path) -> TrainProgress | None:
    """The worker's latest progress report in ``workdir``, or ``None``."""
    from scalinglab.ladder import TrainProgress

    data = _read_json(workdir / PROGRESS)
    if not isinstance(data, dict):
        return None
    if "elapsed_s" in data and "wall_s" not in data:  # a worker of the last release wrote it
        data["wall_s"] = data.pop("elapsed_s")
    try:
        return TrainProgress(**data)
    except TypeError:
        return None


def read_result(workdir: Path, run_id: str) -> RungResult | None:
    """The finished rung's result in ``workdir`` if it is this rung's, else ``None``."""
    from scalinglab.ladder import RungResult

    data = _read_json(workdir / RESULT)
    if not isinstance(data, dict) or data.get("run_id") != run_id:
        return None
    return RungResult.from_dict(data)


def read_error(workdir: Path) -> RungError | None:
    """The failure the worker recorded in ``workdir``, or ``None``."""
    data = _read_json(workdir / ERROR)
    if not isinstance(data, dict):
        return None
    error = RungError(str(data.get("message", "the worker failed")), hint=str(data.get("hint", "")))
    error.diverged = data.get("type") == "DivergedError"  # ladder._train's, by name: no torch
    return error


class RunHandle(abc.ABC):
    """A rung submitted to a backend: poll it, wait for it, cancel it, read its progress.

    Args:
        rung: The rung being trained.
        workdir: Its work folder (checkpoint, progress, result).

    Attributes:
        rung: The rung being trained.
        workdir: Its work folder (checkpoint, progress, result).
    """

    def __init__(self, rung: RungConfig, workdir: Path) -> None:
        self.rung = rung
        self.workdir = workdir

    @abc.abstractmethod
    def poll(self) -> JobState:
        """The rung's state, without blocking.

        Returns:
            ``"running"``, ``"finished"`` or ``"failed"``.
        """

    @abc.abstractmethod
    def cancel(self) -> None:
        """Stop the rung; its last checkpoint stays for a later resume."""

    def failure(self) -> RungError:
        """Why a ``"failed"`` rung failed.

        Returns:
            The error the worker wrote to ``error.json``, or one saying it wrote none.
        """
        return read_error(self.workdir) or RungError(
            f"rung {self.rung.name!r} failed without saying why",
            hint=f"look at {self.workdir / LOG} and the backend's own logs",
        )

    def result(self) -> RungResult:
        """The result of a ``"finished"`` rung, read from its work folder.

        Returns:
            The rung's result, as the worker wrote it.

        Raises:
            RungError: If the rung failed or left no result.
        """
        found = read_result(self.workdir, self.rung.run_id)
        if found is None:
            raise self.failure()
        return found

    def progress(self) -> TrainProgress | None:
        """The latest progress the worker reported.

        Returns:
            It, or ``None`` before the first report (or one of another run).
        """
        found = read_progress(self.workdir)
        return found if found is not None and found.run_id == self.rung.run_id else None

    def wait(self, *, poll_s: float = 0.5) -> RungResult:
        """Block until the rung ends.

        Args:
            poll_s: Seconds between polls.

        Returns:
            The rung's result (:meth:`result`).

        Raises:
            RungError: If the rung failed (:meth:`failure`).
        """
        import time

        while (state := self.poll()) == "running":
            time.sleep(poll_s)
        if state == "failed":
            raise self.failure()
        return self.result()


class Backend(abc.ABC):
    """Runs rungs somewhere. Subclasses implement :meth:`submit` (and maybe :meth:`close`).

    Attributes:
        name: Short name shown in progress output and recorded with every run.
        slots: How many rungs the driver keeps in flight at once.
        trains_here: Whether rungs train on the driver's machine, which prepares their
            corpus anyway: the driver prepares it first and checks its exact size (a
            cluster's login node is left to check files and sizes only).
    """

    name: str = "backend"
    slots: int = 1
    trains_here: bool = False

    @abc.abstractmethod
    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        """Start training ``rung`` in ``workdir`` (created if needed) and return at once.

        Args:
            rung: The rung to train.
            workdir: Its work folder.

        Returns:
            The handle to poll, wait on or cancel.
        """

    def submit_all(
        self, rungs: Sequence[RungConfig], *, workdirs: Sequence[Path]
    ) -> list[RunHandle]:
        """Submit several rungs at once (SLURM makes them one job array); default: one by one.

        Args:
            rungs: The rungs to train.
            workdirs: Each rung's work folder, in the same order.

        Returns:
            One handle per rung, in order.
        """
        return [self.submit(r, workdir=w) for r, w in zip(rungs, workdirs, strict=True)]

    def check(self, rungs: Sequence[RungConfig]) -> None:  # noqa: B027 - optional hook
        """Refuse ``rungs`` this backend could never run (before any is marked running).

        Args:
            rungs: The rungs about to be submitted.

        Raises:
            ConfigError: Naming the rung and what it asks for that the backend lacks.
        """

    def close(self) -> None:  # noqa: B027 - an optional hook, deliberately empty
        """Release what the backend holds (a Ray connection, an executor)."""

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def job_spec(rung: RungConfig, workdir: Path) -> dict[str, Any]:
    """What a worker needs to train ``rung``: the rung config and its work folder."""
    return {"rung": rung.to_dict(), "workdir": str(workdir.resolve())}
