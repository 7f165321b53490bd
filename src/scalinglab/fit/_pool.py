"""One set of worker threads per process, shared by every compiled call that splits its work.

The compiled solver (:mod:`._compiled`) splits a solve's starts into ranges, the multi-power
law's drop sums (:mod:`scalinglab.curves._drop_compiled`) split their parameter vectors;
ctypes releases the GIL for each call, so each range runs on its own core.
:func:`run_ranges` hands the ranges of one call out to the calling thread and up to
``threads - 1`` workers: each takes the next range not yet taken until none is left.

Why one pool of this shape (issue 12):

* **Started once.** A new ``ThreadPoolExecutor`` per solve started two threads for each of
  the ten solves of ``scalinglab fit``; starting a thread waits for it to run, which on two
  busy cores is milliseconds. The workers here start on first use and stay, one set per
  process: a forked child, which has none of its parent's threads, gets its own (the
  ``pid`` check).
* **The caller works too.** It runs ranges itself instead of waiting on a future, so a
  call on ``n`` threads hands work to ``n - 1`` others.
* **No import of** ``concurrent.futures`` (and the ``logging`` it loads): a few ms of every
  start-up, for a queue this module does in a dozen lines.

Which thread runs a range never changes a result: each range writes its own rows.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Sequence

__all__ = ["default_threads", "run_ranges", "thread_count"]

Run = Callable[[int, int], int]


def default_threads() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def thread_count(threads: int | None) -> int:
    """The threads a call may use: ``threads``, or by default every core this process may
    use (:func:`default_threads`)."""
    return max(1, threads or default_threads())


class _Call:
    """One :func:`run_ranges` call: its ranges, which are taken, and what they returned."""

    def __init__(self, run: Run, ranges: Sequence[tuple[int, int]], helpers: int) -> None:
        self.run = run
        self.ranges = ranges
        self.helpers = helpers  # workers that may still join
        self.next = 0  # the first range not yet taken
        self.finished = 0  # ranges
        self.covered = 0  # their sizes added up (end - begin)
        self.failed = False  # a range returned non-zero: take no more
        self.error: BaseException | None = None
        self.done = threading.Condition(threading.Lock())

    def take(self) -> int | None:
        """The index of the next range to run, or ``None`` when none is left."""
        with self.done:
            if self.failed or self.next >= len(self.ranges):
                return None
            self.next += 1
            return self.next - 1

    def work(self) -> None:
        """Run ranges until none is left."""
        while (i := self.take()) is not None:
            self.finish(self.ranges[i])

    def finish(self, bounds: tuple[int, int]) -> int:
        """Run one range and count it; the sizes of the ranges finished, added up."""
        try:
            code = self.run(*bounds)
        except BaseException as err:  # a worker's, raised again in the caller
            self.error, code = err, -1
        with self.done:
            self.finished += 1
            self.covered += bounds[1] - bounds[0]
            self.failed = self.failed or code != 0
            self.done.notify_all()
            return self.covered


class _Workers:
    """Daemon threads that join calls offered to them (a call's caller always waits for the
    ranges taken, so no worker is mid-range when the process ends)."""

    def __init__(self) -> None:
        self._offers: deque[_Call] = deque()
        self._ready = threading.Condition(threading.Lock())
        self._threads: list[threading.Thread] = []

    def offer(self, call: _Call) -> None:
        with self._ready:
            while len(self._threads) < call.helpers:  # grow to the largest call's need
                thread = threading.Thread(
                    target=self._loop, name=f"scalinglab-worker-{len(self._threads)}", daemon=True
                )
                thread.start()
                self._threads.append(thread)
            self._offers.append(call)
            self._ready.notify(call.helpers)

    def _loop(self) -> None:
        while True:
            with self._ready:
                while not self._offers:
                    self._ready.wait()
                call = self._offers[0]
                call.helpers -= 1
                if call.helpers <= 0:
                    self._offers.popleft()
            call.work()


_WORKERS: dict[int, _Workers] = {}
_WORKERS_LOCK = threading.Lock()


def _after_fork() -> None:  # another thread may have held the lock when the process forked
    global _WORKERS_LOCK
    _WORKERS_LOCK = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork)


def _workers() -> _Workers:
    """This process's workers (a forked child makes its own: its parent's threads are not
    there)."""
    pid = os.getpid()
    with _WORKERS_LOCK:
        got = _WORKERS.get(pid)
        if got is None:
            _WORKERS.clear()
            got = _WORKERS[pid] = _Workers()
        return got


def run_ranges(
    run: Run,
    ranges: Sequence[tuple[int, int]],
    *,
    threads: int,
    progress: Callable[[int], None] | None = None,
) -> bool:
    """Call ``run(begin, end)`` once per range, on this thread and up to ``threads - 1``
    workers; ``True`` if every call returned 0 (after the first that did not, no more
    ranges are started).

    Args:
        run: Runs one range; releases the GIL (a ctypes call) for the others to run.
        ranges: The ``(begin, end)`` ranges, in the order they are handed out.
        threads: Most threads running ranges at once, this one included.
        progress: Called on this thread with the sizes (``end - begin``) of the ranges
            finished so far, added up, after each range this thread runs and at the end.
    """
    call = _Call(run, ranges, helpers=min(threads, len(ranges)) - 1)
    if call.helpers > 0:
        _workers().offer(call)
    try:
        while (i := call.take()) is not None:
            covered = call.finish(ranges[i])
            if progress is not None:
                progress(covered)
    finally:  # progress may raise (Ctrl-C): start no more, and let the ranges taken end,
        with call.done:  # since they write into the caller's arrays
            call.failed = call.failed or call.next < len(ranges)
            while call.finished < call.next:
                call.done.wait()
    if call.error is not None:
        raise call.error
    if progress is not None:
        progress(call.covered)
    return not call.failed
