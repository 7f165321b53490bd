"""The curve files of a folder: every file below it in a run-table format, except
scalinglab's own results (``curves fit a.csv b.csv --out fit.json`` beside its curves), which
are skipped, each named in a note, rather than read as a run table that is not one; and a
run's size from a folder named like one (``25M/cosine_24000``)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab._formats import format_of, kind_name
from scalinglab.data._files import file_format
from scalinglab.data._readers import FORMATS
from scalinglab.data._units import parse_quantity

__all__ = [
    "ENVELOPE_COLUMNS", "LR_COLUMNS", "SUFFIXES", "curve_files", "no_curve_files", "size_of",
    "skipped_notes",
]  # fmt: skip

#: The extensions of the files :func:`curve_files` reads (``.csv.gz`` as a single file's).
SUFFIXES = tuple(FORMATS)
#: The columns a curve law reads from each file (``curves fit``, ``read_lr_curves``).
LR_COLUMNS = "step, loss and lr (or --schedule, schedule= in Python, for runs that log none)"
#: The columns the envelope reads from each file.
ENVELOPE_COLUMNS = (
    "loss, tokens or step (with --tokens-per-step N, tokens_per_step=N in Python) and params "
    "(or a folder named by the size: 25M/cosine.csv)"
)


def curve_files(folder: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The curve files below ``folder``, sorted, and the results skipped with their format."""
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for path in sorted(p for p in folder.rglob("*") if file_format(p)[1] and p.is_file()):
        found = format_of(path) if path.suffix.lower() == ".json" else None
        if found:
            skipped.append((path, found))
        else:
            files.append(path)
    return files, skipped


def no_curve_files(folder: str, skipped: int, *, columns: str) -> DataError:
    """The error for ``folder`` holding no curve file (``skipped``: the scalinglab results
    in it), with a hint saying which files are read and the ``columns`` each needs."""
    only = f" (only {format_counted(skipped, 'scalinglab result')})" if skipped else ""
    return DataError(
        f"no curve files in this folder{only}",
        source=folder,
        hint=f"give a folder of curve files ({' '.join(SUFFIXES)}, in it or below it), one "
        f"run's logged points each (a run column for several), with columns {columns}",
    )


def skipped_notes(sources: Sequence[str | os.PathLike[str]]) -> list[str]:
    """A note for each scalinglab result that a folder among ``sources`` holds, which
    :func:`scalinglab.curves.read_lr_curves` skips."""
    folders = [Path(s) for s in sources if Path(s).is_dir()]
    return [
        f"skipped {path}: {kind_name(found)}, not a curve file"
        for folder in folders
        for path, found in curve_files(folder)[1]
    ]


def size_of(name: str) -> float:
    """The size a run's folders give (``25M/cosine_24000``: 25e6), the nearest first; else
    ``nan``."""
    for part in reversed(Path(name).parts[:-1]):
        try:
            return parse_quantity(part)
        except Exception:
            continue
    return float("nan")


def run_name(folder: Path, below: str) -> str:
    """A file's run: its path below ``folder`` without the suffix, after ``folder``'s own
    name when that is a size and the path below names none (``25M/cosine_24000``)."""
    name = below[: len(below) - len(file_format(Path(below))[0])]  # cosine.csv.gz: cosine
    if size_of(name) != size_of(name) and size_of(f"{folder.name}/x") == size_of(
        f"{folder.name}/x"
    ):
        name = f"{folder.name}/{name}"  # keep the size folder in the name
    return name
