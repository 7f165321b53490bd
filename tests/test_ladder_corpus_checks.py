"""``ladder plan`` and ``ladder run`` refuse, before any worker, a corpus that is not there or
too small for one window: one check (``check_corpora``), where the plan said nothing and a
too-small corpus was found only inside a worker (a ``failed`` run in the store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ladders import write_ladder

from scalinglab.cli import main


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCALINGLAB_CACHE", str(tmp_path / "cache"))


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


def test_plan_refuses_a_corpus_that_is_not_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=tmp_path / "nothere.txt")
    assert main(["ladder", "plan", str(path)]) == 2
    err = _err(capsys)
    assert "rung 'w16-d1': corpus" in err and "nothere.txt' does not exist" in err


@pytest.mark.parametrize("command", ["plan", "run"])
def test_a_corpus_too_small_for_one_window_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    small = tmp_path / "small.txt"
    small.write_text("hello world\n")
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=small)
    store = tmp_path / "s.duckdb"
    extra = ["--store", str(store), "--gpus", "none"] if command == "run" else []
    assert main(["ladder", command, str(path), *extra]) == 2
    err = _err(capsys)
    assert (
        "rung 'w16-d1': corpus" in err
        and "small.txt' is too small for one window of 33 tokens (context 32): 12 training "
        "and 2 held-out tokens"
        in err
    )
    assert "hint: use a larger corpus" in err
    assert not store.exists()  # no failed run recorded, nothing written
