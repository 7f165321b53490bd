"""The store refuses what it cannot trust and never changes a file it only reads: corrupt,
truncated, foreign, empty and hand-edited stores are refused by every command with exit 2
and one line naming the file, byte-identical afterwards; the (run, step) key is the store's."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from scalinglab import StoreError
from scalinglab.cli import main
from scalinglab.store import SCHEMA_VERSION, RunStore, StoredRun


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _store(path: Path, runs: int = 40, points: int = 3000) -> RunStore:
    store = RunStore(path)
    items = []
    for k in range(runs):
        n = 1e6 * 1.3**k
        run = StoredRun(run_id=f"r{k}", name=f"r{k}", params=n, tokens=20 * n,
                        loss=2 + 400 * n**-0.34)  # fmt: skip
        step = np.arange(points)
        curve = {"step": step, "tokens": 1e4 * (step + 1), "train_loss": 3.0 + np.sin(step + k)}
        items.append((run, pd.DataFrame(curve)))
    store.put_runs(items)
    return store


def _zero_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid : mid + 256 * 1024] = bytes(min(256 * 1024, len(data) - mid))
    path.write_bytes(bytes(data))


def _truncate_half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _flip_bytes(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for k in range(len(data) // 3, len(data) // 3 + 4096, 97):
        data[k] ^= 0x5A
    path.write_bytes(bytes(data))


def _beta_version(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '2.0-beta' WHERE key = 'schema_version'")
    con.close()


def _no_version(path: Path) -> None:
    con = duckdb.connect(str(path))
    con.execute("DELETE FROM meta")
    con.close()


def _empty_duckdb(path: Path) -> None:
    path.unlink()
    duckdb.connect(str(path)).close()


def _commands(store: Path, tmp_path: Path, table: Path) -> list[list[str]]:
    s = str(store)
    return [
        ["runs", "--store", s],
        ["fit", "--store", s, "--bootstrap", "0"],
        ["report", "--store", s, "--out", str(tmp_path / "r.html")],
        ["ladder", "status", "--store", s],
        ["envelope", "--store", s],
        ["ingest", str(table), "--store", s],
    ]


@pytest.mark.parametrize(
    "damage",
    [_zero_middle, _truncate_half, _flip_bytes, _beta_version, _no_version, _empty_duckdb],
)
@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_every_command_refuses_a_damaged_store_and_leaves_it_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: object
) -> None:
    path = tmp_path / "s.duckdb"
    _store(path)
    damage(path)  # type: ignore[operator]
    before = _digest(path)
    table = tmp_path / "runs.csv"
    table.write_text("run,params,tokens,loss\na,1e6,2e7,3.5\nb,2e6,4e7,3.2\n", encoding="utf-8")
    commands = _commands(path, tmp_path, table)
    if damage is _empty_duckdb:
        commands = commands[:-1]  # an empty DuckDB file is a store to create for a writer
    for args in commands:
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 2, (args, err)
        assert "Traceback" not in out + err and err.startswith("error: "), (args, err)
        assert str(path) in err, (args, err)
        assert len(err.strip().splitlines()) <= 2, (args, err)  # the message and its hint
        assert _digest(path) == before, args
    assert not path.with_name("s.duckdb.tmp").exists()


def test_readers_never_create_tables_in_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    with pytest.raises(StoreError, match="empty file"):
        RunStore(empty).runs()
    assert empty.read_bytes() == b""
    RunStore(empty).check()  # a store to create: a writer may fill it
    assert empty.read_bytes() == b""


def test_a_step_logged_twice_is_stored_once_with_its_last_value(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    run = StoredRun(run_id="r", name="r", params=1e6, tokens=2e7, loss=3.0)
    curve = pd.DataFrame({"step": [1, 2, 2, 3, 1], "train_loss": [5.0, 4.0, 3.9, 3.5, 4.8]})
    store.put_run(run, curve=curve)
    got = store.curve("r")
    assert got["step"].tolist() == [1, 2, 3]
    assert got["train_loss"].tolist() == [4.8, 3.9, 3.5]  # the last value logged at each step
    frame = curve.assign(run_id="q")
    store.put_runs_frame([replace_id(run, "q")], frame)
    assert store.curve("q")["train_loss"].tolist() == [4.8, 3.9, 3.5]
    # and the key is the store's own: DuckDB refuses a second row for (run, step)
    con = duckdb.connect(str(store.path))
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO curves (run_id, step) VALUES ('r', 2)")
    con.close()


def replace_id(run: StoredRun, run_id: str) -> StoredRun:
    data = run.to_dict()
    data.update(run_id=run_id, name=run_id)
    return StoredRun.from_dict(data)


def test_a_version_1_store_is_read_as_it_is_and_keyed_on_its_next_write(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    RunStore(path).put_run(StoredRun(run_id="a", name="a", params=1e6, tokens=2e7, loss=3.0))
    con = duckdb.connect(str(path))  # make it a version-1 store: no key, a duplicate, an orphan
    con.execute("CREATE TABLE c1 AS SELECT * FROM curves")
    con.execute("DROP TABLE curves")
    con.execute("ALTER TABLE c1 RENAME TO curves")
    con.execute("DROP TABLE evals")  # version 3 added it
    con.execute("INSERT INTO curves (run_id, step, train_loss) VALUES ('a', 1, 4.0), "
                "('a', 1, 4.0), ('ghost', 1, 9.0)")  # fmt: skip
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.close()
    before = _digest(path)
    assert RunStore(path).counts()["curve_points"] == 3  # read as it is, read-only
    assert _digest(path) == before
    RunStore(path).put_run(StoredRun(run_id="b", name="b", params=2e6, tokens=4e7, loss=2.9))
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
        str(SCHEMA_VERSION),
    )
    assert con.execute("SELECT run_id, step FROM curves").fetchall() == [("a", 1)]
    con.close()


def test_a_store_behind_a_link_keeps_the_link_its_mode_and_refuses_when_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import stat

    from scalinglab.store import _atomic

    shared = tmp_path / "shared"
    shared.mkdir()
    real = shared / "real.duckdb"
    _store(real, runs=2, points=10)
    real.chmod(0o664)
    link = tmp_path / "link.duckdb"
    link.symlink_to(real)
    RunStore(link).put_run(StoredRun(run_id="extra", name="extra", loss=3.0, params=1e8))
    assert link.is_symlink() and os.readlink(link) == str(real)  # the link stays a link
    assert "extra" in {r.run_id for r in RunStore(real).runs()}  # written where it points
    assert stat.S_IMODE(real.stat().st_mode) == 0o664  # a group-shared store stays shared
    monkeypatch.setattr(_atomic.os, "access", lambda path, mode: False)  # root ignores modes
    before = _digest(real)
    with pytest.raises(StoreError, match="the store is read-only"):
        RunStore(link).put_run(StoredRun(run_id="more", name="more", loss=3.0, params=2e8))
    assert _digest(real) == before


def test_an_interrupt_during_the_final_checkpoint_is_an_interrupt(tmp_path: Path) -> None:
    """DuckDB answers Ctrl-C inside CHECKPOINT with a RuntimeError; the user pressed Ctrl-C,
    so it is a KeyboardInterrupt (exit 130), not an internal error."""
    from scalinglab.store import _atomic

    class Interrupted:
        def execute(self, sql: str) -> None:
            raise RuntimeError("Query interrupted")

        def close(self) -> None:
            raise AssertionError("not reached")

    with pytest.raises(KeyboardInterrupt):
        _atomic.replace_file(Interrupted(), tmp_path / "s.duckdb")
