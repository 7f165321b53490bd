"""The two files a rung leaves in its work folder, both written atomically.

``checkpoint.pt``  the resume point: model, optimiser, RNG states, step (= data position),
                   per-step losses, curve so far, run id (a checkpoint of another rung is ignored)
``result.json``    the finished :class:`~scalinglab.ladder.RungResult`; its presence means done
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from scalinglab._atomic import atomic_write
from scalinglab.ladder._files import preemption_deferred
from scalinglab.ladder._result import RungResult

__all__ = [
    "CHECKPOINT",
    "RESULT",
    "clear_results",
    "finished",
    "load_checkpoint",
    "save_checkpoint",
    "save_result",
]

CHECKPOINT = "checkpoint.pt"
RESULT = "result.json"


def save_checkpoint(workdir: Path, state: dict[str, Any]) -> None:
    """Write ``state`` (which must hold ``"run_id"``) as ``workdir/checkpoint.pt``.

    A preemption signal arriving meanwhile is handled once the file is in place (see
    :func:`~scalinglab.ladder._files.preemption_deferred`), so the requeued job resumes
    from it rather than failing on a save cut short.
    """
    with preemption_deferred():
        atomic_write(workdir / CHECKPOINT, lambda f: torch.save(state, f))


def load_checkpoint(
    workdir: Path, run_id: str, *, corpus_hash: str | None = None
) -> dict[str, Any] | None:
    """The checkpoint in ``workdir`` if there is one and it belongs to ``run_id`` (and, when
    both record it, was trained on the corpus of ``corpus_hash``)."""
    path = workdir / CHECKPOINT
    if not path.is_file():
        return None
    # weights_only: tensors, numbers, strings and containers only, never arbitrary objects
    state: dict[str, Any] = torch.load(path, map_location="cpu", weights_only=True)
    if state.get("run_id") != run_id:
        return None
    saved = state.get("corpus_hash")
    return None if corpus_hash and saved and saved != corpus_hash else state


def clear_results(workdir: Path) -> None:
    """Drop a rung's result and checkpoint (trained on data it no longer has)."""
    for name in (RESULT, CHECKPOINT):
        (workdir / name).unlink(missing_ok=True)


def save_result(workdir: Path, result: RungResult) -> None:
    """Write ``workdir/result.json``, then drop the checkpoint it supersedes."""
    atomic_write(workdir / RESULT, json.dumps(result.to_dict(), indent=1).encode())
    (workdir / CHECKPOINT).unlink(missing_ok=True)


def finished(workdir: Path, run_id: str) -> RungResult | None:
    """The result in ``workdir`` if ``run_id`` has finished there."""
    path = workdir / RESULT
    if not path.is_file():
        return None
    data = json.loads(path.read_text())
    return RungResult.from_dict(data) if data.get("run_id") == run_id else None
