"""The ladder new-user walk's follow-ups: a store or work folder that cannot be written is
refused before anything trains (not an internal error); a rerun says the ladder's line before
the rungs it skips; ``--predict-top`` of a top rung trained unpredicted says why nothing is
predicted."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.cli import main

_NO_PROC = not Path("/proc/self").is_dir()  # a path no process may create files in


@pytest.fixture(autouse=True)
def _env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.getbasetemp() / "walk-cache"))
        mp.setenv("COLUMNS", "300")
        yield


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


@pytest.mark.skipif(_NO_PROC, reason="needs /proc, where no file can be created")
def test_a_store_in_a_folder_that_cannot_be_written_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")
    path = write_ladder(tmp_path / "l.toml", steps=(4,), corpus=make_corpus(tmp_path / "t"))
    args = ["ladder", "run", str(path), "--backend", "in-process"]
    assert main([*args, "--store", "/proc/x.duckdb"]) == 2  # was an internal error, exit 1
    err = _err(capsys)
    assert "internal error" not in err and "training" not in err
    assert "error: /proc/x.duckdb: cannot create the lock file /proc/x.duckdb.lock" in err
    assert "hint: write the store in a folder you can write to" in err

    store = tmp_path / "runs.duckdb"
    assert main([*args, "--store", str(store), "--workdir", "/proc/wd"]) == 2
    err = _err(capsys)
    assert "error: /proc/wd: cannot create the ladder's work folder" in err
    assert "hint: give --workdir a folder you can write to" in err
    assert not any(tmp_path.glob("runs.duckdb*"))  # nothing written, not even a lock


@pytest.mark.heavy
def test_a_rerun_says_the_ladder_first_and_why_the_top_rung_is_not_predicted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("torch")
    path = write_ladder(tmp_path / "l.toml", steps=(4, 5, 6, 8), corpus=make_corpus(tmp_path / "t"))
    store = tmp_path / "runs.duckdb"
    args = ["ladder", "run", str(path), "--store", str(store), "--backend", "in-process"]
    assert main(args) == 0  # trained without --predict-top
    capsys.readouterr()
    assert main([*args, "--predict-top"]) == 0
    err = capsys.readouterr().err
    assert err.index("ladder mini: 4 rungs, 0 to train, 4 finished before") < err.index("skip ")
    said = " ".join(err.split())
    assert (
        "no prediction for w40-d1: it finished in an earlier call that did not predict it, "
        "and a prediction now, after it trained, would not be one; `scalinglab backtest "
        f"--store {store} --law power-law:flops --holdout largest:1` predicts it from the rungs "
        "below" in said
    )
