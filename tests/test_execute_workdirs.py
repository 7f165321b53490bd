"""Work folders beside the store (a resume from another directory finds its checkpoints),
the old default still read, and a rung trained by another driver said as such."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.execute import (
    InProcessBackend,
    LadderEvents,
    LocalBackend,
    default_workdir,
    run_ladder,
)
from scalinglab.execute._workdirs import (
    LEGACY_WORKDIR,
    LOCK,
    TRAINER,
    trained_elsewhere,
    write_trainer,
)
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore

pytest.importorskip("torch")


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("OMP_NUM_THREADS", "1")
        yield


class Notes(LadderEvents):
    def __init__(self) -> None:
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_default_work_folder_is_beside_the_store_and_the_old_one_is_still_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ladder = get_recipe(
        str(write_ladder(tmp_path / "m.toml", steps=(10,), corpus=make_corpus(tmp_path / "t")))
    )
    rung = ladder.rungs[0]
    assert default_workdir(tmp_path / "a.duckdb") == tmp_path / "a.duckdb.wd"
    monkeypatch.chdir(tmp_path)
    # a run of an older version: its folder in .scalinglab/runs of the current directory
    first = RunStore(tmp_path / "old.duckdb")
    run_ladder(ladder, store=first, backend=InProcessBackend(), workdir=LEGACY_WORKDIR)
    events = Notes()
    second = RunStore(tmp_path / "new.duckdb")
    report = run_ladder(ladder, store=second, backend=InProcessBackend(), events=events)
    assert [o.status for o in report.outcomes] == ["recorded"]
    assert events.notes == [
        f"{rung.name}: recorded from {LEGACY_WORKDIR / rung.run_id}, the old default work "
        f"folder (new rungs' folders go in {tmp_path / 'new.duckdb.wd'}; --workdir to choose)"
    ]
    # run again: the rung is skipped as finished in the store, with no note of that folder
    events = Notes()
    report = run_ladder(ladder, store=second, backend=InProcessBackend(), events=events)
    assert [o.status for o in report.outcomes] == ["skipped"]
    assert events.notes == []
    # from another directory, a store's default folder is still beside it
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    third = RunStore(tmp_path / "third.duckdb")
    report = run_ladder(ladder, store=third, backend=InProcessBackend())
    assert [o.status for o in report.outcomes] == ["finished"]
    assert (tmp_path / "third.duckdb.wd" / rung.run_id / "result.json").is_file()
    assert not (elsewhere / ".scalinglab").exists()


def test_trained_elsewhere_reads_the_trainer_file(tmp_path: Path) -> None:
    assert not trained_elsewhere(tmp_path)
    (tmp_path / TRAINER).write_text(json.dumps({"driver": str(os.getpid())}))
    assert not trained_elsewhere(tmp_path)
    (tmp_path / TRAINER).write_text(json.dumps({"driver": str(os.getpid() + 1)}))
    assert trained_elsewhere(tmp_path)


@pytest.mark.heavy
def test_two_drivers_on_one_store_train_a_rung_once(tmp_path: Path) -> None:
    toml = write_ladder(tmp_path / "m.toml", steps=(60,), corpus=make_corpus(tmp_path / "t"))
    command = [sys.executable, "-m", "scalinglab", "ladder", "run", str(toml)]
    command += ["--store", str(tmp_path / "s.duckdb")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    procs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    both = "\n".join(outs)
    assert both.count("finished w16-d1") == 1, outs  # one trained it, the other says so
    assert "1 trained" in both


@pytest.mark.heavy
def test_a_rung_retrained_for_a_changed_corpus_is_said_trained_by_this_driver(
    tmp_path: Path,
) -> None:
    corpus = make_corpus(tmp_path / "t")
    ladder = get_recipe(str(write_ladder(tmp_path / "m.toml", steps=(10,), corpus=corpus)))
    workdir = tmp_path / "wd"
    with LocalBackend(gpus=()) as backend:
        first = run_ladder(
            ladder,
            store=RunStore(tmp_path / "a.duckdb"),
            backend=backend,
            workdir=workdir,
            poll_s=0.05,
        )
    # as the driver of another process had trained it (this test's drivers share one pid)
    write_trainer(workdir / ladder.rungs[0].run_id, str(os.getpid() + 1))
    with (corpus / "utils.py").open("a") as f:
        f.write("# one more line: the corpus's contents changed under its path\n")
    with LocalBackend(gpus=()) as backend:
        second = run_ladder(
            ladder,
            store=RunStore(tmp_path / "b.duckdb"),
            backend=backend,
            workdir=workdir,
            poll_s=0.05,
        )
    assert [o.status for o in second.outcomes] == ["finished"]  # not "recorded"
    assert second.outcomes[0].loss != first.outcomes[0].loss


def test_a_trainer_unknown_removes_the_trainer_file_of_an_earlier_training(
    tmp_path: Path,
) -> None:
    write_trainer(tmp_path, str(os.getpid() + 1))
    assert trained_elsewhere(tmp_path)
    write_trainer(tmp_path, None)  # a Ray or SLURM worker retrains it: no driver pid known
    assert not (tmp_path / TRAINER).exists()
    assert not trained_elsewhere(tmp_path)


@pytest.mark.heavy
def test_a_driver_waits_on_a_rung_as_long_as_its_lock_holder_lives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scalinglab.execute import _worker

    monkeypatch.setattr(_worker, "_LOCK_POLL_S", 0.01)  # many polls in the hold below
    ladder = get_recipe(
        str(write_ladder(tmp_path / "m.toml", steps=(10,), corpus=make_corpus(tmp_path / "t")))
    )
    folder = tmp_path / "wd" / ladder.rungs[0].run_id
    folder.mkdir(parents=True)
    holder = subprocess.Popen(  # another driver's worker, alive, holding the rung's lock
        [sys.executable, "-c", "import fcntl, os, sys, time\n"
         f"fd = os.open({str(folder / LOCK)!r}, os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        threading.Timer(1.5, holder.kill).start()  # it dies without a result
        events = Notes()
        start = time.monotonic()
        report = run_ladder(
            ladder, store=RunStore(tmp_path / "s.duckdb"), backend=InProcessBackend(),
            workdir=tmp_path / "wd", events=events,
        )  # fmt: skip
        assert time.monotonic() - start >= 1.5  # it waited, then trained the rung itself
    finally:
        holder.kill()
        holder.wait()
    assert [o.status for o in report.outcomes] == ["finished"]
    assert events.notes == [
        f"{ladder.rungs[0].name}: another process is training it in {folder}; waiting for it "
        "to end, then recording its result (or resuming, if it ends without one)"
    ]
