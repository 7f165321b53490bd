"""A driver interrupted twice (Ctrl-C, then Ctrl-C again while it cleans up) still marks its
rungs pending, and the driver's lock in a rung's folder lives exactly as long as the driver
waits on it (what ``ladder status`` reads for Ray and SLURM rungs)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import Backend, RunHandle, run_ladder
from scalinglab.execute._backend import JobState
from scalinglab.execute._signals import interrupts_deferred
from scalinglab.execute._workdirs import driver_alive
from scalinglab.ladder import RungConfig, get_recipe
from scalinglab.store import RunStore


def test_a_ctrl_c_inside_the_block_is_deferred_and_listed() -> None:
    before = signal.getsignal(signal.SIGINT)
    with interrupts_deferred() as arrived:
        os.kill(os.getpid(), signal.SIGINT)  # delivered here: no KeyboardInterrupt
    assert arrived == [signal.SIGINT]
    assert signal.getsignal(signal.SIGINT) is before


class _Interrupted(RunHandle):
    """A rung whose driver gets Ctrl-C while it polls it, and again while cancelling it."""

    def poll(self) -> JobState:
        assert driver_alive(self.workdir)  # the driver holds its lock while it waits
        os.kill(os.getpid(), signal.SIGINT)
        return "running"

    def cancel(self) -> None:
        os.kill(os.getpid(), signal.SIGINT)


class _SecondCtrlC(Backend):
    name = "ray"  # a backend whose workers hold no lock the status could see

    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        return _Interrupted(rung, workdir)


def test_a_second_ctrl_c_during_cleanup_still_marks_the_rungs_pending(tmp_path: Path) -> None:
    ladder = get_recipe(
        str(write_ladder(tmp_path / "m.toml", steps=(10, 10), corpus=make_corpus(tmp_path / "t")))
    )
    store = RunStore(tmp_path / "runs.duckdb")
    backend = _SecondCtrlC()
    backend.slots = 2
    with pytest.raises(KeyboardInterrupt):
        run_ladder(ladder, store=store, backend=backend, workdir=tmp_path / "w", poll_s=0.01)
    assert [store.get_run(r.run_id).status for r in ladder.rungs] == ["pending", "pending"]
    assert not any(driver_alive(tmp_path / "w" / r.run_id) for r in ladder.rungs)
