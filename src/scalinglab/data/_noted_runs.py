"""How many runs a terminal names one note each, and the one line that counts the rest.

Kept apart from the outlier screen (``data/_outliers.py``, which needs NumPy) because every
command's note printer uses it, ``--help`` included, and ``--help`` loads no NumPy
(tests/test_cli_startup.py).
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "KEPT",
    "LOOKS",
    "NOTED_EACH",
    "WARNING",
    "note_lines",
    "plain_notes",
    "reading_warnings",
    "shown_notes",
]

NOTED_EACH = 10
"""Runs named one note each before one line counts the rest (excluded or kept)."""

#: How each note of a run kept though it looks diverged reads, around its run and reason.
LOOKS = " looks diverged: "
KEPT = "; kept — pass --drop-outliers "

#: How a reader marks a note that says a run table's numbers are not to be trusted as read.
WARNING = "warning: "


def shown_notes(notes: Sequence[str]) -> list[str]:
    """``notes`` as a terminal shows them: past :data:`NOTED_EACH` notes of runs kept though
    they look diverged (one a run, ~250 characters each), one line counts the rest, as
    ingest and ``--drop-outliers`` sum theirs up; ``--json`` keeps every note."""
    kept = [k for k, n in enumerate(notes) if LOOKS in n and KEPT in n]
    if len(kept) <= NOTED_EACH:
        return list(notes)
    hidden = set(kept[NOTED_EACH:])
    more = (
        f"... and {len(hidden)} more runs look diverged, kept (each is a note of --json; "
        "--drop-outliers excludes them)"
    )
    shown = [n for k, n in enumerate(notes) if k not in hidden]
    shown.insert(kept[NOTED_EACH], more)
    return shown


def note_lines(notes: Sequence[str]) -> list[str]:
    """``notes`` as the lines a terminal prints and a notebook shows: :func:`shown_notes`
    (past :data:`NOTED_EACH` runs kept though they look diverged, one line counts the rest),
    each ``note: ...``, except one that starts ``warning: ``, which stays a warning."""
    return [n if n.startswith("warning: ") else f"note: {n}" for n in shown_notes(notes)]


def reading_warnings(notes: Sequence[str]) -> tuple[str, ...]:
    """The reading warnings among a run table's ``notes`` (perplexity given as the loss,
    flops off 6·N·D or in mixed units, ...: each marked ``warning: ``), without their mark,
    as a result's ``warnings`` holds them: a result fitted to those runs is not to be
    trusted as they stand, so they are its warnings, not its notes."""
    return tuple(n.removeprefix(WARNING) for n in notes if n.startswith(WARNING))


def plain_notes(notes: Sequence[str]) -> list[str]:
    """``notes`` less the reading warnings (:func:`reading_warnings`), which a result keeps
    among its warnings instead."""
    return [n for n in notes if not n.startswith(WARNING)]
