"""Preemption signals held back while a checkpoint is written (the write itself is atomic:
:func:`scalinglab._atomic.atomic_write`)."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["PREEMPTION_SIGNALS", "preemption_deferred"]

#: What a scheduler sends a job it preempts or is about to time out: SLURM's SIGTERM, and
#: the SIGUSR1/SIGUSR2 a job asks for (submitit's default preemption signal is SIGUSR2).
PREEMPTION_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGUSR1", "SIGUSR2") if hasattr(signal, name)
)


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
