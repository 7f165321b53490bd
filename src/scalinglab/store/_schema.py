"""The store's tables, its schema version, and opening a DuckDB file safely.

DuckDB lets one process open a file for writing at a time, so every store operation opens
the file, does one transaction and closes it again: a ladder driver and a ``status`` or
``fit --store`` in another terminal then take turns instead of failing. Readers open the file
read-only and never create or change anything in it; writers write a copy and rename it over
the store (:mod:`scalinglab.store._atomic`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scalinglab._errors import StoreError
from scalinglab.store._atomic import drop_temp, replace_file, start_copy, store_lock
from scalinglab.store._check import check_intact, first_line

__all__ = [
    "SCHEMA_VERSION",
    "add_curves_key",
    "check_store",
    "connect",
    "create_curves",
    "write_copy",
]

#: Version of the tables below; a store written by a newer scalinglab is refused, not guessed at.
#: Version 2 made ``(run_id, step)`` the curves table's primary key; version 3 added the
#: evaluations (``evals``), keyed by ``(run_id, task, metric)``.
SCHEMA_VERSION = 3

_RUNS = """CREATE TABLE runs (
    run_id VARCHAR PRIMARY KEY,
    name VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    params DOUBLE,
    params_non_embedding DOUBLE,
    flops DOUBLE,
    flops_6nd DOUBLE,
    tokens DOUBLE,
    loss DOUBLE,
    train_loss DOUBLE,
    wall_s DOUBLE,
    tokens_per_s DOUBLE,
    mfu DOUBLE,
    hardware VARCHAR,
    corpus VARCHAR,
    corpus_hash VARCHAR,
    config JSON,
    software JSON,
    extra JSON,
    source VARCHAR,
    source_run_id VARCHAR,
    content_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
)"""
# The key is the store's, not a convention: a (run, step) point exists once or not at all.
_CURVES = """CREATE TABLE {name} (
    run_id VARCHAR NOT NULL,
    step BIGINT NOT NULL,
    tokens DOUBLE,
    lr DOUBLE,
    train_loss DOUBLE,
    eval_loss DOUBLE{key}
)"""
# One score per (run, task, metric): a re-ingest replaces it, never adds a second row.
_EVALS = """CREATE TABLE evals (
    run_id VARCHAR NOT NULL,
    task VARCHAR NOT NULL,
    metric VARCHAR NOT NULL,
    value DOUBLE NOT NULL,
    PRIMARY KEY (run_id, task, metric)
)"""
_CURVES_KEY = "PRIMARY KEY (run_id, step)"
_META = "CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)"
_TABLE_NAMES = ("meta", "runs", "curves", "evals")


def _tables(version: int) -> tuple[str, ...]:
    """The tables a store of schema ``version`` has (an older store lacks the newer ones;
    a reader never adds them, the next write does)."""
    return _TABLE_NAMES if version >= 3 else _TABLE_NAMES[:3]


_LOCK_WAIT_S = 30.0
_NOT_A_STORE_HINT = "point --store at a scalinglab .duckdb file, or at a new path to create one"


def _open(path: Path, *, read_only: bool) -> Any:
    import duckdb

    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            con.execute("SET enable_progress_bar = false")  # DuckDB draws one on long inserts
            return con
        except duckdb.IOException as err:
            text = str(err)
            if "lock" in text.lower() and time.monotonic() < deadline:
                time.sleep(0.05)  # another scalinglab process holds it for one transaction
                continue
            if "lock" in text.lower():
                raise StoreError(
                    f"{path}: the store is locked by another process",
                    hint="wait for it to finish, or stop the process that holds the file",
                ) from err
            raise StoreError(
                f"{path}: not a readable run store ({first_line(err)})", hint=_NOT_A_STORE_HINT
            ) from err
        except duckdb.Error as err:
            raise StoreError(
                f"{path}: not a readable run store ({first_line(err)})",
                hint="the file is corrupt or not a DuckDB database; use another path",
            ) from err


def _version(con: Any, path: Path) -> int | None:
    """The store's schema version, ``None`` for an empty DuckDB file; refuse anything else."""
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" not in present:
        if present:
            raise StoreError(
                f"{path}: a DuckDB file, but not a scalinglab run store (tables: "
                f"{', '.join(sorted(present))})",
                hint="use a new path for the store",
            )
        return None
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    text = str(row[0]).strip() if row else "(none)"
    if not text.isdigit():
        raise StoreError(
            f"{path}: the store's schema version {text!r} is not one scalinglab wrote",
            hint="the meta table was edited by hand; restore the store from a backup",
        )
    version = int(text)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}; this scalinglab reads up to "
            f"{SCHEMA_VERSION}",
            hint="upgrade scalinglab (pip install -U scalinglab) to read this store",
        )
    missing = [name for name in _tables(version) if name not in present]
    if missing:
        raise StoreError(
            f"{path}: a run store without its {', '.join(missing)} table(s)",
            hint="the store was edited by hand; restore it from a backup",
        )
    return version


def create_curves(con: Any, name: str, *, keyed: bool) -> None:
    """Create a curves table; without its key for a bulk load that adds it afterwards."""
    con.execute(_CURVES.format(name=name, key=f",\n    {_CURVES_KEY}" if keyed else ""))


def add_curves_key(con: Any, name: str) -> None:
    """Key a bulk-loaded curves table on ``(run_id, step)``, refusing a point stored twice.

    DuckDB builds the key's index in one pass over the rows here, which at 10M rows is about
    twice as fast as maintaining it row by row during the inserts.
    """
    con.execute(f"ALTER TABLE {name} ADD {_CURVES_KEY}")


def _prepare(con: Any, version: int | None) -> None:
    """Create the tables in a new store, or bring an older one up to this version."""
    con.execute("BEGIN TRANSACTION")
    if version is None:
        con.execute(_META)
        con.execute(_RUNS)
        create_curves(con, "curves", keyed=True)
        con.execute(_EVALS)
        con.execute(
            "INSERT INTO meta VALUES ('schema_version', ?), ('created_by', ?)",
            [str(SCHEMA_VERSION), "scalinglab"],
        )
        con.execute("COMMIT")
        return
    if version < 2:
        # version 1 had no key on curves: keep one row per (run, step), and no orphan rows
        create_curves(con, "curves_v2", keyed=False)
        con.execute(
            "INSERT INTO curves_v2 SELECT c.run_id, c.step, any_value(c.tokens), "
            "any_value(c.lr), any_value(c.train_loss), any_value(c.eval_loss) FROM curves c "
            "SEMI JOIN runs r ON c.run_id = r.run_id GROUP BY c.run_id, c.step"
        )
        con.execute("DROP TABLE curves")
        con.execute("ALTER TABLE curves_v2 RENAME TO curves")
        add_curves_key(con, "curves")
    if version < 3:
        con.execute(_EVALS)
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)])
    con.execute("COMMIT")


def _refuse_missing(path: Path, *, write: bool) -> bool:
    exists = path.exists()
    if not exists and not write:
        raise StoreError(
            f"run store not found: {path} (no run store at this path)",
            hint="check the path, or create one with `scalinglab ingest` or `scalinglab ladder run`",
        )
    if exists and path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file", hint="give a .duckdb file path")
    if write and not path.parent.exists():
        raise StoreError(
            f"{path}: the folder {path.parent} does not exist", hint="create it first"
        )
    return exists


@contextmanager
def _as_store_errors(path: Path) -> Iterator[None]:
    """DuckDB's errors while using an open store, as a StoreError that names the file."""
    import duckdb

    try:
        yield
    except duckdb.Error as err:
        raise StoreError(
            f"{path}: the run store could not be read or written ({first_line(err)})",
            hint="the file may be damaged; restore it from a backup (it was left as it was)",
        ) from err


def _settle(path: Path) -> None:
    """Fold a write-ahead log left by a killed in-place writer into the file (under the lock)."""
    if path.with_name(f"{path.name}.wal").exists():
        con = _open(path, read_only=False)
        try:
            with _as_store_errors(path):
                if _version(con, path) is not None:
                    con.execute("CHECKPOINT")
        finally:
            con.close()


@contextmanager
def _read_only(path: Path, *, allow_empty: bool) -> Iterator[Any]:
    if path.stat().st_size == 0 and not allow_empty:
        raise StoreError(f"{path}: an empty file, not a scalinglab run store", hint=_NOT_A_STORE_HINT)
    if path.stat().st_size == 0:
        yield None
        return
    con = _open(path, read_only=True)
    try:
        with _as_store_errors(path):
            version = _version(con, path)
            if version is not None:
                check_intact(con, path, _tables(version))
            elif not allow_empty:
                raise StoreError(
                    f"{path}: an empty DuckDB file, not a scalinglab run store",
                    hint=_NOT_A_STORE_HINT,
                )
            yield con
    finally:
        con.close()


@contextmanager
def connect(path: Path, *, write: bool) -> Iterator[Any]:
    """A DuckDB connection to the store at ``path``, closed on exit.

    Reading opens the file read-only, refuses a file that is not a store (an empty DuckDB
    file included) and checks every block first. Writing (small in-place updates) holds the
    writer lock and creates the file and its tables on first use; bulk writes use
    :func:`write_copy`.

    Raises:
        StoreError: If the file is missing (reading), corrupt, locked, not a store, or newer.
    """
    _refuse_missing(path, write=write)
    if not write:
        with _read_only(path, allow_empty=False) as con:
            yield con
        return
    with store_lock(path):
        con = _open(path, read_only=False)
        try:
            with _as_store_errors(path):
                version = _version(con, path)
                if version is not None:
                    check_intact(con, path, _tables(version))
                if version != SCHEMA_VERSION:
                    _prepare(con, version)
                yield con
        finally:
            con.close()


@contextmanager
def write_copy(path: Path) -> Iterator[Any]:
    """A connection to a copy of the store that replaces the store if the block succeeds.

    The store is checked (version, every block) read-only before it is copied; a failure or a
    kill anywhere leaves the store file exactly as it was.
    """
    exists = _refuse_missing(path, write=True)
    with store_lock(path):
        if exists:
            _settle(path)
            with _read_only(path, allow_empty=True):
                pass  # checked (and closed) before it is copied
        tmp = start_copy(path)
        try:
            con = _open(tmp, read_only=False)
            try:
                with _as_store_errors(path):
                    version = _version(con, tmp)
                    if version != SCHEMA_VERSION:
                        _prepare(con, version)
                    yield con
                    replace_file(con, path)
            finally:
                con.close()
        finally:
            drop_temp(path)


def check_store(path: Path) -> None:
    """Refuse a corrupt, foreign, locked or newer store before a long read of a source; a
    missing or empty file (a store to create) passes."""
    if _refuse_missing(path, write=True):
        with _read_only(path, allow_empty=True):
            pass
