"""The kinds of JSON file scalinglab writes (their ``"format"``), the format of such a file on
disk, and the error for a file of another kind given where one is read (what it is, who reads it)."""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import zlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from scalinglab._errors import DataError
from scalinglab._format import with_article
from scalinglab._format_kinds import KINDS
from scalinglab._format_versions import aged_kind, known_kind, other_version
from scalinglab._looks import RUN_WORDS, looks_like
from scalinglab._paths import as_path
from scalinglab._signatures import GZIP

__all__ = [
    "KINDS",
    "LAW_FIT",
    "READER",
    "check_format",
    "current",
    "format_of",
    "gzip_format",
    "kind_name",
    "kind_use",
    "legacy_kind",
    "not_a_result",
    "read_result",
    "what_file",
]

#: Formats renamed since, as files written before say them -> today's (read as today's).
RENAMED = {"scalinglab.curve_fit": "scalinglab.curve_fit/1"}


def current(found: object) -> object:
    """Today's name of format ``found`` (:data:`RENAMED`); any other value as it is."""
    return RENAMED.get(found, found) if isinstance(found, str) else found


#: Who reads a law fit, in :data:`KINDS`' ``{reader}``, where the caller does not say.
READER = "FitResult.load"
#: The format of a law fit, the kind :data:`READER` reads.
LAW_FIT = "scalinglab.fit/1"


def legacy_kind(data: Mapping[str, Any]) -> str | None:
    """The format of a result written before its kind had one, by its keys: a backtest
    (``holdout`` and ``laws``), a plan (a ``source`` with an ``origin``, and ``allocation``
    or ``plans``: an accuracy plan where the source is a downstream chain); else ``None``."""
    if "holdout" in data and "laws" in data:
        return "scalinglab.backtest/1"
    source = data.get("source")
    if (
        isinstance(source, Mapping)
        and "origin" in source
        and ("allocation" in data or "plans" in data)
    ):
        downstream = source.get("kind") == "downstream"
        return "scalinglab.downstream_plan/1" if downstream else "scalinglab.plan/1"
    return None


#: A file up to this size is parsed whole for its ``"format"`` (a few ms); a bigger one is
#: read in its first bytes only, where every writer puts ``"format"`` as the first key.
_PARSED = 1 << 20
_HEAD = 4096
_FIRST_KEY = re.compile(rb'\A(?:\xef\xbb\xbf)?\s*\{\s*"format"\s*:\s*"([^"\\]{1,100})"')


def format_of(path: Path) -> str | None:
    """The ``"format"`` of the scalinglab result at ``path`` (one of :data:`KINDS`), else
    ``None``: no file, an unreadable one, not a JSON object, or no format of scalinglab's."""
    try:
        if not path.is_file():
            return None
        if path.stat().st_size <= _PARSED:
            data = json.loads(path.read_bytes())  # bytes: a BOM or UTF-16 is detected
            found = data.get("format") if isinstance(data, dict) else None
        else:
            with open(path, "rb") as file:
                match = _FIRST_KEY.match(file.read(_HEAD))
            found = match.group(1).decode("utf-8", "replace") if match else None
    except (OSError, ValueError, RecursionError):  # not JSON (ValueError): not a result
        return None
    found = current(found)
    return found if isinstance(found, str) and found in KINDS else None


#: The start of :func:`what_file`'s phrase for a gzip-compressed result.
GZIPPED = "a gzip-compressed "


def gzip_format(path: Path) -> str | None:
    """The ``"format"`` of the gzip-compressed scalinglab result at ``path`` (``fit.json.gz``),
    by the first key of what it holds, else ``None`` (not gzip, or not a result of ours)."""
    try:
        with open(path, "rb") as file:
            if not GZIP.found_in(file.read(2)):
                return None
        with gzip.open(path, "rb") as file:
            match = _FIRST_KEY.match(file.read(_HEAD))
    except (OSError, EOFError, zlib.error):  # OSError: a bad gzip stream too
        return None
    found = current(match.group(1).decode("utf-8", "replace")) if match else None
    return found if isinstance(found, str) and found in KINDS else None


def what_file(path: Path) -> str | None:
    """What the file at ``path`` is, in a phrase, for an error where it was given in the
    wrong place: a scalinglab result by its ``"format"`` (:func:`kind_name`), such a result
    gzip-compressed, else by its first bytes or suffix (a run table, a run store, a report
    page: :func:`~scalinglab._looks.looks_like`); ``None`` when not told."""
    found = format_of(path)
    if found is not None:
        return kind_name(found)
    packed = gzip_format(path)
    if packed is not None:
        return GZIPPED + re.sub(r"^an? ", "", kind_name(packed))
    return looks_like(path)


def kind_name(found: str) -> str:
    """What a file of format ``found`` is, in :data:`KINDS`' words without what reads it:
    ``"a scaling-law fit (`scalinglab fit --out`)"``."""
    return KINDS[found].split(":")[0]


#: The clause of :data:`KINDS` saying what reads a law fit, with what leads into it.
_READER_CLAUSE = re.compile(r"[:;] \{reader\} reads a law fit")


def kind_use(found: str, *, reader: str | None = READER) -> str:
    """What :data:`KINDS` says of a file of format ``found`` after its name (what reads it,
    or what it holds), ``{reader}`` filled with ``reader``; with ``reader`` ``None`` (runs
    are read there, not a fit) without the clause of what reads a law fit, ``""`` when
    that was all it said."""
    said = KINDS[found]
    said = _READER_CLAUSE.sub("", said) if reader is None else said.replace("{reader}", reader)
    return said[len(kind_name(found)) :].removeprefix(": ")


def check_format(
    data: Mapping[str, Any],
    expected: str,
    what: str,
    *,
    source: str,
    write: str,
    accept_kind: bool = False,
    reader: str = READER,
) -> None:
    """Refuse a result of another kind where ``expected`` is read: a :class:`DataError`
    that says what the file is and which command reads it.

    Args:
        data: The result's JSON object; its ``"format"`` is checked, ``None`` when it has
            none.
        expected: The format read here.
        what: What is read here, in words (``"scalinglab fit"``).
        source: The file, named in the message.
        write: How to write the expected kind (the hint's end).
        accept_kind: Read ``"kind"`` where there is no ``"format"``: older curve fits
            only, which named their format so; any other result with ``"kind"`` alone is
            not one scalinglab wrote (no ``"format"`` key).
        reader: What reads a law fit here, in the hint (``"`predict --fit`"``).
    """
    if not isinstance(data, Mapping):  # from_dict([...]): no object to read a format from
        raise DataError(
            f"not {with_article(what)}: a {type(data).__name__} where the result's JSON object (a dict) goes",
            source=source,
            hint=f"pass the dict a result's to_dict() returns; {write}",
        )
    found = data.get("format", data.get("kind") if accept_kind else None)
    if current(found) == expected:
        return
    version = other_version(current(found), expected)
    if version is not None:  # this kind, from a later or an earlier release: not "not a fit"
        message, lead = version
        raise DataError(message, source=source, hint=f"{lead}{write}")
    known = current(found) if found is not None else legacy_kind(data)
    # another kind in a version this release does not read: said as its kind, newer or older
    known, age = known_kind(known, KINDS)
    said = None
    law_fit = expected == LAW_FIT
    if isinstance(known, str) and known in KINDS:
        # what reads a law fit is this reader's own word only where it reads one
        use = kind_use(known, reader=reader if law_fit else None)
        said = aged_kind(kind_name(known), use, str(current(found)), age)
    # a reader of another kind says what it reads, and (``write``) which command writes it
    wanted = "" if law_fit or expected not in KINDS else f"this reads {kind_name(expected)}: "
    # a file without the key: said so, not as Python's None
    given = 'no "format" key' if found is None else f"format {found!r}"
    raise DataError(
        f"not {with_article(what)} ({given}, expected {expected!r})",
        source=source,
        hint=f"it is {said}; {wanted}{write}" if said else write,
    )


def read_result(
    path: str | os.PathLike[str],
    *,
    what: str,
    reads: str,
    fit_with: str | Callable[[str], str] | None,
    write: str,
    format: str | None = None,
    option: str = "--fit",
    fit_store: str | Callable[[str], str] | None = None,
) -> dict[str, Any]:
    """The JSON object in the result file at ``path``, for every ``load`` of a result: a
    missing file, a folder, an unreadable or empty file, a file that is not JSON (a run
    table, a run store, a gzip-compressed result) or not a JSON object is a
    :class:`DataError` that says so and how to write one, and so is, with ``format``, a
    result of another kind (:func:`check_format`).

    Args:
        path: The file given as a fit.
        what: What is read, in words (``"loss-to-loss fit"``), for the message.
        reads: What ``--fit`` reads, for :func:`not_a_result`'s hint.
        fit_with: How to fit runs given instead (``{}``: the file), or a hint's end from it.
        write: How to write one (``"write one with `...`"``), the hint of a missing file.
        format: The ``"format"`` read here; ``None`` where the caller checks it (a
            ``from_dict`` that reads dicts too).
        option: The command-line option the file was given with, named in the hint.
        fit_store: How to fit the runs of a run store given instead (``{}`` the store), or
            a hint's end from it; ``None`` where what fits them reads no store.
    """
    file = as_path(path)
    name = os.fspath(path)
    # a fit's file is "the fit file", as --fit names it; another result's by its kind
    kind = "fit" if what.endswith("fit") else what
    if file.is_dir():
        raise DataError(f"a folder, not {with_article(what)} file", source=name, hint=write)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{kind} file not found", source=name, hint=write) from None
    except OSError as err:
        raise DataError(f"cannot read the {kind} file: {err.strerror or err}",
                        source=name) from None  # fmt: skip
    if not raw.strip():
        raise DataError(f"the file is empty ({len(raw)} bytes), not {with_article(what)}",
                        source=name, hint=write)  # fmt: skip
    said = {"reads": reads, "option": option, "what": what}
    try:
        data = json.loads(raw)  # bytes: a BOM or UTF-16 is detected
    except (ValueError, RecursionError) as err:  # ValueError: JSON or Unicode decoding
        problem = f"{kind} file is not valid JSON ({err})"
        raise not_a_result(name, problem, fit_with=fit_with, fit_store=fit_store, **said) from None
    if not isinstance(data, dict):
        problem = f"{kind} file is not {with_article(what)} (a JSON object was expected)"
        raise not_a_result(name, problem, fit_with=fit_with, fit_store=fit_store, **said)
    if format is not None:
        check_format(data, format, what, source=name, write=write)
    return data


def not_a_result(
    source: str,
    problem: str,
    *,
    reads: str,
    fit_with: str | Callable[[str], str] | None,
    option: str = "--fit",
    what: str | None = None,
    fit_store: str | Callable[[str], str] | None = None,
) -> DataError:
    """The error for ``source`` given as a fit and not one: what the file is where told
    (:func:`what_file`: runs, a store, an image, a gzip-compressed result), else ``problem``;
    a hint saying what ``option`` reads (``reads``), for runs how to fit them (``fit_with``,
    for a store ``fit_store``, ``{}`` standing for the file), for gzip how to decompress."""
    seen = what_file(Path(source))
    hint = f"`{option}` reads {reads}"
    typed = shlex.quote(source)  # a command to copy: `my runs/r.csv` is one word there
    packed = gzip_format(Path(source))
    if packed is not None:  # what reads it, once decompressed; what reads a law fit not said
        use = kind_use(packed, reader=None)
        hint = f"decompress it: `gunzip -k {typed}`; {use + '; ' if use else ''}{hint}"
        return DataError(f"is {seen}: results are read uncompressed", source=source, hint=hint)
    store = seen is not None and RUN_WORDS[1] in seen  # its runs are read with --store
    fit = fit_store if store else fit_with if seen and RUN_WORDS[0] in seen else None
    if callable(fit):  # says it of the file: curves' tables, Python's calls
        hint += fit(source)
    elif fit:
        hint += f"; to fit {'its' if store else 'these'} runs: `{fit.format(typed)}`"
    if seen is None:
        return DataError(problem, source=source, hint=hint)
    message = f"is {seen}, not {with_article(what)}" if what else f"{problem}: it looks like {seen}"
    return DataError(message, source=source, hint=hint)
