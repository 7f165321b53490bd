"""No command writes over a file it was given, nor over a file that is plainly not its kind.

:func:`check_target` is what ``_options.check_output`` adds to its checks of an output path
(every ``--out``, ``--plot``, a store a command writes), before any work is done:

- the path is not one of the command's inputs (``RUNS``, ``--store``, ``--runs``, ...): the
  same resolved path (``./x``, symlinks) or the same file (hard links);
- a JSON output does not go inside a folder the command reads (a curves folder reads
  ``*.json`` files, an lm-evaluation-harness folder ``results*.json``);
- an existing file there is of the output's kind, told from its first bytes: a JSON result
  is an object (``{``: a JSON run table is an array, JSON Lines a file of objects, refused by
  its suffix), a figure has its format's signature, a page is markup. A run store, a SQLite
  database, a Parquet file or an archive is never replaced; nor a scalinglab result of
  another ``"format"`` than the one written (a curve fit over a law fit). Rewriting one's
  own ``fit.json``, ``fit.png`` or ``report.html`` stays as it was: those pass.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

from scalinglab._errors import ConfigError
from scalinglab._formats import KINDS, format_of, kind_name
from scalinglab._result_names import misnamed, write_result
from scalinglab._signatures import IMAGES, PDF, PNG, by_magic, text_start
from scalinglab.cli._wrote import wrote

__all__ = [
    "Inputs",
    "Kind",
    "check_target",
    "dumps",
    "emit_json",
    "write",
    "write_hint",
    "wrote",
]

#: What a command reads, each with the name the command line gives it (``RUNS``,
#: ``--store``): a path, several (``CURVES...``) or ``None`` when not given.
Inputs = Sequence[tuple[str, "Path | Sequence[Path] | None"]]
Kind = Literal["json", "figure", "html", "store"]
T = TypeVar("T")

#: What an output of each kind is called, and a name to suggest.
_NAMES: dict[str, tuple[str, str]] = {
    "json": ("the result", "result.json"),
    "figure": ("the figure", "figure.png"),
    "html": ("the report", "report.html"),
    "store": ("the store", "runs.duckdb"),
}
#: Files that are never a JSON result, whatever they begin with (JSON Lines begins with ``{``).
_DATA_SUFFIXES = frozenset(
    {".csv", ".tsv", ".gz", ".parquet", ".pq", ".jsonl", ".ndjson", ".duckdb", ".db", ".toml"}
)
#: How a figure file of each format begins; an SVG file is markup (:data:`_MARKUP`).
_FIGURE_MAGIC = {".png": PNG, ".pdf": PDF}
#: How markup (an SVG figure, an HTML page) begins, maybe after a BOM or blanks.
_MARKUP = b"<"


def check_target(
    path: Path,
    *,
    option: str,
    kind: Kind,
    inputs: Inputs = (),
    outputs: Inputs = (),
    what: str | None = None,
    example: str | None = None,
    kind_format: str | None = None,
) -> None:
    """Refuse an output ``path`` that is an input, another output of the command, inside an
    input folder (JSON), or an existing file of another kind; before any work is done.

    Args:
        path: Where the command would write.
        option: The option naming it (``--out``), for the message.
        kind: What is written there: ``json``, ``figure``, ``html`` or ``store`` (a store
            checks its own file: only the inputs are compared).
        inputs: What the command reads, by the name the command line gives each.
        outputs: What else the command writes (``("--out", out)`` for a ``--plot``): one
            path given to two options would hold only what was written last.
        what: What is written, in the hint (``"the fit"``) [default: by ``kind``].
        example: A name to suggest (``fit.json``) [default: by ``kind``].
        kind_format: The ``"format"`` of the JSON written (``"scalinglab.fit/1"``): an
            existing scalinglab result of another format is refused [default: not checked].

    Raises:
        ConfigError: Naming the option, the path and the input or what the file is.
    """
    assert kind_format is None or kind_format in KINDS, kind_format  # a writer's own format
    what = what or _NAMES[kind][0]
    hint = f"write {what} somewhere else, e.g. {option} {example or _NAMES[kind][1]}"
    for label, given in _each(inputs):
        if _same_file(path, given):
            raise ConfigError(
                f"{option} {str(path)!r} is the same file as {label} {str(given)!r}: this "
                f"command reads it, and writing {what} there would destroy it",
                hint=hint,
            )
        if kind == "json" and _inside(path, given):
            raise ConfigError(
                f"{option} {str(path)!r} is inside {label} {str(given)!r}, a folder this "
                "command reads: a later read would take the JSON for one of its files",
                hint=hint,
            )
    for label, given in _each(outputs):
        if _same_file(path, given):
            raise ConfigError(
                f"{option} {str(path)!r} is the same file as {label} {str(given)!r}: the "
                f"command writes both, and {what} would replace what {label} writes",
                hint=f"give each its own path, e.g. {option} {example or _NAMES[kind][1]}",
            )
    found = "" if kind == "store" else _other_kind(path, kind, kind_format)
    if found:
        raise ConfigError(
            f"{option} {str(path)!r} already exists and {found}: writing {what} there "
            "would replace it",
            # deleting it would only meet the name's own refusal (a .csv never holds a fit)
            hint=hint
            if kind == "json" and misnamed(path)
            else f"{hint}; or delete the file first if it should go",
        )


def _each(inputs: Inputs) -> list[tuple[str, Path]]:
    """The inputs as ``(name, path)`` pairs, one per path, those not given left out."""
    pairs: list[tuple[str, Path]] = []
    for label, given in inputs:
        if given is None:
            continue
        many = [given] if isinstance(given, Path) else list(given)
        pairs += [(label, Path(p)) for p in many]
    return pairs


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file: the same path once resolved (``./x`` and
    ``x``, a symlink and its target), or, both existing, the same inode (a hard link)."""
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: compare the files, if any
        pass
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    """Whether ``path`` lies below ``folder``, a folder that exists."""
    try:
        return folder.is_dir() and path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        return False


def _other_kind(path: Path, kind: str, kind_format: str | None = None) -> str:
    """What the existing file at ``path`` is when it is plainly not an output of ``kind``
    (of format ``kind_format``, when given), else ``""`` (no file, an empty one, or one of
    the kind)."""
    try:
        if not path.is_file():
            return ""
        with open(path, "rb") as file:
            head = file.read(64)
    except OSError:  # unreadable: writing will say why, if it fails
        return ""
    if not head:
        return ""
    seen = by_magic(head)  # a store, a database, a table or an archive: never replaced
    if seen is not None and not (kind == "figure" and seen in IMAGES):
        return f"is {seen.what}"
    suffix = path.suffix.lower()
    text = text_start(head)
    if kind == "json":
        if suffix in _DATA_SUFFIXES:
            return f"is a {suffix} file (a run table or data), not a JSON result"
        if text.startswith(b"["):
            return "is a JSON array (a run table), not a JSON result (an object)"
        if not text.startswith(b"{"):
            return f"is not JSON (it begins {_shown(text)})"
        found = format_of(path)  # a JSON object of no format of ours is replaced
        # an older version of the same kind (scalinglab.isoflop/1 for /2) is this command's
        if found and found.split("/")[0] != (kind_format or "").split("/")[0]:
            return f"is {kind_name(found)} (format {found!r})"
        return ""
    if kind == "figure":
        magic = _FIGURE_MAGIC.get(suffix)
        if suffix == ".svg":
            fits = text.startswith(_MARKUP)
        else:
            fits = magic is None or magic.found_in(head)
        return "" if fits else f"is not a {suffix} image (it begins {_shown(text)})"
    return "" if text.startswith(_MARKUP) else f"is not HTML (it begins {_shown(text)})"


def _shown(text: bytes) -> str:
    """The first line of a file's head, quoted, for a message."""
    line = text.splitlines()[0] if text else b""
    return repr(line[:40].decode("utf-8", "replace"))


def emit_json(
    data: Mapping[str, Any],
    *,
    as_json: bool,
    out: Path | None,
    report: Any,
    what: str,
) -> None:
    """The ``--json`` / ``--out`` convention (see ``_params``): JSON on stdout when ``as_json``,
    saved to ``out`` when given (said on ``report`` by :func:`wrote`, as ``what``: what the
    file holds, ``plan``, never a word every command could say, as ``results``)."""
    text = dumps(data) + "\n"
    if as_json:
        sys.stdout.write(text)
    if out is not None:
        write(out, "--out", lambda: write_result(out, text, option="--out"))
        wrote(report, what, out)


def dumps(data: Mapping[str, Any]) -> str:
    """Strict JSON (no ``NaN`` tokens), indented: :func:`scalinglab._json.dumps`."""
    from scalinglab._json import dumps as strict

    return strict(data)


def write(path: Path, option: str, action: Callable[[], T]) -> T:
    """``action()``'s value; an OS error writing ``path`` (given as ``option``) said as one.
    ``action`` makes ``path``'s missing folders as it writes the file (the library's
    ``save()`` and figures do, by :func:`scalinglab._paths.make_parents`), not before its
    work: a command that fails first leaves no folder behind."""
    try:
        return action()
    except OSError as err:
        raise ConfigError(
            f"{option} {str(path)!r}: cannot write ({err.strerror or err})",
            hint=write_hint(err),
        ) from None


def write_hint(err: OSError) -> str:
    """What to do where writing failed: free room (a full disk, a quota, a size limit; the
    file is left as it was), else look at the path and its permissions."""
    from scalinglab.cli._streams import out_of_room

    if out_of_room(err):
        return "free disk space there, or write somewhere else"
    return "check the path and its permissions"
