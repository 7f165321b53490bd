"""What a rung trains and is scored on: each step's batch, the held-out windows, the
evaluation.

A step's batch is a pure function of ``(seed, step)`` (``numpy.random.default_rng([seed,
step])``), so the data position *is* the step and a resumed run sees exactly the batches it
would have seen; the held-out windows are fixed and evenly spread over the held-out split.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from scalinglab._errors import ConfigError

__all__ = ["eval_windows", "evaluate", "sample_batch"]


def sample_batch(
    tokens: np.ndarray, *, seed: int, step: int, batch_size: int, context: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and targets ``(B, T)`` of step ``step``: random windows, a pure function of
    ``(seed, step)`` so a resumed run sees exactly the batches it would have seen."""
    rng = np.random.default_rng([seed, step])
    starts = rng.integers(0, len(tokens) - context - 1, size=batch_size, endpoint=True)
    window = torch.from_numpy(tokens[starts[:, None] + np.arange(context + 1)].astype(np.int64))
    return window[:, :-1], window[:, 1:]


def eval_windows(
    tokens: np.ndarray, *, n_tokens: int, context: int, multiple_of: int = 1
) -> np.ndarray:
    """Start offsets of the fixed held-out windows, evenly spread over the held-out split:
    ``n_tokens / context`` of them, rounded up to a multiple of the batch size so every
    evaluation batch has the training shape (no recompilation under ``torch.compile``)."""
    if len(tokens) < context + 1:
        raise ConfigError(
            f"the held-out split has {len(tokens)} tokens, fewer than one window of {context + 1}",
            hint="use a larger corpus or a shorter context",
        )
    n = -(-max(1, n_tokens // context) // multiple_of) * multiple_of
    return np.linspace(0, len(tokens) - context - 1, n).round().astype(np.int64)


@torch.no_grad()
def evaluate(
    model: torch.nn.Module,
    tokens: np.ndarray,
    starts: np.ndarray,
    *,
    batch_size: int,
    context: int,
    device: torch.device,
    autocast: Callable[[], Any],
) -> float:
    """Mean next-token loss (nats per byte) over the windows at ``starts``."""
    model.eval()
    total, count = torch.zeros((), device=device), 0
    for i in range(0, len(starts), batch_size):
        chunk = starts[i : i + batch_size]
        window = torch.from_numpy(tokens[chunk[:, None] + np.arange(context + 1)].astype(np.int64))
        x, y = window[:, :-1].to(device), window[:, 1:].to(device)
        with autocast():
            total += model(x, y).float() * len(chunk)
        count += len(chunk)
    model.train()
    return float(total) / count
