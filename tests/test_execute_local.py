"""The ladder driver on the local and in-process backends: real (tiny) training, every run and
curve in the store, reruns skip finished rungs, failures are recorded, results are not lost."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab import ConfigError
from scalinglab.execute import InProcessBackend, LadderEvents, LocalBackend, run_ladder
from scalinglab.execute import _local as local
from scalinglab.ladder import LadderSpec, get_recipe, rung_counts
from scalinglab.store import RunStore

pytest.importorskip("torch")


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.mktemp("cache")))
        mp.setenv("OMP_NUM_THREADS", "1")  # two workers never fight over the 2 CI cores
        yield


class Recorder(LadderEvents):
    """Keeps the events the driver sends, by kind."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str]] = []
        self.steps: list[int] = []

    def rung_skipped(self, rung, run):  # type: ignore[no-untyped-def]
        self.seen.append(("skipped", rung.name))

    def rung_started(self, rung):  # type: ignore[no-untyped-def]
        self.seen.append(("started", rung.name))

    def rung_progress(self, rung, progress):  # type: ignore[no-untyped-def]
        self.steps.append(progress.step)

    def rung_finished(self, rung, run, result):  # type: ignore[no-untyped-def]
        self.seen.append(("finished", rung.name))

    def rung_failed(self, rung, error):  # type: ignore[no-untyped-def]
        self.seen.append(("failed", rung.name))


@pytest.mark.heavy
def test_local_ladder_end_to_end_then_rerun_skips(tmp_path: Path) -> None:
    ladder = get_recipe(
        str(
            write_ladder(
                tmp_path / "mini.toml", steps=(20, 30, 40), corpus=make_corpus(tmp_path / "text")
            )
        )
    )
    store = RunStore(tmp_path / "runs.duckdb")
    events = Recorder()
    with LocalBackend(gpus=()) as backend:
        report = run_ladder(
            ladder,
            store=store,
            backend=backend,
            workdir=tmp_path / "work",
            events=events,
            poll_s=0.05,
        )
    assert [o.status for o in report.outcomes] == ["finished"] * 3
    assert events.seen == [(k, r.name) for r in ladder.rungs for k in ("started", "finished")]

    runs = {r.run_id: r for r in store.runs()}
    outcomes = {o.run_id: o for o in report.outcomes}
    assert set(runs) == {r.run_id for r in ladder.rungs}
    for rung in ladder.rungs:
        run, counts = runs[rung.run_id], rung_counts(rung)
        result = json.loads((tmp_path / "work" / rung.run_id / "result.json").read_text())
        assert run.status == "finished" and run.source == "ladder:mini"
        assert (run.params, run.params_non_embedding, run.flops, run.flops_6nd) == (
            counts.params,
            counts.params_non_embedding,
            counts.flops,
            counts.flops_6nd,
        )
        assert run.tokens == counts.tokens == result["tokens"]
        # one name for the final held-out loss: the store's, the outcome's, result.json's
        # ("eval_loss", its old key, kept beside it one release)
        assert run.loss == outcomes[rung.run_id].loss == result["loss"] == result["eval_loss"]
        assert run.train_loss == result["train_loss"]
        assert run.corpus_hash == result["corpus_hash"] and len(run.corpus_hash or "") == 64
        assert run.config == rung.to_dict()
        curve = store.curve(rung.run_id)
        assert list(curve["step"]) == [p["step"] for p in result["curve"]]
        assert list(curve["step"])[-1] == counts.steps
        np.testing.assert_array_equal(
            curve["train_loss"], [p["train_loss"] for p in result["curve"]]
        )
        assert curve["eval_loss"].iloc[-1] == run.loss
    assert store.counts() == {
        "finished": 3,
        "curve_points": sum(len(store.curve(r.run_id)) for r in ladder.rungs),
    }
    table = store.to_run_table()  # what `scalinglab fit --store` reads
    assert sorted(table.runs) == sorted(r.name for r in ladder.rungs)

    before = store.runs_frame()
    again = Recorder()
    with LocalBackend(gpus=()) as backend:
        report = run_ladder(
            ladder, store=store, backend=backend, workdir=tmp_path / "work", events=again
        )
    assert [o.status for o in report.outcomes] == ["skipped"] * 3
    assert again.seen == [("skipped", r.name) for r in ladder.rungs]
    after = store.runs_frame()
    assert after[["run_id", "content_hash", "updated_at"]].equals(
        before[["run_id", "content_hash", "updated_at"]]
    )


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_result_on_disk_is_recorded_without_training(tmp_path: Path) -> None:
    """A driver killed after a rung finished but before it wrote the store loses nothing."""
    ladder = get_recipe(
        str(write_ladder(tmp_path / "l.toml", steps=(10,), corpus=make_corpus(tmp_path / "text")))
    )
    first = RunStore(tmp_path / "a.duckdb")
    run_ladder(ladder, store=first, backend=InProcessBackend(), workdir=tmp_path / "w")
    second = RunStore(tmp_path / "b.duckdb")  # a store that never heard of the run

    class NoTraining(InProcessBackend):
        def submit(self, rung, *, workdir):  # type: ignore[no-untyped-def]
            raise AssertionError("must not train a rung whose result is on disk")

    report = run_ladder(ladder, store=second, backend=NoTraining(), workdir=tmp_path / "w")
    assert report.outcomes[0].status == "recorded"  # not trained now, and said so
    run_id = ladder.rungs[0].run_id
    assert second.get_run(run_id) is not None
    a, b = first.get_run(run_id), second.get_run(run_id)
    assert a is not None and b is not None and a.loss == b.loss
    assert first.curve(run_id).equals(second.curve(run_id))


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_result_of_another_corpus_is_not_recorded(tmp_path: Path) -> None:
    """New contents under the corpus's path (the run id names the path): the result on disk
    is of other data, so the rung trains again instead of being recorded from it."""
    corpus = make_corpus(tmp_path / "text")
    ladder = get_recipe(str(write_ladder(tmp_path / "l.toml", steps=(10,), corpus=corpus)))
    first = run_ladder(
        ladder, store=RunStore(tmp_path / "a.duckdb"), backend=InProcessBackend(),
        workdir=tmp_path / "w",
    )  # fmt: skip
    (corpus / "zz_extra.py").write_text("x = 1\n" * 2000)  # the corpus's hash changes
    again = run_ladder(
        ladder, store=RunStore(tmp_path / "b.duckdb"), backend=InProcessBackend(),
        workdir=tmp_path / "w",
    )  # fmt: skip
    assert again.outcomes[0].status == "finished"
    assert again.outcomes[0].loss != first.outcomes[0].loss


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_failed_rung_is_recorded_with_its_error_and_others_go_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import scalinglab.ladder as ladder_pkg
    from scalinglab._errors import DataError

    base = get_recipe(
        str(
            write_ladder(tmp_path / "l.toml", steps=(10, 10), corpus=make_corpus(tmp_path / "text"))
        )
    )
    ladder = LadderSpec(name="mini", rungs=base.rungs[:2])
    train_rung = ladder_pkg.train_rung
    broken = ladder.rungs[1].name

    def failing(rung: Any, **kwargs: Any) -> Any:
        # a failure inside the worker (the corpus is checked before anything trains, so a
        # too-small one no longer reaches it): the worker records it, the driver goes on
        if rung.name == broken:
            raise DataError(
                "the shard holds 12 training tokens, fewer than one window",
                hint="use a larger corpus or a shorter context",
            )
        return train_rung(rung, **kwargs)

    monkeypatch.setattr(ladder_pkg, "train_rung", failing)
    store = RunStore(tmp_path / "runs.duckdb")
    report = run_ladder(ladder, store=store, backend=InProcessBackend(), workdir=tmp_path / "w")
    assert [o.status for o in report.outcomes] == ["finished", "failed"]
    assert report.failed == (report.outcomes[1],)
    failed = store.get_run(ladder.rungs[1].run_id)
    assert failed is not None and failed.status == "failed" and failed.loss is None
    assert "training tokens, fewer than one window" in failed.extra["error"]["message"]
    assert failed.extra["error"]["hint"] == "use a larger corpus or a shorter context"
    ok = store.get_run(ladder.rungs[0].run_id)
    assert ok is not None and ok.status == "finished"


def test_missing_corpus_fails_before_anything_trains(tmp_path: Path) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=tmp_path / "no-such-folder")
    store = RunStore(tmp_path / "runs.duckdb")
    with pytest.raises(ConfigError, match=r"corpus .*no-such-folder.* does not exist"):
        run_ladder(
            get_recipe(str(path)), store=store, backend=InProcessBackend(), workdir=tmp_path / "w"
        )
    assert not store.path.exists()


def _exec_environ(pid: int, *, within_s: float = 10.0) -> list[bytes]:
    """The child's environment once it has exec'd: between fork and exec /proc shows the
    parent's (no CUDA_VISIBLE_DEVICES), which a loaded machine can make last a while."""
    import time

    deadline = time.monotonic() + within_s
    while True:
        env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        if any(v.startswith(b"CUDA_VISIBLE_DEVICES=") for v in env) or time.monotonic() > deadline:
            return env
        time.sleep(0.01)


@pytest.mark.heavy
def test_one_rung_per_gpu_each_seeing_only_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ladder = get_recipe(
        str(
            write_ladder(
                tmp_path / "l.toml", steps=(10, 10, 10), corpus=make_corpus(tmp_path / "text")
            )
        )
    )
    first, second, third = ladder.rungs  # CPU rungs: the ids only need to reach the children
    # as on a machine with two GPUs (a CPU-only one refuses them: tests/test_ladder_gpus.py)
    monkeypatch.setattr(local, "cuda_gpus", lambda: ("0", "1"))
    backend = LocalBackend(gpus=("0", "1"))
    assert backend.slots == 2
    with backend:
        handles = [backend.submit(r, workdir=tmp_path / r.run_id) for r in (first, second)]
        assert [h.gpu for h in handles] == ["0", "1"]  # type: ignore[attr-defined]
        environ = [_exec_environ(h.process.pid) for h in handles]  # type: ignore[attr-defined]
        assert [[v for v in env if v.startswith(b"CUDA_VISIBLE_DEVICES=")] for env in environ] == [
            [b"CUDA_VISIBLE_DEVICES=0"],
            [b"CUDA_VISIBLE_DEVICES=1"],
        ]
        results = [h.wait(poll_s=0.05) for h in handles]
        assert all(r.steps == 10 for r in results)
        third_handle = backend.submit(third, workdir=tmp_path / third.run_id)
        assert third_handle.gpu == "0"  # type: ignore[attr-defined]  # freed, reused
        assert third_handle.wait(poll_s=0.05).steps == 10
