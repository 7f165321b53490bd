"""What a new user's first ingests ran into: options named as the command line writes them, no
stray files beside a store a failed ingest never created, hints that name what applies to
an ingest, and exports given in the wrong place said to be what they are."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.store._atomic import store_lock


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, " ".join(err.split())


def _table(path: Path, rows: list[tuple[float, float, float]]) -> Path:
    path.write_text(
        "params,tokens,loss\n" + "".join(f"{n:g},{d:g},{loss:g}\n" for n, d, loss in rows)
    )
    return path


def test_a_bad_on_conflict_names_the_option_and_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = _table(tmp_path / "runs.csv", [(1e7, 2e8, 4.0), (2e7, 4e8, 3.6)])
    store = tmp_path / "new.duckdb"
    code, _, err = _cli(
        capsys, "ingest", str(table), "--store", str(store), "--on-conflict", "skip"
    )
    assert code == 2
    assert "error: --on-conflict skip (on_conflict='skip' in Python): a stored run" in err
    assert "hint: --on-conflict replace (the default) or --on-conflict keep" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["runs.csv"]


def test_a_failed_write_to_a_new_store_leaves_no_lock_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Evaluations of models the store does not hold fail inside the write: nothing is
    created beside the store path, where a ``.lock`` was left before."""
    results = tmp_path / "lm" / "results_2024.json"
    results.parent.mkdir()
    results.write_text(
        '{"results": {"hellaswag": {"acc,none": 0.3}}, "config": {"model": "hf", '
        '"model_args": "pretrained=org/tiny-10m"}, "versions": {"hellaswag": 1}}'
    )
    store = tmp_path / "fresh.duckdb"
    code, _, err = _cli(capsys, "ingest", str(results.parent), "--store", str(store))
    assert code == 2 and "are not runs of the store" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lm"]
    # an existing store keeps its lock file (removing it under a writer would race)
    table = _table(tmp_path / "runs.csv", [(1e7, 2e8, 4.0)])
    assert _cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    assert (tmp_path / "fresh.duckdb.lock").exists()


def test_a_writer_waiting_on_a_removed_lock_file_takes_a_fresh_one(tmp_path: Path) -> None:
    """The first writer of a new store fails and removes the lock file it held; a writer
    that was waiting on that file must not go on holding a lock nobody else can see."""
    store = tmp_path / "s.duckdb"
    held, second_in = threading.Event(), threading.Event()
    inside: list[bool] = []

    def second() -> None:
        held.wait()
        with store_lock(store):
            second_in.set()
            # the lock file it holds is the one a third writer would open
            inside.append((tmp_path / "s.duckdb.lock").exists())
            store.write_bytes(b"")  # a store now exists: its lock file stays

    thread = threading.Thread(target=second)
    thread.start()

    def first() -> None:
        with store_lock(store):
            held.set()
            time.sleep(0.3)  # the second writer is waiting on this lock file now
            raise RuntimeError("the write failed")

    with pytest.raises(RuntimeError, match="the write failed"):
        first()
    thread.join(timeout=30)
    assert second_in.is_set() and inside == [True]
    assert (tmp_path / "s.duckdb.lock").exists()
