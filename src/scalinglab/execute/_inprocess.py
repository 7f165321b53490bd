"""Train rungs inside the driver's own process: for tests and for stepping through in a debugger."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ScalingLabError
from scalinglab.execute._backend import JOB, Backend, JobState, RunHandle, job_spec, write_json
from scalinglab.execute._worker import run_job

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig

__all__ = ["InProcessBackend"]


class _DoneHandle(RunHandle):
    """A rung that already ran to its end when it was submitted."""

    def __init__(self, rung: RungConfig, workdir: Path, *, ok: bool) -> None:
        super().__init__(rung, workdir)
        self.ok = ok

    def poll(self) -> JobState:
        return "finished" if self.ok else "failed"

    def cancel(self) -> None:
        """Nothing to stop: the rung ran inside :meth:`InProcessBackend.submit`."""


class InProcessBackend(Backend):
    """Trains each rung synchronously inside :meth:`submit`, in this process.

    No isolation: a crash of the training is a crash of the driver, and ``torch.compile``
    graphs accumulate across rungs. Use :class:`~scalinglab.execute.LocalBackend` for real
    ladders. Failures (:class:`~scalinglab.ScalingLabError`) are recorded, not raised, so the
    driver handles them as it does for any backend; other exceptions (bugs) propagate.
    """

    name = "in-process"
    trains_here = True

    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        workdir.mkdir(parents=True, exist_ok=True)
        spec = job_spec(rung, workdir)
        write_json(workdir / JOB, spec)
        try:
            run_job(spec)
        except ScalingLabError:
            return _DoneHandle(rung, workdir, ok=False)  # error.json says why
        return _DoneHandle(rung, workdir, ok=True)
