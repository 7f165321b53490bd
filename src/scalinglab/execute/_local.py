"""Run each rung in a fresh local process; several GPUs in parallel, one rung per GPU.

A fresh process per rung is deliberate: ``torch.compile`` caches graphs per process and stops
recompiling after a limit (``torch._dynamo.config.recompile_limit``), so one long-lived
process training models of six shapes would silently fall back to eager mode.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab.execute._backend import JOB, LOG, Backend, JobState, RunHandle, job_spec, write_json
from scalinglab.execute._worker import PARENT_ENV

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig

__all__ = ["LocalBackend", "check_gpus", "cuda_gpus", "gpu_driver", "visible_gpus"]


#: Where :func:`gpu_driver` looks for driver files (tests point it at a folder of their own).
_ROOT = Path("/")
#: Files a GPU that ``torch.cuda`` counts leaves: NVIDIA's driver (its per-GPU entries, its
#: device nodes), WSL2's paravirtual GPU, ROCm's kernel driver (ROCm builds of PyTorch
#: count AMD GPUs through ``torch.cuda``).
_DRIVER_FILES = ("dev/nvidiactl", "dev/nvidia0", "dev/dxg", "dev/kfd")


def gpu_driver() -> bool:
    """Whether this machine may have a GPU that PyTorch counts: a GPU driver's files or
    ``nvidia-smi`` are here. ``False`` means ``torch.cuda.device_count()`` is 0, which is
    then known without importing PyTorch (about 4 s of the driver's start on a small CPU)."""
    gpus = _ROOT / "proc" / "driver" / "nvidia" / "gpus"
    if gpus.is_dir() and any(gpus.iterdir()):
        return True
    return any((_ROOT / f).exists() for f in _DRIVER_FILES) or bool(shutil.which("nvidia-smi"))


def _has_torch() -> bool:
    return importlib.util.find_spec("torch") is not None  # finds it without importing it


def visible_gpus() -> tuple[str, ...]:
    """GPU ids this process may use: ``CUDA_VISIBLE_DEVICES`` if set, else those PyTorch sees
    (none, without importing it, where PyTorch or a GPU driver is missing: :func:`gpu_driver`).

    Of ``CUDA_VISIBLE_DEVICES``, the ids before the first invalid one (neither an index
    ``0, 1, …`` nor a ``GPU-``/``MIG-`` UUID): CUDA hides every device after an invalid id
    (CUDA C++ Programming Guide, "CUDA Environment Variables": ``0,2,-1,1`` makes devices 0
    and 2 visible, 1 not). Empty entries are skipped; an index past the device count is kept
    (counting the devices would import PyTorch).

    Returns:
        The ids, as strings (``"0"``, ``"GPU-..."``), in order.
    """
    env = os.environ.get("CUDA_VISIBLE_DEVICES")
    if env is not None:
        ids: list[str] = []
        for g in (g.strip() for g in env.split(",")):
            if not g:
                continue
            if not (g.isdigit() or g.startswith(("GPU-", "MIG-"))):
                break
            ids.append(g)
        return tuple(ids)
    if not (_has_torch() and gpu_driver()):
        return ()
    try:
        import torch
    except ImportError:
        return ()
    return tuple(str(i) for i in range(torch.cuda.device_count()))


def cuda_gpus() -> tuple[str, ...] | None:
    """The GPU ids a rung's ``CUDA_VISIBLE_DEVICES`` may name here (:func:`visible_gpus`),
    ``()`` when PyTorch sees no CUDA device (known without importing it where no GPU driver
    is here), ``None`` without PyTorch (nothing to check)."""
    if not _has_torch():
        return None
    if not gpu_driver():
        return ()
    try:
        import torch
    except ImportError:
        return None
    return visible_gpus() if torch.cuda.is_available() else ()


def check_gpus(gpus: Sequence[str]) -> None:
    """Refuse GPU ids that no rung could train on: with no CUDA device here a rung's trainer
    (``train.device = "auto"``) would fall back to the CPU without a word.

    Raises:
        ConfigError: An id that is not one (``abc``), no CUDA device at all, or an id
            among none of those visible.
    """
    asked = ",".join(gpus)
    for gpu in gpus:  # a number, or a UUID as nvidia-smi -L prints it
        if not (gpu.isdigit() or gpu.startswith(("GPU-", "MIG-"))):
            raise ConfigError(
                f"--gpus {asked}: {gpu!r} is not a GPU id",
                hint="give GPU numbers (--gpus 0,1), UUIDs (GPU-..., MIG-...) as `nvidia-smi "
                "-L` prints them, 'auto' (every visible GPU) or 'none' (the CPU)",
            )
    seen = cuda_gpus()
    if seen is None:
        return
    if not seen:
        import torch

        build = "a CPU-only build" if torch.version.cuda is None else f"CUDA {torch.version.cuda}"
        raise ConfigError(
            f"GPU {asked} asked for (--gpus {asked}), but PyTorch ({torch.__version__}, {build}) "
            "sees no CUDA device on this machine: the rungs would train on the CPU",
            hint="train on the CPU with --gpus none (LocalBackend(gpus=())), or run where "
            "`python -c 'import torch; print(torch.cuda.is_available())'` prints True",
        )
    # ids by number are checked against those visible; a UUID (GPU-..., MIG-...) is taken
    missing = [g for g in gpus if g.isdigit() and g not in seen]
    if missing:
        raise ConfigError(
            f"GPU {missing[0]} asked for (--gpus {asked}), but the GPUs visible here are "
            + ", ".join(seen),
            hint="--gpus auto uses every visible GPU; or name some of them, e.g. --gpus "
            + ",".join(seen[:2]),
        )


class _ProcessHandle(RunHandle):
    """A rung training in a child process."""

    def __init__(
        self, rung: RungConfig, workdir: Path, process: subprocess.Popen[bytes], gpu: str | None
    ) -> None:
        super().__init__(rung, workdir)
        self.process = process
        self.gpu = gpu

    def poll(self) -> JobState:
        code = self.process.poll()
        if code is None:
            return "running"
        return "finished" if code == 0 else "failed"

    def cancel(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class LocalBackend(Backend):
    """One fresh ``python -m scalinglab.execute._worker`` process per rung on this machine.

    Args:
        gpus: GPU ids to use, one rung per GPU at a time (each child sees only its own GPU
            through ``CUDA_VISIBLE_DEVICES``); refused where PyTorch sees no CUDA device or
            not that id (:func:`check_gpus`). ``None``: every visible GPU (none: the CPU).
            An empty sequence: CPU only.
        parallel: Rungs at once on CPU (ignored with GPUs). 1 by default: CPU rungs already use
            every core, and running two would only make both slower.
        python: The interpreter for the workers (default: this one).
    """

    name = "local"
    trains_here = True

    def __init__(
        self,
        *,
        gpus: Sequence[str] | None = None,
        parallel: int = 1,
        python: str | None = None,
    ) -> None:
        if parallel < 1:
            raise ConfigError(f"parallel must be at least 1, got {parallel}")
        if gpus:  # asked for by id: refused here rather than trained on the CPU
            check_gpus(tuple(gpus))
        self.gpus: tuple[str, ...] = visible_gpus() if gpus is None else tuple(gpus)
        self.slots = len(self.gpus) or parallel
        self.python = python or sys.executable
        self._busy: dict[str, _ProcessHandle] = {}
        self._started: list[_ProcessHandle] = []

    def _free_gpu(self) -> str | None:
        if not self.gpus:
            return None
        for gpu in self.gpus:
            handle = self._busy.get(gpu)
            if handle is None or handle.poll() != "running":
                return gpu
        raise ConfigError(
            "the 1 GPU is busy" if len(self.gpus) == 1 else f"all {len(self.gpus)} GPUs are busy",
            hint="the driver submits at most `slots` rungs at once; this is a bug if you see it",
        )

    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        workdir.mkdir(parents=True, exist_ok=True)
        write_json(workdir / JOB, job_spec(rung, workdir))
        gpu = self._free_gpu()
        env = dict(os.environ)
        env[PARENT_ENV] = str(os.getpid())
        if gpu is not None:
            env["CUDA_VISIBLE_DEVICES"] = gpu
        else:
            env["CUDA_VISIBLE_DEVICES"] = ""  # a CPU rung: hide any GPU from it
        # the child shares our process group: Ctrl-C in a terminal reaches both, and a
        # kill of the group stops both; the child also exits if we die alone (see _worker)
        with open(workdir / LOG, "ab") as log:
            process = subprocess.Popen(
                [self.python, "-m", "scalinglab.execute._worker", str(workdir / JOB)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
            )
        handle = _ProcessHandle(rung, workdir, process, gpu)
        if gpu is not None:
            self._busy[gpu] = handle
        self._started.append(handle)
        return handle

    def close(self) -> None:
        """Stop any worker still running (their checkpoints stay for a resume)."""
        for handle in self._started:
            handle.cancel()
        self._started.clear()
        self._busy.clear()
