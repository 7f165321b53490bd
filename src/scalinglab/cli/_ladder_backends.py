"""The backend ``ladder run`` trains on, and the checks made before it touches the store."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError

if TYPE_CHECKING:
    from pathlib import Path

    from scalinglab.execute import Backend

__all__ = ["BACKENDS", "check_backend_options", "check_device", "make_backend", "slurm_folder"]

BACKENDS = ("local", "ray", "slurm", "in-process")


def check_device(spec: Any, gpus: str) -> None:
    """Refuse rungs that ask for ``device = "cuda"`` where they could not have one: no CUDA
    device seen by PyTorch here, or ``--gpus none`` (their workers see no GPU)."""
    cuda = [r.name for r in spec.rungs if r.train.device == "cuda"]
    if not cuda:
        return
    where = f'rung {cuda[0]!r} of {spec.source or spec.name} asks for device = "cuda"'
    hint = 'set device = "auto" (a GPU when there is one) or "cpu" in its [train] table'
    if gpus in ("", "none"):
        raise ConfigError(f"{where}, but --gpus {gpus or 'none'} trains on the CPU", hint=hint)
    import torch

    if not torch.cuda.is_available():
        build = "a CPU-only build" if torch.version.cuda is None else f"CUDA {torch.version.cuda}"
        raise ConfigError(
            f"{where}, but PyTorch ({torch.__version__}, {build}) sees no CUDA device here",
            hint=hint + ", or run where a GPU is visible",
        )


def check_backend_options(
    backend: str, *, gpus_per_rung: float | None, timeout_min: int, cluster: str | None
) -> None:
    """Refuse ``--gpus-per-rung``, ``--timeout-min`` and ``--cluster`` values the backend
    would fail on after rungs were marked running (or turn into another request), before
    the store is touched.

    Raises:
        ConfigError: Naming the option, its value and what to give instead.
    """
    if gpus_per_rung is not None and not (math.isfinite(gpus_per_rung) and gpus_per_rung >= 0):
        raise ConfigError(
            f"--gpus-per-rung must be 0 or more, got {gpus_per_rung:g}",
            hint="e.g. --gpus-per-rung 1 (0: the rungs train on CPUs)",
        )
    if backend != "slurm":
        return
    if gpus_per_rung is not None and gpus_per_rung != int(gpus_per_rung):
        raise ConfigError(
            f"--gpus-per-rung {gpus_per_rung:g}: SLURM allocates whole GPUs to a job",
            hint="give a whole number, or use --backend ray, which can share a GPU between rungs",
        )
    from scalinglab.execute._slurm import check_options

    check_options(
        cluster=cluster or "slurm",
        gpus_per_rung=None if gpus_per_rung is None else int(gpus_per_rung),
        timeout_min=timeout_min,
    )


def slurm_folder(store: Path, workdir: Path | None) -> Path:
    """Where ``--backend slurm`` keeps submitit's job scripts and logs: ``slurm/`` in the
    rungs' work folder parent (``--workdir``, else ``<store>.wd``), one rule for both."""
    from scalinglab.execute import default_workdir

    return (default_workdir(store) if workdir is None else workdir) / "slurm"


def make_backend(name: str, **kw: Any) -> Backend:
    """The backend ``--backend NAME`` names, made from ``ladder run``'s options."""
    from scalinglab import execute

    if name == "local":
        gpus = kw["gpus"]
        chosen = None if gpus == "auto" else () if gpus in ("", "none") else tuple(gpus.split(","))
        return execute.LocalBackend(gpus=chosen, parallel=kw["parallel"] or 1)
    if name == "in-process":
        return execute.InProcessBackend()
    if name == "ray":
        return execute.RayBackend(
            address=kw["address"],
            max_parallel=kw["parallel"] or 8,
            gpus_per_rung=kw["gpus_per_rung"],
        )
    if name == "slurm":
        gpus = kw["gpus_per_rung"]
        return execute.SlurmBackend(
            folder=kw["slurm_folder"],
            partition=kw["partition"],
            timeout_min=kw["timeout_min"],
            max_parallel=kw["parallel"] or 64,
            cluster=kw["cluster"],
            gpus_per_rung=None if gpus is None else int(gpus),
        )
    raise ConfigError(f"unknown --backend {name!r}", hint=f"use one of {', '.join(BACKENDS)}")
