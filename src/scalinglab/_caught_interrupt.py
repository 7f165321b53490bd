"""A Ctrl-C that the command line caught, forgotten by CPython too.

CPython (3.11 to 3.13 at least) notes a ``KeyboardInterrupt`` that leaves an ``exec`` of
source text as not handled, even when a caller catches it, and at the end of ``python -m
MODULE`` it ends its own process by SIGINT when that note is set (``Py_RunMain``: the exit
status a shell reads as 130, but ``-2`` to :mod:`subprocess`, and the code the command
returned is lost). Source text is executed more often than it looks: :mod:`dataclasses`
builds each class's ``__init__``, ``__repr__`` and ``__eq__`` that way, so a Ctrl-C during a
lazy import of a module with dataclasses often lands there; ``scalinglab downstream fit``
ended by SIGINT in 3 of 10 runs interrupted as its fits began (2026-12-07).

Every ``exec`` of source text clears the note before it runs, so one that raises nothing
leaves it clear.
"""

from __future__ import annotations

__all__ = ["forget_caught_interrupt"]


def forget_caught_interrupt() -> None:
    """Clear CPython's note of a ``KeyboardInterrupt`` left unhandled, once the command line
    has caught it and said so: the process then exits with the code returned (130)."""
    exec("None")  # the note is cleared as any exec of text begins
