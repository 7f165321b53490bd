"""Atomic file writes: a reader, Ctrl-C, a full disk or a process killed mid-write never
leaves half a file.

The bytes go to a temporary file beside the target, then are renamed over it (``os.replace``
is atomic on POSIX and Windows): the target holds its old contents or the new ones, and a
write that fails (``No space left on device``) or is interrupted leaves it as it was and no
temporary file behind. Every file scalinglab writes goes through :func:`atomic_write`: a
result's ``save()``, a report, a figure, the command line's ``--out``, a ladder's
checkpoints (a run store has its own copy-and-rename: :mod:`scalinglab.store._atomic`).

Three targets are written in place, as ``open(path, "w")`` writes them: a file that is no
regular file (``/dev/stdout``, ``/dev/full``, a named pipe), where no rename can go; a
symbolic link's target (the link stays a link); and an existing file in a folder that cannot
be written (no temporary file can go beside it), which an in-place write can still replace.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write"]

Data = bytes | Callable[[BinaryIO], object]
#: Where a path names a process's open file (``/dev/stdout`` links to ``/proc/self/fd/1``).
_DESCRIPTORS = ("/proc/", "/dev/fd/")
_MAX_LINKS = 40  # as the kernel's own limit on links followed


def atomic_write(path: str | os.PathLike[str], data: Data, *, durable: bool = True) -> None:
    """Write ``data`` (bytes, or a function writing to a binary file) to ``path`` atomically.

    With ``durable`` the file is fsync'ed first and its folder after, so the rename
    survives a power cut where the OS allows it; a result or figure a user can write again
    (and frequent, disposable files: progress reports) skips that cost, and is still whole
    or absent after Ctrl-C, a kill or a failed write.

    Raises:
        OSError: As ``open`` and ``write`` raise it (``ENOSPC``, ``EACCES``): the target is
            left as it was.
    """
    if _in_place(Path(path)):  # /dev/stdout too: a link to a pipe, written through it
        _write(Path(path), data, durable=durable)
        return
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        try:
            handle = open(tmp, "wb")  # noqa: SIM115 (closed below: its failure alone is caught)
        except PermissionError:
            if not target.is_file():
                raise
            _write(target, data, durable=durable)  # a folder not writable: in place, as before
            return
        with handle:
            _keep_mode(target, handle.fileno())
            _fill(handle, data, durable=durable)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)  # only left behind if something above failed
    if durable:
        _sync_folder(target.parent)


def _in_place(target: Path) -> bool:
    """Whether ``target`` (or what it links to) exists and is no regular file (a device, a
    pipe), or is a process's open file (``/dev/stdout`` where stdout is a file: a rename
    there would unlink the file the shell opened): no rename."""
    try:
        if not stat.S_ISREG(target.stat().st_mode):
            return True
    except OSError:  # none there yet (or unreadable: the write says why)
        return False
    seen = Path(os.path.abspath(target))
    for _ in range(_MAX_LINKS):
        if str(seen).startswith(_DESCRIPTORS):
            return True
        if not seen.is_symlink():
            return False
        seen = Path(os.path.abspath(seen.parent / os.readlink(seen)))
    return False


def _write(path: Path, data: Data, *, durable: bool) -> None:
    """``data`` to ``path``, created or truncated."""
    with open(path, "wb") as file:
        _fill(file, data, durable=durable)


def _fill(file: BinaryIO, data: Data, *, durable: bool) -> None:
    if isinstance(data, bytes):
        file.write(data)
    else:
        data(file)
    file.flush()  # here, where a full disk is said, not at close
    if durable:
        os.fsync(file.fileno())


def _keep_mode(original: Path, fd: int) -> None:
    """A file replaced keeps its permission bits (a private 0o600 result stays private)."""
    try:
        mode = original.stat().st_mode & 0o7777
    except OSError:  # a new file: open() gave it the usual mode (0o666 less the umask)
        return
    if hasattr(os, "fchmod"):  # not on Windows before Python 3.13, whose modes are few
        with contextlib.suppress(OSError):
            os.fchmod(fd, mode)


def _sync_folder(folder: Path) -> None:
    """Flush the rename to disk; some file systems do not open folders (it is done anyway)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # not syncable here: the rename is done either way
        pass
    finally:
        os.close(fd)
