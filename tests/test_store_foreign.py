"""A file that is not a DuckDB database is refused by its first bytes before DuckDB opens it:
DuckDB would open a SQLite file through an extension it downloads, and machines have no
network. The store's connections never install or load an extension."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from scalinglab import StoreError
from scalinglab.cli import main
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._schema import connect


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    return path


def test_every_command_refuses_a_sqlite_file_by_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _sqlite(tmp_path / "other.db")
    before = _digest(store)
    table = tmp_path / "runs.csv"
    table.write_text("run,params,tokens,loss\na,1e6,2e7,3.5\nb,2e6,4e7,3.2\n", encoding="utf-8")
    s = str(store)
    for args in (
        ["runs", "--store", s],
        ["fit", "--store", s, "--bootstrap", "0"],
        ["ladder", "status", "--store", s],
        ["ingest", str(table), "--store", s],
    ):
        code = main(args)
        out, err = capsys.readouterr()
        assert code == 2, (args, err)
        assert f"error: {store}: a SQLite database, not a scalinglab run store" in err, args
        assert "hint: point --store at a scalinglab .duckdb file" in err, args
        assert "extension" not in err and "Traceback" not in out + err, (args, err)
        assert _digest(store) == before, args


def test_files_of_other_formats_are_refused_and_an_empty_one_is_a_store_to_create(
    tmp_path: Path,
) -> None:
    short = tmp_path / "short.duckdb"
    short.write_bytes(b"DUCK")  # shorter than a header: the magic is not at byte 8
    parquet = tmp_path / "runs.parquet"
    parquet.write_bytes(b"PAR1" + bytes(64))
    # a file told by its bytes says what it is (a run table: give it as the runs)
    for path, said in (
        (short, "not a DuckDB file: no 'DUCK' at byte 8"),
        (parquet, r"is a Parquet file \(a run table\), not a run store \(a DuckDB file\)"),
    ):
        with pytest.raises(StoreError, match=said):
            RunStore(path).check()
        with pytest.raises(StoreError, match=said):
            RunStore(path).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    empty = tmp_path / "empty.duckdb"
    empty.write_bytes(b"")
    RunStore(empty).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    assert empty.read_bytes()[8:12] == b"DUCK"
    assert [r.run_id for r in RunStore(empty).runs()] == ["a"]


def test_store_connections_never_install_or_load_extensions(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    RunStore(path).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    query = (
        "SELECT current_setting('autoinstall_known_extensions'), "
        "current_setting('autoload_known_extensions')"
    )
    for write in (False, True):
        with connect(path, write=write) as con:
            assert con.execute(query).fetchone() == (False, False), write
