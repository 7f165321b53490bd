"""The store's tables, its schema version, and opening a DuckDB file safely.

DuckDB lets one process open a file for writing at a time, so every store operation opens
the file, does one transaction and closes it again: a ladder driver and a ``status`` or
``fit --store`` in another terminal then take turns instead of failing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scalinglab._errors import StoreError

__all__ = ["SCHEMA_VERSION", "connect"]

#: Version of the tables below; a store written by a newer scalinglab is refused, not guessed at.
SCHEMA_VERSION = 1

_TABLES = (
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """CREATE TABLE IF NOT EXISTS runs (
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
    )""",
    # No index on curves: DuckDB's zone maps serve per-run reads, and 10M-row inserts stay fast.
    """CREATE TABLE IF NOT EXISTS curves (
        run_id VARCHAR NOT NULL,
        step BIGINT NOT NULL,
        tokens DOUBLE,
        lr DOUBLE,
        train_loss DOUBLE,
        eval_loss DOUBLE
    )""",
)

_LOCK_WAIT_S = 30.0


def _open(path: Path, *, read_only: bool) -> Any:
    import duckdb

    deadline = time.monotonic() + _LOCK_WAIT_S
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
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
                f"{path}: not a readable run store ({text.splitlines()[0]})",
                hint="point --store at a scalinglab .duckdb file, or at a new path to create one",
            ) from err
        except duckdb.Error as err:
            raise StoreError(
                f"{path}: not a readable run store ({str(err).splitlines()[0]})",
                hint="the file is corrupt or not a DuckDB database; use another path",
            ) from err


def _check_version(con: Any, path: Path) -> bool:
    """Refuse what is not a store of a version we read; return whether the tables exist."""
    tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "meta" not in tables:
        if tables:
            raise StoreError(
                f"{path}: a DuckDB file, but not a scalinglab run store (tables: "
                f"{', '.join(sorted(tables))})",
                hint="use a new path for the store",
            )
        return False
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}; this scalinglab reads up to "
            f"{SCHEMA_VERSION}",
            hint="upgrade scalinglab (pip install -U scalinglab) to read this store",
        )
    return True


@contextmanager
def connect(path: Path, *, write: bool) -> Iterator[Any]:
    """A DuckDB connection to the store at ``path``, closed on exit.

    Writing creates the file and its tables on first use; reading a missing file is an error.

    Raises:
        StoreError: If the file is missing (reading), corrupt, locked, not a store, or newer.
    """
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
    # A reader opens read-write too when the file is new to nobody: DuckDB refuses a read-only
    # connection while a writer holds the file, and both wait on the same lock either way.
    con = _open(path, read_only=False)
    try:
        con.execute("SET enable_progress_bar = false")  # DuckDB draws one on long inserts
        if not _check_version(con, path):
            con.execute("BEGIN TRANSACTION")
            for ddl in _TABLES:
                con.execute(ddl)
            con.execute(
                "INSERT INTO meta VALUES ('schema_version', ?), ('created_by', ?)",
                [str(SCHEMA_VERSION), "scalinglab"],
            )
            con.execute("COMMIT")
        yield con
    finally:
        con.close()
