"""What a worker writes to ``error.json`` when its rung fails: the message and hint the
driver records in the store and prints.

A rung too large for the machine's memory is no bug: PyTorch says so as ``RuntimeError:
[enforce fail at alloc_cpu.cpp:127] ... DefaultCPUAllocator: can't allocate memory`` (on a
GPU, ``torch.OutOfMemoryError: CUDA out of memory``), which was recorded as "this looks like
a bug". It is said as the rung running out of memory, with what the rung's model alone takes
and what to do; an error no one expected names the file its traceback is in.
"""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ScalingLabError, first_line
from scalinglab._format import format_count

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig

__all__ = ["error_record", "is_out_of_memory"]

#: Bytes a parameter takes while it trains: float32 weights, gradients and AdamW's two
#: moments (bf16 autocast on a GPU keeps float32 weights and optimiser state too).
_BYTES_PER_PARAM = 16
#: PyTorch's words for an allocation that failed, on the CPU (its allocator's, and the C
#: library's) and on a GPU (``torch.OutOfMemoryError``'s message).
_OOM_WORDS = ("can't allocate memory", "cannot allocate memory", "out of memory")


def is_out_of_memory(err: BaseException) -> bool:
    """Whether ``err`` is an allocation the machine's (or the GPU's) memory could not meet."""
    if isinstance(err, MemoryError) or type(err).__name__ == "OutOfMemoryError":
        return True
    return isinstance(err, RuntimeError) and any(w in str(err).lower() for w in _OOM_WORDS)


def _out_of_memory(err: BaseException, rung: RungConfig | None) -> dict[str, str]:
    """The record of a rung that ran out of memory: how much its model's training state
    takes (where the rung is known), and the ways to make it fit."""
    where = "the GPU's" if "cuda" in str(err).lower() else "this machine's"
    named = f"rung {rung.name!r}" if rung is not None else "the rung"
    needs = ""
    if rung is not None:
        from scalinglab.ladder import rung_counts

        params = rung_counts(rung).params
        needs = (
            f"; its {format_count(params)} parameters alone take about "
            f"{_bytes(params * _BYTES_PER_PARAM)} to train (weights, gradients and AdamW's "
            "two moments in float32), before activations"
        )
    return {
        "type": "OutOfMemoryError",
        "message": f"{named} ran out of {where} memory ({first_line(err)}){needs}",
        "hint": "train smaller rungs (`scalinglab ladder plan` lists their parameters), lower "
        "batch_size (activations grow with batch_size × context), or train where there is "
        "more memory (a GPU: --gpus)",
    }


def _bytes(n: float) -> str:
    """A memory size in the units machines are sold in: ``19.5 GB``, ``640 MB``."""
    return f"{n / 1e9:.3g} GB" if n >= 1e9 else f"{n / 1e6:.3g} MB"


def error_record(err: BaseException, *, rung: RungConfig | None, workdir: Path) -> dict[str, Any]:
    """The ``error.json`` record of ``err``, raised while the worker in ``workdir`` trained
    ``rung`` (``None`` where the job spec could not be read).

    Returns:
        ``type``, ``message`` and ``hint``; for an unexpected error its ``traceback`` too.
    """
    if isinstance(err, ScalingLabError):
        return {"type": type(err).__name__, "message": err.message, "hint": err.hint}
    if is_out_of_memory(err):
        return _out_of_memory(err, rung)
    return {
        "type": type(err).__name__,
        "message": f"{type(err).__name__}: {err}",
        "hint": f"this looks like a bug; the traceback is in {workdir / 'error.json'}",
        "traceback": traceback.format_exc(),
    }
