"""Cleanup that a second Ctrl-C must not cut short."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

__all__ = ["interrupts_deferred"]


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[list[int]]:
    """Ignore SIGINT (Ctrl-C) inside the block, in the main thread, and list the signals
    that arrived meanwhile: a driver interrupted once is already stopping, and a second
    Ctrl-C inside its cleanup would leave rungs marked running that nothing trains.

    Elsewhere than the main thread (where Python delivers no signal) it does nothing.
    """
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    before = signal.signal(signal.SIGINT, lambda signum, _frame: arrived.append(signum))
    try:
        yield arrived
    finally:
        signal.signal(signal.SIGINT, before)
