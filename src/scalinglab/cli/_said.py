"""The one way the command line says an error: ``error: <message>`` and its hint on stderr."""

from __future__ import annotations

import sys

from scalinglab.cli._streams import drop

__all__ = ["say"]


def say(message: str, hint: str = "") -> None:
    """``error: <message>`` (and its hint) on stderr. Where stderr's reader is gone
    (``scalinglab nonsuch 2>&1 | head -1``) it goes unsaid, quietly (:mod:`._streams`), and
    the caller still returns the error's own exit code, not 141: the command failed, and a
    script that takes 141 for a reader that had enough (``set -o pipefail`` with ``| head``)
    must not read that failure as success."""
    from scalinglab.cli._render import print_error, stderr_console

    print_error(stderr_console(), message, hint)
    try:  # a closed stdout (the same pipe, `2>&1`) would fail at the exit, with exit 120
        sys.stdout.flush()
    except (OSError, ValueError):  # closed, or full (`> /dev/full`)
        drop(sys.stdout)
