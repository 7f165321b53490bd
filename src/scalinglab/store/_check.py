"""Checking a store file before trusting it: every data block read, so damage fails early."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scalinglab._errors import StoreError, first_line
from scalinglab._formats import format_of, kind_use, what_file
from scalinglab._looks import RUN_WORDS, is_duckdb, named_like
from scalinglab._signatures import DUCKDB, SQLITE

__all__ = [
    "CORRUPT_HINT",
    "NOT_A_STORE_HINT",
    "check_header",
    "check_intact",
    "check_new_name",
    "is_damage",
    "is_duckdb",
]

_SUMMED = ("BIGINT", "INTEGER", "DOUBLE")  # a sum reads each value; a hash costs more
NOT_A_STORE_HINT = "point --store at a scalinglab .duckdb file, or at a new path to create one"
#: The hint for a DuckDB file that cannot be read through (cut short, a block damaged).
CORRUPT_HINT = (
    "restore it from a backup, or re-create it with `scalinglab ingest`; "
    "scalinglab left the file as it was"
)

#: What DuckDB's read errors say of a file cut short or damaged (its local file system's
#: short read; its block manager's checksum check), as opposed to permissions or a full disk.
_DAMAGE_WORDS = ("could not read enough bytes", "corrupt database file", "checksum")


def is_damage(err: BaseException) -> bool:
    """Whether a DuckDB error says the file is cut short or damaged: an ``IOException``
    (DuckDB raises these as one) whose message says so; never one about permissions."""
    import duckdb

    text = str(err).lower()
    return (
        isinstance(err, duckdb.IOException)
        and "permission" not in text
        and any(word in text for word in _DAMAGE_WORDS)
    )


def check_header(path: Path) -> None:
    """Refuse a file that is neither empty (a store to create) nor a DuckDB database, by
    its first bytes, before DuckDB opens it.

    DuckDB opens a SQLite file through its ``sqlite`` extension, which it would download
    (no network: an error about a URL; with one: another program's database opened as if
    it were a store), so the file's format is checked here and not left to DuckDB.

    Raises:
        StoreError: Naming the file and what it is.
    """
    try:
        with open(path, "rb") as file:
            head = file.read(16)
    except FileNotFoundError:  # a new store
        return
    except OSError as err:
        raise StoreError(
            f"{path}: cannot read the store ({err.strerror})",
            hint="check the file's permissions, or give another path with --store",
        ) from err
    if not head or DUCKDB.found_in(head):
        return
    if SQLITE.found_in(head):
        raise StoreError(
            f"{path}: a SQLite database, not a scalinglab run store (a store is a DuckDB file)",
            hint=f"{NOT_A_STORE_HINT}; if it is an MLflow database, ingest it as the SOURCE: "
            f"scalinglab ingest {path.name} --store runs.duckdb",
        )
    seen = what_file(path)  # by its suffix alone a run store: not one (no DUCK), damaged
    if seen is not None and RUN_WORDS[1] not in seen:  # a table, a result: what reads it
        raise StoreError(f"{path}: is {seen}, not a run store (a DuckDB file)",
                         hint=_what_reads(path, seen))  # fmt: skip
    raise StoreError(
        f"{path}: not a readable run store (not a DuckDB file: no 'DUCK' at byte 8)",
        hint=f"the file is corrupt or another program's; {NOT_A_STORE_HINT}",
    )


def check_new_name(path: Path) -> None:
    """Refuse to create a run store (a DuckDB database) at a path whose name says it is
    something else: ``ladder run --store results.csv`` wrote a binary file named like a CSV
    file, which a spreadsheet, pandas or ``scalinglab fit results.csv`` then failed to read.

    Raises:
        StoreError: Naming the path, what its name says, and a ``.duckdb`` name to use.
    """
    seen = named_like(path)
    if seen is None:
        return
    stem = path.name
    while Path(stem).suffix and named_like(Path(stem)) is not None:  # runs.csv.gz -> runs
        stem = Path(stem).stem
    new = str(path.with_name(f"{stem}.duckdb"))
    raise StoreError(
        f"{path}: a run store is a DuckDB database, but this name says {seen}; created "
        "under it, the store could not be read as what its name says",
        hint=f"name the store .duckdb: --store {shlex.quote(new)} (RunStore({new!r}) in "
        "Python); "
        "`scalinglab runs --store STORE --json` prints its runs for other programs",
    )


def _what_reads(path: Path, seen: str) -> str:
    """The hint for a file given as ``--store`` that :func:`what_file` calls ``seen``: a run
    table is given as the runs (or ingested into a store), a result of scalinglab's read
    where its kind says; a store is written by ``ingest``."""
    found = format_of(path)
    if RUN_WORDS[0] in seen:
        typed = shlex.quote(str(path))
        return (
            f"give it as the runs, not with --store (scalinglab fit {typed}), or read it "
            f"into a store: scalinglab ingest {typed} --store runs.duckdb"
        )
    use = kind_use(found, reader=None) if found is not None else ""
    ingest = "a store is written by scalinglab ingest RUNS --store runs.duckdb"
    return f"{use + '; ' if use else ''}{NOT_A_STORE_HINT} ({ingest})"


def check_intact(con: Any, path: Path, tables: Sequence[str]) -> None:
    """Read every block of every table, so a damaged file fails here and not half-way.

    DuckDB verifies a block's checksum whenever it reads it, so the check is a scan that must
    read every value of every column: a sum for numbers, a hash for the rest (0.3-0.8 s over
    10M curve rows on 2 busy cores; hashing the numbers too took 0.4-1.2 s). ``max()`` is not
    such a scan: DuckDB may answer it from the column statistics, reading no data block.
    """
    import duckdb

    try:
        columns = con.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            f"WHERE table_name IN ({', '.join(repr(t) for t in tables)})"
        ).fetchall()
        for name in tables:
            reads = [
                f'sum("{column}")' if kind in _SUMMED else f'bit_xor(hash("{column}"))'
                for table, column, kind in columns
                if table == name
            ]
            reads.insert(0, "count(*)")
            con.execute(f"SELECT {', '.join(reads)} FROM {name}").fetchall()
    except duckdb.Error as err:
        raise StoreError(
            f"{path}: the run store is corrupt ({first_line(err)})", hint=CORRUPT_HINT
        ) from err
