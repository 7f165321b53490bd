"""Run rungs as Ray tasks: on a cluster started with ``ray start --head``, or a local one.

Each rung is one task in a worker process that exits after it (``max_calls=1``: a fresh
process per rung, as locally), asking Ray for a GPU when the rung wants one. Work folders
must be on storage every node sees (a shared file system): the checkpoint that makes a rung
resumable and the progress the driver shows are written there.
"""

from __future__ import annotations

import logging
import math
import socket
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError
from scalinglab._extras import install_hint
from scalinglab._format import noun_for
from scalinglab.execute._backend import JOB, Backend, JobState, RunHandle, job_spec, write_json
from scalinglab.execute._worker import run_job

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig

__all__ = ["CONNECT_TIMEOUT_S", "RayBackend"]

# the rungs train with PyTorch on the Ray workers, this machine among them for a local cluster
_HINT = "install the Ray extra and PyTorch, which trains each rung: " + install_hint("train", "ray")
#: How long to wait for a cluster's address to answer: ray.init retries an address where
#: nothing listens for many minutes, printing only C++ warnings.
CONNECT_TIMEOUT_S = 10.0


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ConfigError("the Ray backend needs Ray, which is not installed", hint=_HINT) from None
    return ray


def _probe(address: str) -> None:
    """Refuse, within :data:`CONNECT_TIMEOUT_S`, a ``host:port`` (or ``ray://host:port``)
    where nothing accepts a connection; ``"auto"`` and ``"local"`` are left to Ray."""
    host, sep, port = address.removeprefix("ray://").rpartition(":")
    if not sep or not port.isdigit():
        return  # "auto", "local", or a form Ray itself explains
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as err:
        why = "no answer" if isinstance(err, TimeoutError) else err.strerror or str(err)
        raise ConfigError(
            f"could not connect to Ray at {address!r}: {why} within {CONNECT_TIMEOUT_S:.0f} s",
            hint="check the address `ray start --head` printed (host:6379), or use --address "
            "auto on a node of the cluster, or leave out --address for a local Ray",
        ) from None


class _RayHandle(RunHandle):
    def __init__(self, rung: RungConfig, workdir: Path, ref: Any) -> None:
        super().__init__(rung, workdir)
        self.ref = ref
        self._state: JobState = "running"

    def poll(self) -> JobState:
        if self._state != "running":
            return self._state
        ray = _ray()
        ready, _ = ray.wait([self.ref], timeout=0)
        if ready:
            try:
                ray.get(self.ref)
                self._state = "finished"
            except Exception:  # the task's error is also in error.json; ray wraps it
                self._state = "failed"
        return self._state

    def cancel(self) -> None:
        if self.poll() == "running":
            _ray().cancel(self.ref, force=True)


class RayBackend(Backend):
    """Submit each rung as a Ray task.

    Args:
        address: Ray cluster to join: ``"auto"`` (the one ``ray start`` runs on this machine),
            ``"ray://host:10001"``, or ``None`` to start a private local Ray.
        gpus_per_rung: GPUs each task asks for; ``None``: 1 if the cluster has GPUs and the
            rung may use CUDA (``device`` ``"auto"`` or ``"cuda"``), else 0.
        cpus_per_rung: CPUs each task asks for.
        max_parallel: Rungs in flight at once (Ray queues the rest until resources free up).
        init_kwargs: More arguments for ``ray.init`` when it starts a local Ray (for example
            ``num_cpus=2, include_dashboard=False``); ignored when ``address`` is given.

    Raises:
        ConfigError: A negative GPU or CPU count, or an address that does not answer within
            :data:`CONNECT_TIMEOUT_S` (Ray would retry it for minutes).
    """

    name = "ray"

    def __init__(
        self,
        *,
        address: str | None = None,
        gpus_per_rung: float | None = None,
        cpus_per_rung: float = 1.0,
        max_parallel: int = 8,
        init_kwargs: dict[str, Any] | None = None,
    ) -> None:
        ray = _ray()
        if max_parallel < 1:
            raise ConfigError(f"max_parallel must be at least 1, got {max_parallel}")
        if gpus_per_rung is not None and not (math.isfinite(gpus_per_rung) and gpus_per_rung >= 0):
            raise ConfigError(f"--gpus-per-rung must be 0 or more, got {gpus_per_rung:g}")
        if not (math.isfinite(cpus_per_rung) and cpus_per_rung > 0):
            raise ConfigError(f"cpus_per_rung must be more than 0, got {cpus_per_rung:g}")
        self._owns = not ray.is_initialized()
        if self._owns:
            # quiet: Ray's INFO lines would interleave with the progress bars
            kwargs: dict[str, Any] = {"log_to_driver": False, "logging_level": logging.WARNING}
            if address is None:
                kwargs.update(init_kwargs or {})
            else:
                _probe(address)
            try:
                ray.init(address=address, **kwargs)
            except (ConnectionError, RuntimeError, ValueError) as err:
                raise ConfigError(
                    f"could not connect to Ray at {address!r}: {err}",
                    hint="start a cluster with `ray start --head` (then --address auto), or "
                    "leave out --address for a local Ray",
                ) from None
        self.address = address
        self.gpus_per_rung = gpus_per_rung
        self.cpus_per_rung = cpus_per_rung
        self.slots = max_parallel
        self._handles: list[_RayHandle] = []
        # max_calls=1: a fresh worker process per rung; max_retries=0: the driver decides
        # about retries (a rerun resumes from the checkpoint)
        self._task = ray.remote(max_calls=1, max_retries=0)(run_job)

    def _gpus_for(self, rung: RungConfig) -> float:
        if self.gpus_per_rung is not None:
            return self.gpus_per_rung
        if rung.train.device == "cpu":
            return 0.0
        return 1.0 if _ray().cluster_resources().get("GPU", 0) > 0 else 0.0

    def check(self, rungs: Sequence[RungConfig]) -> None:
        """Refuse a rung no node of the cluster has the GPUs and CPUs for: Ray would queue
        its task forever, and the ladder would show it "starting" (Ray's own warning about
        it is among the worker logs this backend keeps off the terminal).

        Args:
            rungs: The rungs about to be submitted.

        Raises:
            ConfigError: Naming the rung, what it asks for, and the most a node has.
        """
        nodes = [n.get("Resources", {}) for n in _ray().nodes() if n.get("Alive")]
        most_gpus = max((n.get("GPU", 0.0) for n in nodes), default=0.0)
        most_cpus = max((n.get("CPU", 0.0) for n in nodes), default=0.0)
        for rung in rungs:
            gpus, cpus = self._gpus_for(rung), self.cpus_per_rung
            if any(n.get("GPU", 0.0) >= gpus and n.get("CPU", 0.0) >= cpus for n in nodes):
                continue
            raise ConfigError(
                f"rung {rung.name!r} asks Ray for {gpus:g} {noun_for(gpus, 'GPU')} and {cpus:g} "
                f"{noun_for(cpus, 'CPU')}, but no "
                f"node of the Ray cluster has them (at most {most_gpus:g} GPUs and "
                f"{most_cpus:g} CPUs on one node of {len(nodes)}): it would wait forever",
                hint="lower --gpus-per-rung (0: train on CPUs), or add a node that has them "
                "(ray start --address ... --num-gpus N)",
            )

    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        workdir = workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
        spec = job_spec(rung, workdir)
        write_json(workdir / JOB, spec)
        task = self._task.options(
            num_gpus=self._gpus_for(rung),
            num_cpus=self.cpus_per_rung,
            name=f"scalinglab:{rung.name}",
        )
        handle = _RayHandle(rung, workdir, task.remote(spec))
        self._handles.append(handle)
        return handle

    def close(self) -> None:
        """Cancel unfinished tasks; shut down a Ray this backend started itself."""
        for handle in self._handles:
            handle.cancel()
        self._handles.clear()
        if self._owns:
            _ray().shutdown()
