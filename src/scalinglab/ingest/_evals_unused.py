"""The note of an ingest of evaluations given options that concern runs: ``--final``,
``--history`` and ``--on-conflict`` shape how runs and their curves are read and stored,
and scores of stored runs have none of them, so the options are said not applied rather
than dropped unsaid (as ``--final`` with no curve to apply it to is said). Notes, not a
refusal: an option a source does not use is said, as ``--level`` with no interval is."""

from __future__ import annotations

import os

from scalinglab._format import join_and

__all__ = ["evals_unused"]

#: What each evaluation kind is, in the note's words.
_SAID = {"lm-eval": "lm-evaluation-harness results", "evals": "an evaluation table"}


def evals_unused(
    kind: str,
    *,
    final: object = None,
    history: str | os.PathLike[str] | None = None,
    on_conflict: str | None = None,
) -> tuple[str, ...]:
    """The one note naming each option given (not ``None``) that an ingest of evaluations
    of ``kind`` (``lm-eval``, ``evals``) does not apply, as the command line and Python
    each write it; ``()`` where none was given.

    >>> evals_unused("evals", on_conflict="keep")[0][:60]
    '--on-conflict keep (on_conflict= in Python) not applied: it '
    """
    given = [
        (f"--{flag.replace('_', '-')} {value}", f"{flag}=")
        for flag, value in (("final", final), ("history", history), ("on_conflict", on_conflict))
        if value is not None
    ]
    if not given:
        return ()
    options = join_and([typed for typed, _ in given])
    python = ", ".join(keyword for _, keyword in given)
    they = "it concerns" if len(given) == 1 else "they concern"
    what = _SAID.get(kind, "evaluations")
    # a changed score is always replaced: --on-conflict keep would suggest otherwise
    replaced = "; a changed score replaces the stored one" if on_conflict is not None else ""
    return (
        f"{options} ({python} in Python) not applied: {they} runs, and {what} "
        f"{'hold' if what.endswith('s') else 'holds'} scores of stored runs{replaced}",
    )
