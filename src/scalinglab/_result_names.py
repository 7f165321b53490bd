"""What a JSON result may be named: one rule for ``save()`` in Python and every ``--out``
that writes JSON on the command line (:func:`scalinglab.cli._output_paths.check_output`).

A result (a fit, a plan, a backtest) is plain JSON. A name whose suffix says another format
is refused before anything is written, since the next program to open the file would take
it for what its name says:

- ``fit.json.gz`` says gzip, and ``gunzip`` fails on plain JSON; scalinglab reads results
  uncompressed (:func:`scalinglab._formats.not_a_result` tells a gzip-compressed one to be
  decompressed), so it does not write them compressed either;
- ``fit.csv``, ``fit.parquet`` say a table, ``fit.html`` a page, ``fit.png`` a figure,
  ``fit.duckdb`` a run store: a spreadsheet, a browser, an image viewer or ``fit --store``
  would fail on the JSON. Commands that write those kinds on purpose (``report --out``,
  ``--plot``, ``--store``) are not JSON outputs and never come here.

Any other name (``fit.json``, ``fit``, ``fit.out``) is written as given.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from scalinglab._errors import ConfigError
from scalinglab._paths import as_path, write_text
from scalinglab._signatures import DUCKDB, PDF, PNG, by_suffix

__all__ = ["check_result_name", "misnamed", "write_result"]

#: Suffixes that name another kind of file: what such a name says the file is, and what
#: writes that kind on the command line (``""``: nothing of scalinglab's).
_OTHER: dict[str, tuple[str, str]] = {
    ".csv": ("a CSV table", ""),
    ".tsv": ("a TSV table", ""),
    ".parquet": ("a Parquet table", ""),
    ".pq": ("a Parquet table", ""),
    ".jsonl": ("a JSON Lines table (one record a line)", ""),
    ".ndjson": ("a JSON Lines table (one record a line)", ""),
    ".html": ("an HTML page", "a report page is written by `scalinglab report --out`"),
    ".htm": ("an HTML page", "a report page is written by `scalinglab report --out`"),
    ".png": (PNG.what, "a figure is written by `--plot`, on the commands that draw one"),
    ".pdf": (PDF.what, "a figure is written by `--plot`, on the commands that draw one"),
    ".svg": ("an SVG image", "a figure is written by `--plot`, on the commands that draw one"),
    ".duckdb": (DUCKDB.what, "a run store is written by `--store`"),
    ".db": ("a database", "a run store is written by `--store`"),
    ".toml": ("a TOML file (a ladder recipe or a config)", ""),
}


def misnamed(path: str | os.PathLike[str]) -> str | None:
    """The suffix of ``path`` that names another format than a JSON result (``".gz"``,
    ``".csv"``; lower-cased), else ``None``."""
    suffix = Path(path).suffix.lower()
    return suffix if by_suffix(suffix) is not None or suffix in _OTHER else None


def right_name(path: str | os.PathLike[str]) -> Path:
    """``path`` named as a JSON result: its format's suffixes replaced by ``.json``
    (``fit.csv``, ``fit.json.gz`` and ``fit.csv.gz``: ``fit.json``)."""
    given = Path(path)
    name = given.name
    packed = by_suffix(given.suffix.lower())
    if packed is not None:
        name = name[: -len(packed.suffix)]
    stem, dot, suffix = name.rpartition(".")
    if dot and stem and ("." + suffix.lower() in _OTHER or suffix.lower() == "json"):
        name = stem
    return given.with_name(name + ".json")


def check_result_name(
    path: str | os.PathLike[str], *, option: str = "path", what: str = "the result"
) -> Path:
    """``path`` as a :class:`Path`, where a JSON result may be written under its name.

    Args:
        path: Where the result would be written.
        option: What gave the path, for the message (``"--out"`` on the command line).
        what: What is written, in words (``"the fit"``).

    Returns:
        ``path`` as a :class:`Path` (a leading ``~`` read as the home folder).

    Raises:
        ConfigError: Naming ``option``, the path and its suffix, what the file would hold,
            and the name to give instead.
    """
    out = as_path(path, option=option)
    suffix = misnamed(out)
    if suffix is None:
        return out
    right = right_name(path)
    shown = f"{option} {os.fspath(path)!r}"
    packed = by_suffix(suffix)
    if packed is not None:  # a compressed file's suffix (``.json.gz``, ``.gz``)
        raise ConfigError(
            f"{shown}: a {suffix} name says {packed.name}-compressed, but {what} is written as "
            f"plain JSON, which {packed.decompressor} refuses (scalinglab reads results "
            "uncompressed)",
            hint=f"name it {right}; to keep a compressed copy, run `{packed.tool} -k "
            f"{shlex.quote(str(right))}` after, and decompress it before reading it back",
        )
    said, writer = _OTHER[suffix]
    elsewhere = f"; {writer}" if writer and option.startswith("--") else ""
    raise ConfigError(
        f"{shown}: the file would hold {what} as JSON, not {said} as its {suffix} suffix says",
        hint=f"name it {right}{elsewhere}",
    )


def write_result(
    path: str | os.PathLike[str], text: str, *, option: str = "path", what: str = "the result"
) -> Path:
    """Write the JSON ``text`` of a result to ``path`` (:func:`check_result_name` first,
    then :func:`scalinglab._paths.write_text`: atomic, its missing folders made).

    Returns:
        ``path`` as a :class:`Path`.

    Raises:
        ConfigError: A name that says another format, or a path that cannot be written to
            (a folder; a file where a folder on its way goes).
        OSError: As the write fails, the file left as it was.
    """
    check_result_name(path, option=option, what=what)
    return write_text(path, text, option=option)
