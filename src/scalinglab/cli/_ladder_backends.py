"""The backend ``ladder run`` trains on, and the checks made before it touches the store."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab._format import format_counted

if TYPE_CHECKING:
    from pathlib import Path

    from scalinglab.execute import Backend

__all__ = [
    "BACKENDS",
    "CPU_LIMIT_S",
    "check_backend_options",
    "check_cpu_fallback",
    "check_device",
    "make_backend",
    "slurm_folder",
]

BACKENDS = ("local", "ray", "slurm", "in-process")
#: Rungs asking for ``device = "auto"`` where no GPU is seen train on the CPU; past this many
#: seconds of the plan's estimate for them, ``--gpus auto`` refuses (``--gpus none`` runs).
CPU_LIMIT_S = 3600.0


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


def check_cpu_fallback(spec: Any, gpus: str, store: Path) -> None:
    """Refuse to let ``--gpus auto`` quietly train for hours on the CPU: rungs asking for
    ``device = "auto"``, not finished in ``store``, that PyTorch sees no CUDA device for and
    that the plan estimates over :data:`CPU_LIMIT_S` there (measured by ``store``'s finished
    CPU rungs, if any). ``--gpus none`` says the CPU is meant.

    Raises:
        ConfigError: With the estimate and what to do.
    """
    auto = [r for r in spec.rungs if r.train.device == "auto"]
    if gpus != "auto" or not auto:
        return
    from scalinglab.execute._local import cuda_gpus

    if cuda_gpus() != ():  # a GPU (or no PyTorch: refused elsewhere)
        return
    from scalinglab.cli import _ladder_plan as plan
    from scalinglab.ladder import rung_counts
    from scalinglab.store import RunStore

    done = {r.run_id for r in RunStore(store).runs(status="finished")} if store.exists() else set()
    todo = [r for r in auto if r.run_id not in done]
    speed = plan.store_speed(spec, store, cpu=True, missing_ok=True)
    seconds = sum(speed.estimate_s(rung_counts(r).flops, rung_counts(r).steps) for r in todo)
    if seconds <= CPU_LIMIT_S:
        return
    import torch

    build = "a CPU-only build" if torch.version.cuda is None else f"CUDA {torch.version.cuda}"
    raise ConfigError(
        f"{spec.source or spec.name}: PyTorch ({torch.__version__}, {build}) sees no CUDA "
        f'device here, so --gpus auto would train its {format_counted(len(todo), "rung")} with device = "auto" '
        f"on the CPU, for about {plan.duration(seconds)} by the plan's estimate ({speed.why})",
        hint="run where a GPU is visible, train a smaller ladder (`scalinglab ladder plan` "
        "estimates any), or pass --gpus none to train on the CPU anyway",
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
    raise ConfigError(
        f"unknown --backend {name!r}{did_you_mean(name, BACKENDS)}",
        hint=f"use one of {', '.join(BACKENDS)}",
    )
