"""``--json PATH``, as ``backtest``, ``isoflop`` and ``envelope`` read it before issue 12:
``--json`` is a flag now and ``--out PATH`` writes the file. Given the old way, the path
reads as the runs (``file not found``) or as an extra argument; :func:`json_path_slip`
tells the error that follows from it, so the user reads what changed instead."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._signatures import text_start

__all__ = ["json_path_slip"]


def json_path_slip(args: Sequence[str], err: Exception) -> str | None:
    """The one line to say instead of ``err`` when it follows from ``--json PATH`` (or
    ``--json=PATH``) in ``args``, else ``None``.

    It does when the word after ``--json`` ends in ``.json`` and is the extra argument
    click refuses, or the runs file that a :class:`DataError` names and that is missing or
    a JSON object (a result, never a run table: those are arrays). ``fit --json runs.json``
    with a run table there is the flag and the runs, and is left alone.
    """
    words = list(args[: args.index("--")] if "--" in args else args)
    glued = [w.partition("=")[2] for w in words if w.startswith("--json=")]
    after = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "--json"]
    if glued and "does not take a value" in str(err):
        return _said(glued[0])
    for path in (p for p in after if p.endswith(".json")):
        if "unexpected extra argument" in str(err) and path in str(err):
            return _said(path)
        if isinstance(err, DataError) and err.source == path and _not_runs(Path(path)):
            return _said(path)
    return None


def _said(path: str) -> str:
    return f"`--json` is a flag now; write the file with --out PATH (--out {path})"


def _not_runs(path: Path) -> bool:
    """Whether ``path`` is missing or holds a JSON object (not an array of runs)."""
    try:
        with open(path, "rb") as file:
            head = file.read(64)
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return text_start(head).startswith(b"{")
