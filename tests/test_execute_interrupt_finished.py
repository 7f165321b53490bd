"""A Ctrl-C that arrives just after a rung was recorded finished (in the event that says so)
leaves that rung finished: in the store, in the report, and not among the stopped rungs."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import InProcessBackend, LadderEvents, LadderInterrupted, run_ladder
from scalinglab.ladder import RungConfig, RungResult, get_recipe
from scalinglab.store import RunStore, StoredRun

# each test sends itself Ctrl-C: it must raise, even in a suite started in the background
pytestmark = pytest.mark.usefixtures("ctrl_c_raises")

pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")


class _CtrlCOnFinish(LadderEvents):
    """Ctrl-C the moment the first rung is said finished (recorded, not yet out of the poll)."""

    def rung_finished(self, rung: RungConfig, run: StoredRun, result: RungResult) -> None:
        os.kill(os.getpid(), signal.SIGINT)


def test_a_ctrl_c_right_after_a_rung_finished_keeps_it_finished(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "text")
    ladder = get_recipe(str(write_ladder(tmp_path / "l.toml", steps=(10, 10), corpus=corpus)))
    store = RunStore(tmp_path / "runs.duckdb")
    with pytest.raises(LadderInterrupted) as caught:
        run_ladder(
            ladder, store=store, backend=InProcessBackend(), workdir=tmp_path / "w",
            events=_CtrlCOnFinish(), poll_s=0.01,
        )  # fmt: skip
    first, second = ladder.rungs
    outcome = caught.value.report.outcomes
    assert [(o.rung, o.status) for o in outcome] == [
        (first.name, "finished"),
        (second.name, "pending"),  # the Ctrl-C came before it started
    ]
    assert outcome[0].loss is not None
    assert caught.value.stopped == ()
    stored = store.get_run(first.run_id)
    assert stored is not None and (stored.status, stored.loss) == ("finished", outcome[0].loss)
