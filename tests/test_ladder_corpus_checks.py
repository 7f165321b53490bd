"""``ladder plan`` and ``ladder run`` refuse, before any worker, a corpus that is not there or
too small for one window: one check (``check_corpora``), where the plan said nothing and a
too-small corpus was found only inside a worker (a ``failed`` run in the store). The plan,
and a run submitted to a cluster, check it from file sizes: nothing prepared or cached."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.cli import main
from scalinglab.execute._workdirs import check_corpora
from scalinglab.ladder import get_recipe, load_corpus
from scalinglab.ladder._corpus import corpus_size_bound


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
    # corpus is a ladder-wide key: the file and the key are named, not the first rung
    assert f"{path}: corpus = '{tmp_path / 'nothere.txt'}' does not exist" in err
    assert "rung 'w16-d1'" not in err


def test_a_relative_corpus_is_named_as_written_and_a_close_file_is_suggested(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "books.txt").write_text("text\n")
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=tmp_path / "x")
    path.write_text(path.read_text().replace(f'corpus = "{tmp_path / "x"}"', 'corpus = "boks.txt"'))
    assert main(["ladder", "plan", str(path)]) == 2
    err = _err(capsys)
    assert (
        f"{path}: corpus = 'boks.txt' does not exist (read relative to the file: "
        f"{tmp_path / 'boks.txt'})" in err
    )
    assert "hint: did you mean 'books.txt'?" in err


@pytest.mark.parametrize(
    ("command", "most"),
    [
        (["plan"], "at most "),
        (["run", "--gpus", "none"], ""),
        (["run", "--backend", "ray"], "at most "),
    ],
)
def test_a_corpus_too_small_for_one_window_is_refused_before_training(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], most: str
) -> None:
    small = tmp_path / "small.txt"
    small.write_text("hello world\n")
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=small)
    store = tmp_path / "s.duckdb"
    extra = ["--store", str(store)] if command[0] == "run" else []
    assert main(["ladder", command[0], str(path), *command[1:], *extra]) == 2
    err = _err(capsys)
    assert (
        "rung 'w16-d1': corpus" in err
        and "small.txt' is too small for one window of 33 tokens (context 32): "
        f"{most}12 training and {most}2 held-out tokens"
        in err
    )
    assert "hint: use a larger corpus" in err
    assert not store.exists()  # no failed run recorded, nothing written
    # prepared (and cached) only where the rungs train on this machine
    assert (tmp_path / "cache").exists() == (most == "")


def test_plan_prepares_and_caches_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    assert main(["ladder", "plan", str(path)]) == 0
    assert "w24-d1" in capsys.readouterr().out
    assert not (tmp_path / "cache").exists()


def test_the_size_bound_is_the_prepared_size_for_text(tmp_path: Path) -> None:
    folder = make_corpus(tmp_path / "t")  # several documents, the last one held out
    one = tmp_path / "one.txt"  # one document: its last 1% held out
    one.write_text("a line of text\n" * 700)
    for corpus in (folder, one):
        prepared = load_corpus(str(corpus))
        assert corpus_size_bound(str(corpus)) == (prepared.train_size, prepared.eval_size)


def test_check_corpora_prepares_only_when_asked(tmp_path: Path) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10,), corpus=make_corpus(tmp_path / "t"))
    ladder = get_recipe(str(path))
    check_corpora(ladder)
    assert not (tmp_path / "cache").exists()
    check_corpora(ladder, prepare=True)
    assert any((tmp_path / "cache" / "corpus").iterdir())
