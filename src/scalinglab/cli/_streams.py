"""What a pipe whose reader is gone does to the command line's two streams.

A closed stdout (``| head -1``) ends the command: its reader wants nothing more, and
:func:`scalinglab.cli.main` exits 141, as a shell reports ``yes | head -1``'s ``yes``. A
closed stderr (``2>&1 >/dev/null | true``, a log's reader gone) does not: stderr holds only
lines about the work (stages, notes, warnings, errors), so the work goes on, a report is
still written and a table still printed, and what would have been said there is dropped.
A full stdout (``> /dev/full``, a disk full) ends the command with an error, not a bug's
(:func:`stdout_write_error`); a full stderr (``2> log`` on a full disk) is dropped as a
closed one is, and the work goes on.

A command that writes files (``fit --out f.json | head -3``) is the exception to the first:
once its outputs are checked (the :class:`~scalinglab.cli._interrupted.Ledger` lists them),
a closed stdout is dropped as a closed stderr is (:func:`kept_stdout`), the work goes on and
the files are written, and it exits 0: what the user asked for is there, whole, and a script
with ``set -o pipefail`` must not read a written file as a failure.
"""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO, TypeGuard, cast

if TYPE_CHECKING:
    from scalinglab.cli._interrupted import Ledger

__all__ = [
    "drop",
    "drop_stderr",
    "kept_stdout",
    "out_of_room",
    "stdout_write_error",
    "write_stderr",
]

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


class _KeptStdout:
    """Stdout, but a closed pipe is dropped, not raised, once ``ledger`` lists outputs: every
    write to it goes through here (a console's table, ``--json``'s ``sys.stdout.write``)."""

    def __init__(self, stream: TextIO, ledger: Ledger) -> None:
        self._stream, self._ledger = stream, ledger

    def __getattr__(self, name: str) -> Any:  # encoding, isatty, fileno, ...: the stream's
        return getattr(self._stream, name)

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError as err:
            self._gone(err)
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError as err:
            self._gone(err)

    def _gone(self, err: BrokenPipeError) -> None:
        if not self._ledger.outputs:  # nothing but stdout to give: the command ends, 141
            raise err
        drop(self._stream)  # its files are still to be written: print no more, go on


@contextmanager
def kept_stdout(ledger: Ledger) -> Iterator[None]:
    """Inside the block, a closed stdout ends the command (141) only where ``ledger`` lists
    no output: else what would be printed goes to the null device and the work goes on."""
    stream = sys.stdout
    kept = _KeptStdout(stream, ledger)
    sys.stdout = cast(TextIO, kept)
    try:
        yield
        if ledger.outputs:  # a --json left in the buffer: its closed pipe met here, not at exit
            kept.flush()
    finally:
        sys.stdout = stream
