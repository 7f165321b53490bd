"""A file given by position to a command that reads its fit with ``--fit``: ``scalinglab
predict fit.json --params 7B --tokens 1T`` (``--fit`` left out), or ``scalinglab plan
runs.csv --compute 1e22`` (runs, where a saved fit is read). Click said only "unexpected
extra argument (fit.json)" and to read ``--help``; here the message says what the command
reads and the hint writes the command meant: the file after ``--fit`` where it is a result
(or is named ``.json``), else the fit of the runs first, then the command on that fit."""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from scalinglab._signatures import text_start
from scalinglab.data._files import FORMATS

__all__ = ["fit_path_slip"]

_EXTRA = re.compile(r"unexpected extra argument(?:\(s\)|s)? \((?P<words>.+)\)$")
#: Suffixes of the files a run table is read from, but ``.json`` (a result's too: told apart
#: by its first bytes below).
_TABLES = tuple(suffix for suffix in FORMATS if suffix != ".json")


def fit_path_slip(
    ctx: Any, args: Sequence[str], message: str, where: str
) -> tuple[str, str] | None:
    """The message and hint for click's "unexpected extra argument (X)" where ``X`` is a
    file (one there, or a name with a result's or a table's suffix) and the command
    ``where`` (``scalinglab predict``) reads a fit with ``--fit`` not given; else ``None``.

    Args:
        ctx: Click's context of the command run.
        args: The words typed after ``scalinglab``.
        message: Click's message.
        where: The command as typed (:func:`~._usage_slips.command_path`).
    """
    found = _EXTRA.search(message)
    if found is None or ctx is None or "--fit" in args or not _reads_fit(ctx):
        return None
    depth = len(where.split()) - 1  # the subcommands' words: `hparams predict` is 2
    rest = list(args[depth:])
    path = next((w for w in rest if w in found["words"] and _is_file(w)), None)
    if path is None:
        return None
    rest.remove(path)
    said = f"{where} reads a saved fit with --fit, and takes no file by position (got {path!r})"
    if _is_table(Path(path)):  # runs: fitted first, by the fit command of the same group
        fit = " ".join([*where.split()[:-1], "fit"])
        then = shlex.join([*where.split(), "--fit", "fit.json", *rest])
        first = f"{fit} {shlex.quote(path)} --out fit.json"
        return said, f"it holds runs: fit them first ({first}), then {then}"
    return said, f"give it with --fit: {shlex.join([*where.split(), '--fit', path, *rest])}"


def _reads_fit(ctx: Any) -> bool:
    """Whether the command takes ``--fit`` and no positional argument."""
    params = getattr(ctx.command, "params", ())
    takes = any("--fit" in getattr(p, "opts", ()) for p in params)
    return takes and not any(getattr(p, "param_type_name", "") == "argument" for p in params)


def _is_file(word: str) -> bool:
    if word.startswith("-"):
        return False
    path = Path(word)
    return path.is_file() or path.suffix.lower() == ".json" or _is_table(path)


def _is_table(path: Path) -> bool:
    """Whether ``path`` is a run table: by its suffix, not a scalinglab result in JSON."""
    from scalinglab._formats import format_of

    name = path.name.lower()
    if name.endswith(_TABLES):
        return True
    if path.suffix.lower() != ".json" or not path.is_file():
        return False
    try:  # a JSON array of rows is a run table; a result is an object
        with open(path, "rb") as file:
            head = file.read(64)
    except OSError:
        return False
    array = text_start(head).startswith(b"[")
    return array and format_of(path) is None
