"""A driver interrupted twice (Ctrl-C, then Ctrl-C again while it cleans up) still marks its
rungs pending, the driver's lock in a rung's folder lives exactly as long as the driver
waits on it (what ``ladder status`` reads for Ray and SLURM rungs), and the interrupt it
raises names each stopped rung with the step it reached and its checkpoint's."""

from __future__ import annotations

import os
import signal
from dataclasses import asdict
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import Backend, LadderInterrupted, RunHandle, StoppedRung, run_ladder
from scalinglab.execute._backend import PROGRESS, JobState, write_json
from scalinglab.execute._signals import interrupts_deferred
from scalinglab.execute._workdirs import driver_alive
from scalinglab.ladder import RungConfig, TrainProgress, get_recipe
from scalinglab.store import RunStore

# each test sends itself Ctrl-C: it must raise, even in a suite started in the background
pytestmark = pytest.mark.usefixtures("ctrl_c_raises")


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


class _StoppedAt(RunHandle):
    """A rung whose worker reported step 7 (checkpoint at step 5) when Ctrl-C came."""

    def poll(self) -> JobState:
        progress = TrainProgress(self.rung.run_id, 7, 10, 7 * 256, 3.0, None, 1e3, 1.0, 5)
        write_json(self.workdir / PROGRESS, asdict(progress))
        os.kill(os.getpid(), signal.SIGINT)
        return "running"

    def cancel(self) -> None:
        """The worker is gone with the driver's Ctrl-C; its checkpoint stays."""


class _CtrlCWhileTraining(Backend):
    name = "ray"

    def submit(self, rung: RungConfig, *, workdir: Path) -> RunHandle:
        workdir.mkdir(parents=True, exist_ok=True)
        return _StoppedAt(rung, workdir)


def test_the_interrupt_carries_the_stopped_rung_its_step_and_checkpoint(tmp_path: Path) -> None:
    ladder = get_recipe(
        str(write_ladder(tmp_path / "m.toml", steps=(10, 10), corpus=make_corpus(tmp_path / "t")))
    )
    store = RunStore(tmp_path / "runs.duckdb")
    with pytest.raises(LadderInterrupted) as caught:
        run_ladder(
            ladder, store=store, backend=_CtrlCWhileTraining(), workdir=tmp_path / "w", poll_s=0.01
        )
    assert isinstance(caught.value, KeyboardInterrupt)  # code catching Ctrl-C sees no change
    first = ladder.rungs[0]
    assert caught.value.stopped == (
        StoppedRung(first.name, first.run_id, 10, tmp_path / "w" / first.run_id, 7, 5),
    )
    second = ladder.rungs[1]
    assert [(o.rung, o.status) for o in caught.value.report.outcomes] == [
        (first.name, "interrupted"),
        (second.name, "pending"),  # never started: listed, as `ladder status` lists it
    ]
    assert store.get_run(second.run_id) is None  # and not written to the store
    assert store.get_run(first.run_id).status == "pending"


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_a_rung_an_earlier_ctrl_c_stopped_is_listed_interrupted_as_ladder_status_shows_it(
    tmp_path: Path,
) -> None:
    """A second Ctrl-C, before the rung the first one stopped started again, listed it
    ``pending`` in the report and ``ladder run --json`` while ``ladder status`` and ``runs``
    show it ``interrupted``: one word per state."""
    from scalinglab.cli._ladder_run_views import run_json
    from scalinglab.store._rung_status import shown_statuses

    ladder = get_recipe(
        str(write_ladder(tmp_path / "m.toml", steps=(10, 10), corpus=make_corpus(tmp_path / "t")))
    )
    store = RunStore(tmp_path / "runs.duckdb")
    both = _CtrlCWhileTraining()
    both.slots = 2  # both rungs started, both stopped: stored pending
    with pytest.raises(LadderInterrupted):
        run_ladder(ladder, store=store, backend=both, workdir=tmp_path / "w", poll_s=0.01)
    first, second = ladder.rungs
    assert [store.get_run(r.run_id).status for r in ladder.rungs] == ["pending", "pending"]
    with pytest.raises(LadderInterrupted) as caught:  # one at a time: the second not restarted
        run_ladder(
            ladder, store=store, backend=_CtrlCWhileTraining(), workdir=tmp_path / "w", poll_s=0.01
        )
    outcomes = [(o.rung, o.status) for o in caught.value.report.outcomes]
    assert outcomes == [(first.name, "interrupted"), (second.name, "interrupted")]
    assert shown_statuses(store.runs(), store=store.path)[second.run_id] == "interrupted"
    stored = {r.run_id: r for r in store.runs()}
    data = run_json(caught.value.report, store=store.path, stored=stored, interrupted=caught.value)
    assert [(r["rung"], r["status"]) for r in data["rungs"]] == outcomes
