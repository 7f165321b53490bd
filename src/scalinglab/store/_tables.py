"""The store's tables and their schema version: creating them in a new store, reading the
version of an existing one (refusing a foreign or newer file by name), and bringing an older
store up to this version."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scalinglab._errors import StoreError
from scalinglab._extras import UPGRADE
from scalinglab._format import noun_for

__all__ = [
    "SCHEMA_VERSION",
    "add_curves_key",
    "create_curves",
    "prepare",
    "read_version",
    "tables",
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


def tables(version: int) -> tuple[str, ...]:
    """The tables a store of schema ``version`` has (an older store lacks the newer ones;
    a reader never adds them, the next write does)."""
    return _TABLE_NAMES if version >= 3 else _TABLE_NAMES[:3]


#: A user's objects besides tables: views, sequences, types and macros are someone's too.
_OTHER_OBJECTS = (
    "SELECT view_name FROM duckdb_views() WHERE NOT internal",
    "SELECT sequence_name FROM duckdb_sequences()",
    "SELECT type_name FROM duckdb_types() WHERE NOT internal",
    "SELECT function_name FROM duckdb_functions() WHERE NOT internal",
)


def _foreign(path: Path, names: set[str]) -> StoreError:
    """The refusal of a DuckDB database that holds ``names`` and no run store: another
    program's data, which a write (a copy renamed over it) would take over."""
    return StoreError(
        f"{path}: not a scalinglab run store: a DuckDB database holding other data "
        f"({', '.join(sorted(names))}), which scalinglab does not write into",
        hint="give --store a new path (--store runs.duckdb) or a run store scalinglab wrote",
    )


def read_version(con: Any, path: Path) -> int | None:
    """The store's schema version, ``None`` for an empty DuckDB database (no tables, views
    or other objects: a store to start); refuse anything else, another program's database
    by name."""
    present = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    keys = {row[0] for row in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE table_name = 'meta'").fetchall()}  # fmt: skip
    # a meta table not of scalinglab's shape, beside none of its tables: someone else's
    theirs = not present & set(_TABLE_NAMES[1:]) and keys != {"key", "value"}
    if "meta" not in present or theirs:
        others = {str(row[0]) for query in _OTHER_OBJECTS for row in con.execute(query).fetchall()}
        if present or others:
            raise _foreign(path, present | others)
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
            hint=f"{UPGRADE} to read this store",
        )
    missing = [name for name in tables(version) if name not in present]
    if missing:
        raise StoreError(
            f"{path}: a run store without its {', '.join(missing)} {noun_for(len(missing), 'table')}",
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


def prepare(con: Any, version: int | None) -> None:
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
