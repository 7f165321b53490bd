"""Opening a store's DuckDB file safely (its tables and schema version: :mod:`._tables`).

DuckDB lets one process open a file for writing at a time, so every store operation opens
the file, does one transaction and closes it again: a ladder driver and a ``status`` or
``fit --store`` in another terminal then take turns instead of failing. Readers open the file
read-only and never create or change anything in it; writers write a copy and rename it over
the store (:mod:`scalinglab.store._atomic`).
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from scalinglab._errors import StoreError, first_line
from scalinglab.store._atomic import (
    drop_temp,
    replace_file,
    start_copy,
    store_lock,
    was_interrupted,
)
from scalinglab.store._check import (
    CORRUPT_HINT,
    NOT_A_STORE_HINT,
    check_header,
    check_intact,
    check_new_name,
    is_damage,
)
from scalinglab.store._tables import SCHEMA_VERSION, prepare, read_version, tables
from scalinglab.store._wait import ENV, LockWait, duckdb_holder

__all__ = ["check_store", "connect", "missing_store", "not_started", "write_copy"]

#: What a file that holds no run store yet, and may become one, is.
_EMPTY_FILE = "an empty file (0 bytes)"
_EMPTY_DATABASE = "an empty DuckDB database (no tables)"

# Machines may have no network, and a store needs no extension: DuckDB must neither download
# one nor load one it happens to find (it would to open a SQLite file, for one).
_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}


def _open(path: Path, *, read_only: bool) -> Any:
    import duckdb

    check_header(path)
    wait = LockWait(path, write=not read_only)
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=dict(_CONFIG))
            con.execute("SET enable_progress_bar = false")  # DuckDB draws one on long inserts
            return con
        except duckdb.IOException as err:
            text = str(err)
            # damage first: a checksum error names its "block", which holds "lock"
            if is_damage(err) or "lock" not in text.lower():
                raise _unreadable(path, err) from err
            holder = duckdb_holder(text)
            if not wait.again(holder):  # another process holds it (scalinglab: one transaction)
                raise StoreError(
                    f"{path}: the store is locked by {holder}; waited {wait.limit:g} s",
                    hint="wait for it to finish, or stop the process that holds the file; "
                    f"{ENV}=SECONDS waits longer",
                ) from err
        except duckdb.Error as err:
            raise StoreError(
                f"{path}: not a readable run store ({first_line(err)})",
                hint="the file is corrupt or not a DuckDB database; use another path",
            ) from err


def _unreadable(path: Path, err: Exception) -> StoreError:
    """The error for a file DuckDB will not open: one whose header says DuckDB (it passed
    :func:`check_header`) was cut short or damaged, as a store read through would say."""
    if path.exists() and path.stat().st_size > 0 and "permission" not in str(err).lower():
        return StoreError(
            f"{path}: the run store is corrupt ({first_line(err)})", hint=CORRUPT_HINT
        )
    return StoreError(
        f"{path}: not a readable run store ({first_line(err)})", hint=NOT_A_STORE_HINT
    )


def missing_store(path: Path) -> StoreError:
    """The error for a store to read at ``path`` that is not there, as a reader says it."""
    return StoreError(
        f"run store not found: {path} (no run store at this path)",
        hint="check the path, or create one with `scalinglab ingest` or `scalinglab ladder run`",
    )


def _refuse_missing(path: Path, *, write: bool) -> bool:
    """Whether the store file exists; a missing one refused for reading, and for writing
    where its folder is missing: unlike a result's ``save()`` or ``--out``, which make a
    missing folder, a store is created only in a folder that exists, on purpose: runs are
    added to a store over many commands, and a misspelt folder would start a second store
    beside the first, splitting its runs unseen."""
    exists = path.exists()
    if not exists and not write:
        raise missing_store(path)
    if exists and path.is_dir():
        raise StoreError(f"{path}: is a folder, not a store file", hint="give a .duckdb file path")
    if write and not exists:  # a store is created: not under a name that says a table
        check_new_name(path)
    if write and not path.parent.exists():
        raise StoreError(
            f"{path}: the folder {path.parent} does not exist; a run store is created only in "
            "a folder that exists, so that a misspelt folder starts no second store",
            hint=f"check the path; for a new store there, create the folder first (mkdir -p "
            f"{shlex.quote(str(path.parent))})",
        )
    return exists


@contextmanager
def _as_store_errors(path: Path) -> Iterator[None]:
    """DuckDB's errors while using an open store, as a StoreError that names the file; its
    answer to Ctrl-C mid-query (``Query interrupted``) as the ``KeyboardInterrupt`` it is."""
    import duckdb

    try:
        yield
    except Exception as err:
        if was_interrupted(err):  # not the store's failure: nothing of this write kept
            raise KeyboardInterrupt from err
        if isinstance(err, duckdb.Error):
            raise _store_error(path, err) from err
        raise


def _store_error(path: Path, err: Exception) -> StoreError:
    if is_damage(err):  # cut short or a block damaged: as check_intact says it
        return StoreError(
            f"{path}: the run store is corrupt ({first_line(err)})", hint=CORRUPT_HINT
        )
    return StoreError(
        f"{path}: the run store could not be read or written ({first_line(err)})",
        hint="the file may be damaged; restore it from a backup (it was left as it was)",
    )


def _settle(path: Path) -> None:
    """Fold a write-ahead log left by a killed in-place writer into the file (under the lock)."""
    if path.with_name(f"{path.name}.wal").exists():
        con = _open(path, read_only=False)
        try:
            with _as_store_errors(path):
                if read_version(con, path) is not None:
                    con.execute("CHECKPOINT")
        finally:
            con.close()


def _checked_version(con: Any, path: Path) -> int | None:
    """The schema version of the store open on ``con`` (``None``: an empty DuckDB file), its
    tables' every block checked first, as each connection to a store is opened."""
    version = read_version(con, path)
    if version is not None:
        check_intact(con, path, tables(version))
    return version


def _not_started(path: Path, what: str) -> StoreError:
    """The error for reading ``path``, an empty file: a store not started yet, as a path with
    no file is; a writer (``ingest``) starts one in it, and says so."""
    return StoreError(
        f"{path}: {what}: no run store has been started in it yet",
        hint=f"ingest runs into it to start one (scalinglab ingest RUNS --store "
        f"{shlex.quote(str(path))}), or point --store at an existing run store",
    )


@contextmanager
def _read_only(path: Path, *, allow_empty: bool) -> Iterator[Any]:
    if path.stat().st_size == 0 and not allow_empty:
        raise _not_started(path, _EMPTY_FILE)
    if path.stat().st_size == 0:
        yield None
        return
    con = _open(path, read_only=True)
    try:
        with _as_store_errors(path):
            version = _checked_version(con, path)
            if version is None and not allow_empty:
                raise _not_started(path, _EMPTY_DATABASE)
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
                version = _checked_version(con, path)
                if version != SCHEMA_VERSION:
                    prepare(con, version)
                yield con
        finally:
            con.close()


@contextmanager
def write_copy(path: Path, *, changed: Callable[[], bool] | None = None) -> Iterator[Any]:
    """A connection to a copy of the store that replaces the store if the block succeeds.

    The store is checked (version, every block) read-only before it is copied; a failure or a
    kill anywhere leaves the store file exactly as it was.

    Args:
        path: The store.
        changed: Asked after the block: ``False`` (it wrote nothing) drops the copy and
            leaves the store file untouched, its mtime and inode too, where the file exists
            at this schema version (else the copy still creates or upgrades it).
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
                    version = read_version(con, tmp)
                    if version != SCHEMA_VERSION:
                        prepare(con, version)
                    yield con
                    # an unchanged store keeps its file: readers and backups see no write
                    if version != SCHEMA_VERSION or changed is None or changed():
                        replace_file(con, path)
            finally:
                con.close()
        finally:
            drop_temp(path)


def not_started(path: Path) -> str | None:
    """What the file at ``path`` is where it holds no run store yet and a writer starts one
    in it (``an empty file (0 bytes)``, ``an empty DuckDB database (no tables)``); ``None``
    for no file or a store. A file that is neither (corrupt, foreign, newer) is refused.

    Raises:
        StoreError: As :func:`check_store` does.
    """
    if not _refuse_missing(path, write=True):
        return None
    if path.stat().st_size == 0:
        return _EMPTY_FILE
    con = _open(path, read_only=True)  # its tables named, not read: the write checks them
    try:
        with _as_store_errors(path):
            return _EMPTY_DATABASE if read_version(con, path) is None else None
    finally:
        con.close()


def check_store(path: Path) -> None:
    """Refuse a corrupt, foreign, locked or newer store before a long read of a source; a
    missing or empty file (a store to create) passes."""
    if _refuse_missing(path, write=True):
        with _read_only(path, allow_empty=True):
            pass
