"""What a pipe whose reader is gone does to the command line's two streams.

A closed stdout (``| head -1``) ends the command: its reader wants nothing more, and
:func:`scalinglab.cli.main` exits 141, as a shell reports ``yes | head -1``'s ``yes``. A
closed stderr (``2>&1 >/dev/null | true``, a log's reader gone) does not: stderr holds only
lines about the work (stages, notes, warnings, errors), so the work goes on, a report is
still written and a table still printed, and what would have been said there is dropped.
A full stdout (``> /dev/full``, a disk full) ends the command with an error, not a bug's
(:func:`stdout_write_error`); a full stderr (``2> log`` on a full disk) is dropped as a
closed one is, and the work goes on.
"""

from __future__ import annotations

import errno
import os
import sys
from typing import TextIO, TypeGuard

__all__ = ["drop", "drop_stderr", "out_of_room", "stdout_write_error", "write_stderr"]

#: What a write that fails for want of room says: a full disk, a quota, a size limit.
_NO_ROOM = frozenset(
    getattr(errno, name) for name in ("ENOSPC", "EDQUOT", "EFBIG") if hasattr(errno, name)
)
#: ... or a device's failure: not a bug, but where the stream goes.
_WRITE_ERRORS = _NO_ROOM | {errno.EIO}


def drop(stream: TextIO) -> None:
    """Point ``stream``'s file at the null device, so that later writes to it, and the
    interpreter's last flush of what is left for a closed pipe, do not fail again (as
    Python's signal docs advise)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError):  # not a file (a test's capture): nothing to drop
        pass


def drop_stderr() -> None:
    """Stderr's reader is gone: every later line to it (any console's, ``print``'s, a
    library's warning) goes unseen instead of failing."""
    drop(sys.stderr)


def write_stderr(text: str) -> None:
    """``text`` on stderr, or nowhere once its reader is gone (:func:`drop_stderr`)."""
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except OSError as err:  # its reader gone, or a full disk (`2> log`)
        if not isinstance(err, BrokenPipeError) and not stdout_write_error(err):
            raise
        drop_stderr()


def stdout_write_error(err: BaseException) -> TypeGuard[OSError]:
    """Whether ``err`` is a failed write to stdout (``> /dev/full``, a full disk), or to
    stderr where a write to it fails: each file a command writes itself is named in its own
    error (``--out PATH: cannot write``), so a write error that names no file is the
    stream's."""
    return isinstance(err, OSError) and err.errno in _WRITE_ERRORS and err.filename is None


def out_of_room(err: OSError) -> bool:
    """Whether writing failed for want of room (``ENOSPC``, ``EDQUOT``, ``EFBIG``)."""
    return err.errno in _NO_ROOM
