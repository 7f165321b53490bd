"""The store remembers the --workdir each rung ran in: a rerun without it resumes (or
records) the rung from there with a note, and ``ladder status`` reads its progress there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.cli import main
from scalinglab.execute import InProcessBackend, LadderEvents, run_ladder
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore

pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("COLUMNS", "250")


class Notes(LadderEvents):
    def __init__(self) -> None:
        self.notes: list[str] = []

    def note(self, text: str) -> None:
        self.notes.append(text)


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_rerun_without_workdir_uses_the_one_the_rung_ran_in(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ladder = get_recipe(
        str(write_ladder(tmp_path / "m.toml", steps=(10,), corpus=make_corpus(tmp_path / "t")))
    )
    rung = ladder.rungs[0]
    store = RunStore(tmp_path / "runs.duckdb")
    elsewhere = tmp_path / "scratch"
    run_ladder(ladder, store=store, backend=InProcessBackend(), workdir=elsewhere)
    stored = store.get_run(rung.run_id)
    assert stored is not None
    assert stored.extra["training"]["workdir"] == str(elsewhere.resolve())
    # the driver died after the worker wrote its result, before recording it
    store.set_status(rung.run_id, "running")
    progress = {"run_id": rung.run_id, "step": 7, "steps": 10, "tokens": 1792,
                "train_loss": 3.0, "eval_loss": None, "tokens_per_s": 1e4, "wall_s": 1.0}  # fmt: skip
    (elsewhere / rung.run_id / "result.json").rename(elsewhere / "result.json")
    (elsewhere / rung.run_id / "progress.json").write_text(json.dumps(progress))
    assert main(["ladder", "status", "--store", str(store.path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "interrupted at step 7/10" in out  # read in the remembered folder, not <store>.wd
    assert f"work folders in {elsewhere.resolve()} (the --workdir the rungs ran with)" in out

    (elsewhere / "result.json").rename(elsewhere / rung.run_id / "result.json")
    notes = Notes()
    report = run_ladder(ladder, store=store, backend=InProcessBackend(), events=notes)
    assert [o.status for o in report.outcomes] == ["recorded"]  # not trained again
    assert notes.notes == [
        f"{rung.name}: recorded from {elsewhere.resolve() / rung.run_id}, in the --workdir it "
        f"last ran with ({elsewhere.resolve()}); new rungs' folders go in "
        f"{tmp_path / 'runs.duckdb.wd'} (--workdir to choose)"
    ]
    assert not (tmp_path / "runs.duckdb.wd" / rung.run_id).exists()
