"""Run rungs on SLURM through submitit: job arrays, requeued on preemption, resumed.

When SLURM preempts a job (or its time limit nears), submitit signals it and asks the callable
how to go on (its ``checkpoint`` method); :class:`RungTask` answers "the same rung again",
submitit requeues it, and the requeued job resumes from the rung's last ``checkpoint.pt``.
Work folders must be on a file system the compute nodes share with the driver.
"""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError
from scalinglab._extras import install_hint
from scalinglab.execute._backend import (
    JOB,
    Backend,
    JobState,
    RungError,
    RunHandle,
    job_spec,
    read_error,
    read_result,
    write_json,
)
from scalinglab.execute._worker import run_job

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scalinglab.ladder import RungConfig

__all__ = ["CLUSTERS", "RungTask", "SlurmBackend", "check_options"]

_HINT = (
    f"install the SLURM extra: {install_hint('slurm')}; the nodes that train the rungs need "
    "PyTorch too (the training extra)"
)
_FINISHED = ("COMPLETED", "FINISHED", "DONE")
_FAILED = ("FAILED", "CANCELLED", "TIMEOUT", "OUT_OF_MEMORY", "NODE_FAIL", "INTERRUPTED")
#: submitit's executors: SLURM, subprocesses on this machine, in the calling process.
CLUSTERS = ("slurm", "local", "debug")


def _submitit() -> Any:
    try:
        import submitit
    except ImportError:
        raise ConfigError(
            "the SLURM backend needs submitit, which is not installed", hint=_HINT
        ) from None
    return submitit


def check_options(*, cluster: str, gpus_per_rung: int | None, timeout_min: int) -> None:
    """Refuse options SLURM or submitit would fail on later, or silently replace.

    Raises:
        ConfigError: An unknown cluster, ``sbatch``/``srun`` not on ``PATH`` for SLURM (not
            a silent fallback to local subprocesses), a negative GPU count or a time limit
            under a minute.
    """
    if cluster not in CLUSTERS:
        raise ConfigError(
            f"unknown --cluster {cluster!r}",
            hint="use slurm (the default: submit with sbatch), local (subprocesses on this "
            "machine, to test without SLURM) or debug (in this process)",
        )
    if gpus_per_rung is not None and gpus_per_rung < 0:
        raise ConfigError(f"--gpus-per-rung must be 0 or more, got {gpus_per_rung}")
    if timeout_min < 1:
        raise ConfigError(
            f"--timeout-min must be at least 1 (minutes), got {timeout_min}",
            hint="it is each SLURM job's time limit; a longer rung is requeued and resumes",
        )
    missing = [cmd for cmd in ("sbatch", "srun") if shutil.which(cmd) is None]
    if cluster == "slurm" and missing:
        raise ConfigError(
            f"{' and '.join(missing)} not found on PATH: --backend slurm submits the rungs "
            "with SLURM's sbatch and runs them with srun",
            hint="run it where SLURM's commands are (a login node), or use --cluster local "
            "to test without SLURM (the rungs run as subprocesses here)",
        )


class RungTask:
    """The callable submitit pickles for one rung; checkpointable, so preemption requeues it."""

    def __call__(self, spec: dict[str, Any]) -> dict[str, Any]:
        return run_job(spec)

    def checkpoint(self, spec: dict[str, Any]) -> Any:
        """Requeue the same rung: it resumes from its own last ``checkpoint.pt``."""
        return _submitit().helpers.DelayedSubmission(RungTask(), spec)

    __submitit_checkpoint__ = checkpoint  # the newer name submitit looks for first


class _JobHandle(RunHandle):
    def __init__(self, rung: RungConfig, workdir: Path, job: Any) -> None:
        super().__init__(rung, workdir)
        self.job = job
        self._why = ""

    def poll(self) -> JobState:
        if not self.job.done():
            return "running"
        state = str(self.job.state).upper()
        if read_result(self.workdir, self.rung.run_id) is not None:
            return "finished"  # the rung's own record wins over the scheduler's bookkeeping
        if any(state.startswith(s) for s in _FAILED):
            self._why = f"SLURM job {self.job.job_id} ended {state}"
            return "failed"
        try:
            self.job.result()  # raises if the function raised
        except Exception as err:
            self._why = f"SLURM job {self.job.job_id} ({state}): {str(err).strip()[-500:]}"
            return "failed"
        return "finished"

    def failure(self) -> RungError:
        """The worker's ``error.json`` if it wrote one, else what submitit says."""
        found = read_error(self.workdir)
        if found is not None or not self._why:
            return super().failure() if found is None else found
        return RungError(
            f"rung {self.rung.name!r} failed: {self._why}",
            hint=f"see the job's logs under {self.job.paths.folder}",
        )

    def cancel(self) -> None:
        if not self.job.done():
            self.job.cancel(check=False)


class SlurmBackend(Backend):
    """Submit rungs as a SLURM job array through ``submitit.AutoExecutor``.

    Args:
        folder: Where submitit keeps its job scripts, pickles and logs (shared storage).
        partition: SLURM partition (``--partition``).
        gpus_per_rung: GPUs per job (``--gpus-per-node``); ``None``: 0 for a rung whose
            ``device`` is ``"cpu"``, else 1.
        cpus_per_rung: CPUs per job (``--cpus-per-task``).
        timeout_min: Time limit of one job; a rung that needs longer is requeued from its
            checkpoint (up to ``max_requeues`` times).
        max_parallel: Array jobs running at once (``--array=...%max_parallel``).
        cluster: ``None`` or ``"slurm"`` for SLURM (refused where ``sbatch`` is not found),
            ``"local"`` for submitit's local executor (subprocesses, used by the tests) or
            ``"debug"``.
        max_requeues: How often a job that reaches its time limit is requeued (preemptions
            are always requeued).
        slurm_args: More ``update_parameters`` arguments, e.g. ``{"slurm_account": "lab"}``.
        executor: A submitit executor configured by the caller, used as it is (the options
            above but ``folder`` and ``max_parallel`` are then ignored).

    Raises:
        ConfigError: See :func:`check_options`.
    """

    name = "slurm"

    def __init__(
        self,
        *,
        folder: Path,
        partition: str | None = None,
        gpus_per_rung: int | None = None,
        cpus_per_rung: int = 8,
        timeout_min: int = 24 * 60,
        max_parallel: int = 64,
        cluster: str | None = None,
        max_requeues: int = 3,
        slurm_args: dict[str, Any] | None = None,
        executor: Any = None,
    ) -> None:
        submitit = _submitit()
        self.folder = Path(folder).resolve()
        self.slots = max_parallel
        self.gpus_per_rung = gpus_per_rung
        self._handles: list[_JobHandle] = []
        self.kind: str | None = None
        if executor is not None:  # configured by the caller (tests: submitit.LocalExecutor)
            self.executor = executor
            return
        # not submitit's AutoExecutor.which(): without srun it picks "local" and trains
        # every rung here, silently
        kind = self.kind = cluster or "slurm"
        check_options(cluster=kind, gpus_per_rung=gpus_per_rung, timeout_min=timeout_min)
        timeouts = {f"{kind}_max_num_timeout": max_requeues} if kind in ("slurm", "local") else {}
        # each job's scripts and logs in <folder>/<job id>/
        self.executor = submitit.AutoExecutor(folder=self.folder / "%j", cluster=kind, **timeouts)
        params: dict[str, Any] = {"timeout_min": timeout_min, "cpus_per_task": cpus_per_rung}
        if kind == "slurm":
            params.update(
                slurm_array_parallelism=max_parallel,
                slurm_job_name="scalinglab-rung",
            )
            if partition:
                params["slurm_partition"] = partition
        params.update(slurm_args or {})
        self.executor.update_parameters(**params)

    def _prepare(self, rung: RungConfig, workdir: Path) -> dict[str, Any]:
        workdir = workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        spec = job_spec(rung, workdir)
        write_json(workdir / JOB, spec)
        return spec

    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        return self.submit_all([rung], workdirs=[workdir])[0]

    def gpus_for(self, rung: RungConfig) -> int:
        """GPUs the rung's job asks for.

        Args:
            rung: The rung.

        Returns:
            ``gpus_per_rung`` where set, else 0 for a CPU rung and 1 for another.
        """
        if self.gpus_per_rung is not None:
            return self.gpus_per_rung
        return 0 if rung.train.device == "cpu" else 1

    def submit_all(
        self, rungs: Sequence[RungConfig], *, workdirs: Sequence[Path]
    ) -> list[RunHandle]:
        """Submit ``rungs`` as one job array (one ``sbatch`` call) per GPU count.

        Args:
            rungs: The rungs to train.
            workdirs: Each rung's work folder, in the same order.

        Returns:
            One handle per rung, in order.
        """
        specs = [self._prepare(r, w) for r, w in zip(rungs, workdirs, strict=True)]
        jobs: dict[int, Any] = {}
        for gpus in sorted({self.gpus_for(r) for r in rungs}):
            group = [i for i, r in enumerate(rungs) if self.gpus_for(r) == gpus]
            if self.kind == "slurm":  # an array shares one header; None: no GPU line at all
                self.executor.update_parameters(gpus_per_node=gpus or None)
            with self.executor.batch():
                submitted = [self.executor.submit(RungTask(), specs[i]) for i in group]
            jobs.update(zip(group, submitted, strict=True))
        handles = [
            _JobHandle(r, Path(s["workdir"]), jobs[i])
            for i, (r, s) in enumerate(zip(rungs, specs, strict=True))
        ]
        self._handles.extend(handles)
        return list(handles)

    def close(self) -> None:
        """Cancel jobs still queued or running (their checkpoints stay)."""
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        # submitit's local executor also makes the folder pattern itself: an empty "%j"
        with contextlib.suppress(OSError):
            (self.folder / "%j").rmdir()
