"""Where a stored run came from: its ``source`` as typed at ingest and, for a relative one,
the folder the ingest ran in, so that a source is matched as the file or folder it names
from wherever a later command runs (``runs rm --source``, ``runs --where source=``)."""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from scalinglab.store._record import FOLDER, StoredRun

__all__ = [
    "FOLDER",
    "folder_of",
    "full_source",
    "nearest_sources",
    "same_place",
    "same_source",
    "shown_source",
    "stored_from",
    "with_folder",
]

#: A stored source named by a scheme (``ladder:tiny``), not a file or folder.
_NOT_A_PATH = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+:")


def _relative_path(source: str | None) -> bool:
    return bool(source) and not os.path.isabs(str(source)) and not _NOT_A_PATH.match(str(source))


def with_folder(runs: Iterable[StoredRun], folder: str) -> tuple[StoredRun, ...]:
    """``runs``, each whose ``source`` is a relative path with ``folder`` (the working
    folder of the ingest) in its ``extra``; other runs as they are."""
    return tuple(
        replace(run, extra={**run.extra, FOLDER: folder}) if _relative_path(run.source) else run
        for run in runs
    )


def folder_of(extra: object) -> str | None:
    """The ingest's working folder a run's ``extra`` (a mapping, or its JSON text as
    stored) records, ``None`` for none (a run stored before it was recorded)."""
    if isinstance(extra, str):
        try:
            extra = json.loads(extra) if extra else {}
        except ValueError:
            return None
    folder = extra.get(FOLDER) if isinstance(extra, Mapping) else None
    return folder if isinstance(folder, str) and folder else None


def full_source(source: str | None, folder: str | None) -> str | None:
    """The source as a full path where it is a relative one and its folder is known;
    otherwise as stored."""
    if folder is None or source is None or not _relative_path(source):
        return source
    return os.path.normpath(os.path.join(folder, source))


def shown_source(source: str | None, extra: object, *, full: bool = False) -> str | None:
    """A run's source as ``scalinglab runs`` shows it, so that what is shown is what
    ``--where source=`` and ``runs rm --source`` match from here: a relative one stored with
    its ingest's folder (``extra``, :func:`folder_of`) as its full path, or (unless
    ``full``, as ``--json`` gives it) relative to the current folder where it lies below it;
    any other as stored."""
    whole = full_source(source, folder_of(extra))
    if full or whole is None or whole == source:
        return whole
    here = os.getcwd()
    return os.path.relpath(whole, here) if _inside(whole, here) else whole


def same_place(
    stored: str | None, stored_folder: str | None, source: str | None, folder: str | None
) -> bool:
    """Whether a stored run's source and a source given again name the same place: as
    full paths where both folders are known (or not needed), else by their text."""
    if (_relative_path(stored) and stored_folder is None) or (
        _relative_path(source) and folder is None
    ):
        return stored == source
    return full_source(stored, stored_folder) == full_source(source, folder)


def same_source(
    stored: object, source: str | Path, *, folder: str | None = None, removing: bool = False
) -> bool:
    """Whether a run's stored ``source`` is ``source`` or lies in it: the same text as
    given at ingest, the same file or folder reached by another path, or a path inside the
    folder ``source`` (a TensorBoard or Ray Tune run stores its own sub-folder, not the
    folder ingested), by the paths' text where that folder is gone. A source that is no
    path (``ladder:tiny``, ``wandb:entity/project``) matches only its own text.

    ``folder`` (the ingest's working folder, :func:`folder_of`): a relative stored source
    is joined to it and compared as that full path, from whichever folder this runs in.
    Without one (a run stored before it was recorded), ``removing`` (``runs rm --source``):
    a relative source that is not there from here is not taken to lie in a folder holding
    the current one (``--source .`` run elsewhere would otherwise match every relative
    source of the store).
    """
    if not isinstance(stored, str) or not stored:
        return False
    if folder is not None and _relative_path(stored):
        stored = str(full_source(stored, folder))
    elif stored == str(source):
        return True
    if _NOT_A_PATH.match(stored):
        return False
    given, path = Path(source), Path(stored)
    unsure = removing and not os.path.isabs(stored) and not path.exists() and _holds_cwd(given)
    if unsure:
        return False
    if os.path.isabs(stored) != os.path.isabs(given):  # compare the texts as absolute
        stored, given = os.path.abspath(stored), Path(os.path.abspath(given))
    normal, inside = os.path.normpath(stored), os.path.normpath(given)
    if normal == inside or _inside(normal, inside):
        return True
    try:
        if path.exists() and given.exists() and path.samefile(given):
            return True
        return given.is_dir() and path.resolve().is_relative_to(given.resolve())
    except OSError:
        return False


def stored_from(frame: pd.DataFrame, source: str | Path, *, removing: bool = False) -> pd.Series:
    """Which rows of a runs frame (``source`` and ``extra`` columns, as stored) came from
    ``source``, by :func:`same_source` with each run's folder."""
    return pd.Series(
        [
            same_source(s, source, folder=folder_of(e), removing=removing)
            for s, e in zip(frame["source"], frame["extra"], strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )


def nearest_sources(sources: Sequence[str], given: str | Path, most: int = 8) -> list[str]:
    """The ``most`` of ``sources`` (distinct) nearest to ``given`` in spelling, nearest
    first: compared with ``given`` as typed and as a full path, the nearer of the two."""
    typed = str(given)
    whole = typed if _NOT_A_PATH.match(typed) else os.path.abspath(typed)

    def near(candidate: str) -> float:
        return max(
            difflib.SequenceMatcher(None, text, candidate).ratio() for text in {typed, whole}
        )

    return sorted(dict.fromkeys(sources), key=lambda s: (-near(s), s))[:most]


def _holds_cwd(folder: Path) -> bool:
    """Whether ``folder`` is the current folder or one above it."""
    try:
        return folder.exists() and Path.cwd().resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _inside(path: str, folder: str) -> bool:
    """Whether ``path`` lies below ``folder``, by their (normalised) text; a folder of
    ``.`` holds only relative paths that do not climb out of it."""
    if folder == os.curdir:
        return not os.path.isabs(path) and not path.startswith(os.pardir)
    return path.startswith(folder.rstrip(os.sep) + os.sep)
