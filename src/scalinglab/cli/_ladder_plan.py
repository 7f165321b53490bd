"""``scalinglab ladder plan``'s numbers: each rung's counts and an estimated training time."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec

__all__ = ["default_rate", "duration", "plan_rows"]

# measured on a 2-core VM: examples/isoflop-tiny's 12 rungs trained 5.6e12 FLOPs in 309 s,
# 1.8e10 FLOP/s overall (1.1e10 to 3.4e10 per rung); the `tiny` ladder's smaller rungs 3.6e9
# (w32) to 1.2e10 (w64). 5e9 made the isoFLOP ladder's plan 3.6x too long; 1e10 is within
# 2x of both (the speed grows with the model: tiny matmuls waste the cores)
_CPU_FLOPS = 1e10
_GPU_FLOPS = 1e14  # ~25-40% of an A100/H100's bf16 peak, what small ladders reach


def duration(seconds: float) -> str:
    """``42 s``, ``3.5 min``, ``1.2 h``."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds / 3600:.1f} h"


def default_rate() -> tuple[float, str]:
    """The assumed training speed (FLOP/s) where none is given, and why."""
    if shutil.which("nvidia-smi") is not None:
        return _GPU_FLOPS, "a GPU was found: assumed 1e14 FLOP/s"
    return _CPU_FLOPS, "no GPU: assumed 1e10 FLOP/s, as small CPU ladders measure on 2 cores"


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
