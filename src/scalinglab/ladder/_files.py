"""Atomic file writes: a reader (or a process killed mid-write) never sees half a file."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

__all__ = ["atomic_write"]


def atomic_write(
    path: Path, data: bytes | Callable[[BinaryIO], object], *, durable: bool = True
) -> None:
    """Write ``data`` (bytes, or a function writing to a binary file) to ``path`` atomically.

    The bytes go to a temporary file in the same folder, then are renamed over ``path``
    (``os.replace`` is atomic on POSIX and Windows). With ``durable`` the file is fsync'ed
    first and the folder after, so the rename survives a power cut where the OS allows it;
    frequent, disposable files (progress reports) skip that cost.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as f:
            if isinstance(data, bytes):
                f.write(data)
            else:
                data(f)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # only left behind if something above failed
    if not durable:
        return
    with contextlib.suppress(OSError):
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
