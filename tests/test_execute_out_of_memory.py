"""A rung too large for the machine's memory fails as running out of memory, with what its
model takes and what to do: PyTorch's ``DefaultCPUAllocator: can't allocate memory`` was
recorded as "this looks like a bug; the traceback is in error.json" (no path to it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.execute._backend import read_error
from scalinglab.execute._worker import run_job
from scalinglab.ladder import get_recipe

#: PyTorch 2.13's words for a CPU allocation that failed, as a worker printed them.
_CPU_OOM = (
    "[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate "
    "memory: you tried to allocate 45088768 bytes. Error code 12 (Cannot allocate memory)"
)


def _failing_rung(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: BaseException
) -> tuple[str, str]:
    """Run the worker on tiny's w64-d2 rung, its training raising ``err``; the message and
    hint it leaves in ``error.json``, as the driver reads them."""
    import scalinglab.ladder

    def train_rung(*args: object, **kwargs: object) -> None:
        raise err

    monkeypatch.setattr(scalinglab.ladder, "train_rung", train_rung)
    rung = get_recipe("tiny").rungs[2]
    assert rung.name == "w64-d2"
    with pytest.raises(type(err)):
        run_job({"rung": rung.to_dict(), "workdir": str(tmp_path / "wd")})
    error = read_error(tmp_path / "wd")
    assert error is not None
    return error.message, error.hint


def test_a_rung_out_of_cpu_memory_says_so_with_what_its_model_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message, hint = _failing_rung(tmp_path, monkeypatch, RuntimeError(_CPU_OOM))
    # tiny's w64-d2 has 133,440 parameters (`ladder status --json`): 16 bytes each to train
    assert message == (
        f"rung 'w64-d2' ran out of this machine's memory ({_CPU_OOM}); its 133K parameters "
        "alone take about 2.14 MB to train (weights, gradients and AdamW's two moments in "
        "float32), before activations"
    )
    assert hint.startswith("train smaller rungs (`scalinglab ladder plan` lists their parameters)")
    assert "bug" not in message + hint


def test_a_gpu_out_of_memory_error_names_the_gpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class OutOfMemoryError(RuntimeError):  # torch.OutOfMemoryError, known by its name
        pass

    err = OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
    message, _ = _failing_rung(tmp_path, monkeypatch, err)
    assert message.startswith("rung 'w64-d2' ran out of the GPU's memory (CUDA out of memory.")


def test_an_unexpected_error_names_the_file_its_traceback_is_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    message, hint = _failing_rung(tmp_path, monkeypatch, RuntimeError("shape mismatch"))
    assert message == "RuntimeError: shape mismatch"
    assert hint == f"this looks like a bug; the traceback is in {tmp_path / 'wd' / 'error.json'}"
    assert "shape mismatch" in (tmp_path / "wd" / "error.json").read_text()  # the traceback
