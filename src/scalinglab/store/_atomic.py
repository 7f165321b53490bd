"""Writing a store so that ``kill -9`` at any moment leaves all of a write or none of it.

A write never touches the store file itself: it copies the file, writes the copy, checkpoints
and closes it (so no write-ahead log is left), flushes it to disk and renames it over the
store. A rename within one folder is atomic, so a reader, a crash or a kill sees either the
old file or the new one, never a half-committed batch (a kill inside DuckDB's own commit of a
large batch was seen to keep the curves and lose the runs). Writers take an exclusive lock on
a ``<store>.lock`` file beside the store, so two writers take turns and neither renames over
the other's work.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scalinglab._errors import StoreError
from scalinglab.store._wait import ENV, LockWait

__all__ = [
    "check_lock",
    "real_path",
    "replace_file",
    "store_lock",
    "temp_path",
    "was_interrupted",
]


def real_path(path: Path) -> Path:
    """The file a write replaces: a store given by a symbolic link is written where the link
    points, so the link (and the store others reach through it) stays."""
    return Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)


def temp_path(path: Path) -> Path:
    """Where a write builds the new store before renaming it over ``path``."""
    path = real_path(path)
    return path.with_name(f"{path.name}.tmp")


@contextlib.contextmanager
def store_lock(path: Path) -> Iterator[None]:
    """Hold the store's writer lock: one writer at a time, across processes; a writer
    waits its turn (:class:`~scalinglab.store._wait.LockWait`), saying so on stderr."""
    try:
        import fcntl
    except ImportError:  # no advisory locks (Windows): DuckDB's own file lock still holds
        yield
        return
    path = real_path(path)
    lock = path.with_name(f"{path.name}.lock")
    wait = LockWait(lock, write=True)
    fd = _open_lock(path, lock)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait.again("another process"):
                    raise StoreError(
                        f"{path}: another process has held the store's writer lock ({lock}) "
                        f"for {wait.limit:g} s",
                        hint="wait for that write (an ingest, a ladder) to finish, or stop it, "
                        f"and run again; {ENV}=SECONDS waits longer",
                    ) from None
                continue
            if _is_lock(fd, lock):
                break
            # its holder removed it (a failed write of a new store): take the lock file anew
            os.close(fd)
            fd = _open_lock(path, lock)
        try:
            yield
        finally:
            if not path.exists():  # a new store whose write failed: leave no stray lock
                with contextlib.suppress(OSError):
                    os.unlink(lock)  # while held: a writer waiting on it opens it again
    finally:
        os.close(fd)  # closing releases the lock, also when the process is killed


def check_lock(path: Path) -> Path:
    """Refuse a store whose writer lock cannot be created (a folder that cannot be written),
    before a long job would first write it; the lock file is left, as every write leaves it.

    Returns:
        The lock file.

    Raises:
        StoreError: Naming the store, the lock file and why.
    """
    path = real_path(path)
    lock = path.with_name(f"{path.name}.lock")
    os.close(_open_lock(path, lock))
    return lock


def _open_lock(path: Path, lock: Path) -> int:
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise StoreError(
            f"{path}: cannot create the lock file {lock} ({err.strerror})",
            hint="write the store in a folder you can write to",
        ) from err


def _is_lock(fd: int, lock: Path) -> bool:
    """Whether ``fd`` is still the file at ``lock`` (not one removed since it was opened)."""
    try:
        return os.path.samestat(os.fstat(fd), os.stat(lock))
    except FileNotFoundError:
        return False


def drop_temp(path: Path) -> None:
    """Remove a half-built copy (and its log) left by a killed writer."""
    tmp = temp_path(path)
    for leftover in (tmp, tmp.with_name(f"{tmp.name}.wal")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def start_copy(path: Path) -> Path:
    """A fresh copy of the store (or no file, for a new store) to write into."""
    path = real_path(path)
    drop_temp(path)
    tmp = temp_path(path)
    if path.exists():
        if not os.access(path, os.W_OK):
            raise StoreError(
                f"{path}: the store is read-only",
                hint="make it writable (chmod u+w), or write to a copy with --store",
            )
        if path.stat().st_size == 0:  # a store to create: DuckDB refuses an empty file
            return tmp
        try:
            shutil.copyfile(path, tmp)
            _keep_mode(path, tmp)
        except OSError as err:
            drop_temp(path)
            raise StoreError(
                f"{path}: cannot copy the store to write it ({err.strerror})",
                hint="free disk space beside the store: a write needs room for one copy",
            ) from err
    return tmp


def replace_file(con: Any, path: Path) -> None:
    """Checkpoint and close the copy's connection, flush it to disk and rename it over ``path``."""
    path = real_path(path)
    tmp = temp_path(path)
    try:
        con.execute("CHECKPOINT")
    except Exception as err:  # DuckDB's own answer to Ctrl-C mid-checkpoint
        if was_interrupted(err):
            raise KeyboardInterrupt from err
        raise
    con.close()
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)
    try:
        folder = os.open(path.parent, os.O_RDONLY)
    except OSError:  # some file systems do not open folders; the rename is done either way
        return
    try:
        os.fsync(folder)
    except OSError:
        pass
    finally:
        os.close(folder)


def was_interrupted(err: BaseException) -> bool:
    """Whether ``err`` is DuckDB's answer to Ctrl-C in a query (``Query interrupted``: a
    ``RuntimeError``, or its ``InterruptException``), not a failure of the store."""
    return type(err).__name__ == "InterruptException" or (
        isinstance(err, RuntimeError) and "interrupted" in str(err).lower()
    )


def _keep_mode(path: Path, tmp: Path) -> None:
    """The copy takes the store's permission bits and, where allowed, its group: a
    group-shared store stays shared after the rename."""
    st = path.stat()
    os.chmod(tmp, st.st_mode & 0o7777)
    with contextlib.suppress(OSError):  # changing the group needs membership of it
        os.chown(tmp, -1, st.st_gid)
