"""The process's one set of worker threads (fit/_pool.py): every range once, failures and
errors reported, one set shared by the solver and the drop sums, a forked child's own."""

from __future__ import annotations

import os
import sys
import threading
import time

import numpy as np
import pytest

import scalinglab as sl
from scalinglab import _builds
from scalinglab.fit._pool import run_ranges, thread_count


def _workers_alive() -> list[str]:
    return sorted(t.name for t in threading.enumerate() if t.name.startswith("scalinglab-worker"))


def test_every_range_runs_once_on_up_to_threads_threads() -> None:
    seen: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def run(b: int, e: int) -> int:
        time.sleep(0.002)  # long enough for the workers to take some
        with lock:
            seen.append((b, e, threading.current_thread().name))
        return 0

    ranges = [(i, i + 3) for i in range(0, 60, 3)]
    done: list[int] = []
    assert run_ranges(run, ranges, threads=3, progress=done.append)
    assert sorted((b, e) for b, e, _ in seen) == ranges
    assert len({name for *_, name in seen}) <= 3
    assert done[-1] == 60 and done == sorted(done)  # starts covered, never going back


def test_a_failed_range_stops_the_call_and_an_error_is_raised_in_the_caller() -> None:
    started: list[int] = []

    def fail_at_two(b: int, e: int) -> int:
        started.append(b)
        return -1 if b == 2 else 0

    assert not run_ranges(fail_at_two, [(i, i + 1) for i in range(40)], threads=1)
    assert started == [0, 1, 2]  # one thread: nothing after the failure

    def boom(b: int, e: int) -> int:
        if b == 5:
            raise ValueError("range 5")
        return 0

    with pytest.raises(ValueError, match="range 5"):
        run_ranges(boom, [(i, i + 1) for i in range(30)], threads=3)


def test_an_interrupted_call_returns_only_once_the_ranges_taken_have_ended() -> None:
    """Progress raising (Ctrl-C while a bar is drawn): no more ranges start, and the caller
    waits for those the workers took, since they write into its arrays."""
    running, ran = [0], []
    lock = threading.Lock()

    def run(b: int, e: int) -> int:
        with lock:
            running[0] += 1
        time.sleep(0.005)
        with lock:
            running[0] -= 1
            ran.append(b)
        return 0

    def interrupt(_covered: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_ranges(run, [(i, i + 1) for i in range(50)], threads=3, progress=interrupt)
    assert running[0] == 0  # nothing still writing
    assert 1 <= len(ran) < 50


def test_the_solver_and_the_drop_sums_share_one_set_of_workers() -> None:
    if not _builds.available():
        pytest.skip("no compiled build here")
    from scalinglab.curves._drop import DropAtoms
    from scalinglab.curves._drop_compiled import drop_sums

    runs = sl.bundled_runs()
    sl.fit("chinchilla", runs, bootstrap=5, threads=3, extrapolation=False)
    after_fit = _workers_alive()
    rng = np.random.default_rng(0)
    n = 40_000
    atoms = DropAtoms(
        rng.uniform(1e-5, 1e-4, n), rng.uniform(-9, -7, n), rng.uniform(-10, 5, n),
        np.sort(rng.integers(0, 100, n)), 100,
    )  # fmt: skip
    S = 4
    sums = drop_sums(atoms, np.full(S, 0.5), np.full(S, 0.6), np.full(S, 0.4),
                     jacobian=False, threads=3)  # fmt: skip
    assert sums is not None
    assert len(after_fit) == 2  # three threads: the caller and two workers
    assert _workers_alive() == after_fit  # the drop sums started none of their own


@pytest.mark.skipif(sys.platform == "win32" or not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_gets_workers_of_its_own() -> None:
    run_ranges(lambda b, e: 0, [(0, 1), (1, 2), (2, 3)], threads=2)  # the parent's workers
    pid = os.fork()
    if pid == 0:  # the child: its parent's threads are not here
        try:
            hits: list[int] = []
            ok = run_ranges(lambda b, e: hits.append(b) or 0, [(i, i + 1) for i in range(8)],
                            threads=2)  # fmt: skip
            os._exit(0 if ok and sorted(hits) == list(range(8)) else 1)
        finally:
            os._exit(2)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def test_thread_count_is_the_one_policy() -> None:
    assert thread_count(3) == 3
    assert thread_count(None) == thread_count(0) >= 1
