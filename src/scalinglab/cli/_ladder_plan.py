"""``scalinglab ladder plan``'s numbers: each rung's counts and an estimated training time."""

from __future__ import annotations

import shutil
import subprocess
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec

__all__ = [
    "RUNG_OVERHEAD_S",
    "default_rate",
    "duration",
    "estimate_s",
    "gpu_found",
    "plan_rows",
]

# measured on a 2-core VM: examples/isoflop-tiny's 12 rungs trained 5.6e12 FLOPs in 309 s,
# 1.8e10 FLOP/s overall (1.1e10 to 3.4e10 per rung); the `tiny` ladder's smaller rungs 3.6e9
# (w32) to 1.2e10 (w64). 5e9 made the isoFLOP ladder's plan 3.6x too long; 1e10 is within
# 2x of both (the speed grows with the model: tiny matmuls waste the cores)
_CPU_FLOPS = 1e10
_GPU_FLOPS = 1e14  # ~25-40% of an A100/H100's bf16 peak, what small ladders reach
#: Seconds each rung costs beyond its FLOPs: a fresh worker process, the torch import, the
#: corpus load, the final evaluation and the store write. An estimate, measured on a shared
#: 2-core VM: a 4-rung ladder of 1-block widths 16-48 (1.9e10 FLOPs, 2 s at 1e10 FLOP/s)
#: took 18.4 s and 23.7 s in two runs, 4-5.5 s a rung, though each rung trained in ~1 s.
RUNG_OVERHEAD_S = 5.0
_SMI_TIMEOUT_S = 5.0


def duration(seconds: float) -> str:
    """``42 s``, ``3.5 min``, ``1.2 h``."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def gpu_found() -> bool:
    """Whether a CUDA GPU is usable here: ``torch.cuda.is_available()`` when torch is
    already loaded (importing it costs seconds), else ``nvidia-smi -L`` answering within a
    few seconds with exit 0 and a ``GPU ...`` line (a broken driver's ``nvidia-smi``
    fails, and its mere presence on PATH says nothing)."""
    torch = sys.modules.get("torch")
    if torch is not None:
        return bool(torch.cuda.is_available())
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False
    try:
        done = subprocess.run(
            [smi, "-L"], capture_output=True, text=True, timeout=_SMI_TIMEOUT_S, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and any(
        line.startswith("GPU ") for line in done.stdout.splitlines()
    )


def default_rate(spec: LadderSpec | None = None) -> tuple[float, str]:
    """The assumed training speed (FLOP/s) where none is given, and why: a GPU's only when
    one is usable and the rungs may use it (``device`` not ``"cpu"``)."""
    on_cpu = spec is not None and all(r.train.device == "cpu" for r in spec.rungs)
    if not on_cpu and gpu_found():
        return _GPU_FLOPS, "a GPU was found: assumed 1e14 FLOP/s"
    why = "the rungs ask for the CPU" if on_cpu else "no GPU"
    return _CPU_FLOPS, f"{why}: assumed 1e10 FLOP/s, as small CPU ladders measure on 2 cores"


def estimate_s(flops: float, rate: float) -> float:
    """A rung's estimated wall time: its FLOPs at ``rate`` plus :data:`RUNG_OVERHEAD_S`."""
    return flops / rate + RUNG_OVERHEAD_S


def plan_rows(spec: LadderSpec) -> list[dict[str, Any]]:
    """One row per rung: its shape, exact counts and training settings."""
    from scalinglab.ladder import rung_counts

    rows: list[dict[str, Any]] = []
    for rung in spec.rungs:
        c = rung_counts(rung)
        rows.append(
            {
                "name": rung.name,
                "run_id": rung.run_id,
                "width": rung.model.width,
                "depth": rung.model.depth,
                "heads": rung.model.heads,
                "context": rung.model.context,
                "params": c.params,
                "params_non_embedding": c.params_non_embedding,
                "tokens": c.tokens,
                "steps": c.steps,
                "batch_size": rung.train.batch_size,
                "lr": rung.train.lr,
                "flops": c.flops,
                "flops_6nd": c.flops_6nd,
                "tokens_per_param": c.tokens / c.params_non_embedding,
            }
        )
    return rows
