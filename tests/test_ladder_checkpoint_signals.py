"""A preemption signal arriving while a checkpoint is written is handled once it is on disk."""

from __future__ import annotations

import io
import os
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

torch = pytest.importorskip("torch")

from scalinglab.ladder._checkpoint import (  # noqa: E402 (after the skip without torch)
    CHECKPOINT,
    load_checkpoint,
    save_checkpoint,
)
from scalinglab.ladder._files import preemption_deferred  # noqa: E402

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGUSR2"), reason="no SIGUSR2 here")


def test_a_preemption_signal_mid_save_is_handled_after_the_checkpoint_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_save = torch.save

    def slowed_save(obj: Any, f: Any) -> None:
        buffer = io.BytesIO()
        real_save(obj, buffer)
        data = buffer.getvalue()
        f.write(data[: len(data) // 2])
        # SLURM preempts the job twice while half the checkpoint is written
        os.kill(os.getpid(), signal.SIGUSR2)
        os.kill(os.getpid(), signal.SIGUSR2)
        for _ in range(10_000):  # bytecodes at which a handler not held back would run
            pass
        f.write(data[len(data) // 2 :])

    monkeypatch.setattr(torch, "save", slowed_save)
    seen: list[Any] = []

    def like_submitit(signum: int, frame: FrameType | None) -> None:
        # submitit requeues the job, then exits from wherever the main thread is
        found = load_checkpoint(tmp_path, "rung")
        seen.append((found or {}).get("step"))
        seen.append(signal.getsignal(signal.SIGUSR2) is like_submitit)
        raise SystemExit(-1)

    state = {"run_id": "rung", "step": 7, "weights": torch.arange(4096.0)}
    previous = signal.signal(signal.SIGUSR2, like_submitit)
    try:
        with pytest.raises(SystemExit):
            save_checkpoint(tmp_path, state)
    finally:
        signal.signal(signal.SIGUSR2, previous)
    # ran once, after the whole file was in place, with the handler back where it was
    assert seen == [7, True]
    saved = torch.load(tmp_path / CHECKPOINT, weights_only=True)
    assert torch.equal(saved["weights"], torch.arange(4096.0))
    assert sorted(p.name for p in tmp_path.iterdir()) == [CHECKPOINT]  # no temporary left


def test_no_signal_no_handler_run_and_the_handlers_are_restored() -> None:
    calls: list[int] = []
    previous = signal.signal(signal.SIGUSR2, lambda signum, _frame: calls.append(signum))
    try:
        with preemption_deferred() as arrived:
            assert signal.getsignal(signal.SIGUSR2) is not previous
        assert arrived == [] and calls == []
        os.kill(os.getpid(), signal.SIGUSR2)  # outside the block: straight to the handler
        assert calls == [signal.SIGUSR2]
    finally:
        signal.signal(signal.SIGUSR2, previous)


def test_outside_the_main_thread_it_does_nothing() -> None:
    before = signal.getsignal(signal.SIGUSR2)
    found: list[object] = []

    def work() -> None:
        with preemption_deferred() as arrived:  # signal.signal would raise in this thread
            found.append((arrived, signal.getsignal(signal.SIGUSR2)))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert found == [([], before)]
