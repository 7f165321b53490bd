"""Atomic file writes: a reader (or a process killed mid-write) never sees half a file."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

__all__ = ["PREEMPTION_SIGNALS", "atomic_write", "preemption_deferred"]

#: What a scheduler sends a job it preempts or is about to time out: SLURM's SIGTERM, and
#: the SIGUSR1/SIGUSR2 a job asks for (submitit's default preemption signal is SIGUSR2).
PREEMPTION_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGUSR1", "SIGUSR2") if hasattr(signal, name)
)


def atomic_write(
    path: Path, data: bytes | Callable[[BinaryIO], object], *, durable: bool = True
) -> None:
    """Write ``data`` (bytes, or a function writing to a binary file) to ``path`` atomically.

    The bytes go to a temporary file in the same folder, then are renamed over ``path``
    (``os.replace`` is atomic on POSIX and Windows). With ``durable`` the file is fsync'ed
    first and the folder after, so the rename survives a power cut where the OS allows it;
    frequent, disposable files (progress reports) skip that cost.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                data(f)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # only left behind if something above failed
    if not durable:
        return
    with contextlib.suppress(OSError):
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def preemption_deferred() -> Iterator[list[int]]:
    """Hold back the preemption signals' Python handlers inside the block, then run them.

    submitit's handler raises ``SystemExit`` wherever the main thread is, and inside
    ``torch.save`` that breaks the writer (``unexpected pos ... vs ...``): the requeued
    job then fails instead of resuming. Inside the block each such signal is only
    recorded; on leaving it the previous handlers are back and every recorded signal is
    raised again, so its handler runs once the file is on disk.

    The handlers are swapped rather than the signals blocked with ``pthread_sigmask``:
    blocking covers only the calling thread, and the kernel hands a signal sent to the
    process to any thread not blocking it (torch keeps worker threads), whose arrival
    still runs the Python handler in the main thread mid-write.

    Yields:
        The signals that arrived inside the block, in order (raised again on leaving it).
        Elsewhere than the main thread (where Python runs no handler) it does nothing.
    """
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    before = {
        signum: signal.signal(signum, lambda got, _frame: arrived.append(got))
        for signum in PREEMPTION_SIGNALS
    }
    try:
        yield arrived
    finally:
        for signum, handler in before.items():
            signal.signal(signum, handler)
        for again in dict.fromkeys(arrived):  # once each: a handler requeues the job once
            signal.raise_signal(again)
