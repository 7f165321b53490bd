"""A store another process holds: one line on stderr as the wait starts, the command goes on
when the lock is let go, and a timeout (SCALINGLAB_LOCK_WAIT_S, short here) ends in a message
naming the file and a hint, with the store as it was."""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from scalinglab import ConfigError, StoreError
from scalinglab.cli import main
from scalinglab.store import RunStore, StoredRun

_WAITING = "waiting for the lock on"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store(tmp_path: Path) -> RunStore:
    store = RunStore(tmp_path / "s.duckdb")
    store.put_run(StoredRun(run_id="a", name="a", params=1e6, tokens=2e7, loss=3.5))
    return store


@contextmanager
def _writer_lock(store: Path) -> Iterator[int]:
    """Hold ``<store>.lock`` as another writer would (flock locks per open file, so a
    second descriptor in this process conflicts like another process)."""
    fd = os.open(store.with_name(f"{store.name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield fd
    finally:
        os.close(fd)


def test_a_writer_says_it_waits_then_gives_up_with_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    table = tmp_path / "runs.csv"
    table.write_text("run,params,tokens,loss\nb,2e6,4e7,3.2\n", encoding="utf-8")
    before = _digest(store.path)
    monkeypatch.setenv("SCALINGLAB_LOCK_WAIT_S", "0.4")
    with _writer_lock(store.path):
        code = main(["ingest", str(table), "--store", str(store.path)])
    _, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2 and len(lines) == 3, err
    assert lines[0].startswith(f"{_WAITING} {store.path}.lock held by another process")
    assert lines[1] == (
        f"error: {store.path}: another process has held the store's writer lock "
        f"({store.path}.lock) for 0.4 s"
    )
    assert lines[2].startswith("hint: wait for that write") and "SCALINGLAB_LOCK_WAIT_S" in err
    assert _digest(store.path) == before


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_a_writer_goes_on_when_the_lock_is_let_go(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    monkeypatch.setenv("SCALINGLAB_LOCK_WAIT_S", "20")
    with _writer_lock(store.path) as fd:
        threading.Timer(0.6, fcntl.flock, [fd, fcntl.LOCK_UN]).start()  # the other writer ends
        store.put_run(StoredRun(run_id="b", name="b", params=2e6, tokens=4e7, loss=3.2))
    assert sorted(r.run_id for r in store.runs()) == ["a", "b"]
    assert capsys.readouterr().err.count(_WAITING) == 1  # one line, not one per try


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_a_reader_names_the_process_that_holds_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = _store(tmp_path)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
         "print('open', flush=True); sys.stdin.read()", str(store.path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        monkeypatch.setenv("SCALINGLAB_LOCK_WAIT_S", "0.4")
        for args in (["runs"], ["fit", "--bootstrap", "0"]):
            code = main([*args, "--store", str(store.path)])
            _, err = capsys.readouterr()
            lines = err.strip().splitlines()
            assert code == 2 and len(lines) == 3, err
            who = f"process {holder.pid} ("
            assert lines[0].startswith(f"{_WAITING} {store.path} held by {who}"), err
            assert lines[1].startswith(f"error: {store.path}: the store is locked by {who}")
            assert lines[2].startswith("hint: wait for it to finish, or stop the process")
    finally:
        holder.communicate("")  # closes its stdin: it exits


def test_the_wait_is_a_number_of_seconds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(tmp_path)
    monkeypatch.setenv("SCALINGLAB_LOCK_WAIT_S", "soon")
    refused = pytest.raises(ConfigError, match="SCALINGLAB_LOCK_WAIT_S='soon' is not a number")
    with refused, _writer_lock(store.path):
        store.put_run(StoredRun(run_id="b", name="b", params=2e6, loss=3.2))
    monkeypatch.setenv("SCALINGLAB_LOCK_WAIT_S", "0")
    with pytest.raises(StoreError, match="writer lock"), _writer_lock(store.path):
        store.put_run(StoredRun(run_id="b", name="b", params=2e6, loss=3.2))
