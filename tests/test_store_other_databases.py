"""A DuckDB database given as ``--store`` that holds no run store: an empty one (no tables)
becomes a new store, said in a note, as a 0-byte file does; one holding another program's
tables, views or other objects is refused by name and left as it was."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pytest
from tests._cli import cli, refused

from scalinglab.store import RunStore, StoredRun

_TABLE = "name,params,tokens,loss\nm1,1e7,2e8,3.5\nm2,2e7,4e8,3.3\n"


def _database(path: Path, *statements: str) -> Path:
    con = duckdb.connect(str(path))
    for statement in statements:
        con.execute(statement)
    con.close()
    return path


def test_an_empty_duckdb_database_becomes_a_new_store_with_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Before: ingest refused it, hinting to ingest runs into it to start one."""
    store, table = _database(tmp_path / "empty.duckdb"), tmp_path / "runs.csv"
    table.write_text(_TABLE)
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store))
    said = f"note: {store} was an empty DuckDB database (no tables): started a new run store in it"
    assert code == 0 and said in out.splitlines(), out + err
    assert sorted(r.name for r in RunStore(store).runs()) == ["m1", "m2"]
    code, out, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0 and "empty DuckDB" not in out, out + err  # a store now


@pytest.mark.parametrize(
    ("statements", "named"),
    [
        (("CREATE TABLE sales (id INTEGER)", "INSERT INTO sales VALUES (1)"), "sales"),
        (("CREATE VIEW recent AS SELECT 1 AS id",), "recent"),  # no table: was taken over
        (("CREATE TABLE meta (k INTEGER)",), "meta"),  # was 'may be damaged; restore it'
    ],
)
def test_another_programs_database_is_refused_and_left_as_it_was(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    statements: tuple[str, ...],
    named: str,
) -> None:
    store, table = _database(tmp_path / "theirs.duckdb", *statements), tmp_path / "runs.csv"
    table.write_text(_TABLE)
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    error, hint = refused(capsys, ["ingest", str(table), "--store", str(store)])
    assert error == (
        f"error: {store}: not a scalinglab run store: a DuckDB database holding other data "
        f"({named}), which scalinglab does not write into"
    )
    assert (
        hint
        == "hint: give --store a new path (--store runs.duckdb) or a run store scalinglab wrote"
    )
    with pytest.raises(Exception, match="not a scalinglab run store"):
        RunStore(store).put_run(StoredRun(run_id="a", name="a", params=1e6, loss=3.0))
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before
