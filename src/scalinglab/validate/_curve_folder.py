"""A folder of loss curves as the envelope reads it: each file read by
:func:`scalinglab.data.read_curves` (no learning rate needed; a ``tokens`` column used when
there is one), its run named and sized as :func:`scalinglab.read_lr_curves` names and sizes
a folder's (``25M/cosine_24000.csv``: run ``25M/cosine_24000`` of 25M parameters), unless
the file has a run or params column of its own.

Private, as the module's name says: :func:`scalinglab.envelope` (given a folder) and
``scalinglab envelope FOLDER`` are the public ways to read a folder of curves, and
:func:`scalinglab.read_lr_curves` a folder with learning rates. Commit messages and the
benchmark ``read_scale.py`` name ``read_curve_folder`` as where that reading is done, not as
API."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from itertools import chain
from pathlib import Path

import numpy as np

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab._progress import Progress
from scalinglab.data import RunTable
from scalinglab.data._curve_columns import CURVE_ALIASES, MAP_LOSS, pick_column
from scalinglab.data._curve_sizes import split_columns
from scalinglab.data._curves import Curves, curves_of_raw
from scalinglab.data._raw import RawTable
from scalinglab.data._readers import _read_file

__all__ = ["read_curve_folder"]


def read_curve_folder(
    folder: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    runs: RunTable | Mapping[str, float] | str | os.PathLike[str] | None = None,
    tokens_per_step: float | str | None = None,
    loss_option: str = MAP_LOSS,
    progress: Progress | None = None,
) -> Curves:
    """The curves of every curve file below ``folder`` (scalinglab's results skipped).

    Args:
        folder: The folder.
        columns: Curve name -> column, as :func:`scalinglab.data.read_curves` takes it.
        runs: Each run's parameters, for runs whose file and folders give none.
        tokens_per_step: Turns steps into tokens in the files with no tokens column (a
            number, or text as ``--tokens-per-step`` reads it).
        loss_option: The option a missing loss column's hint names.
        progress: Called as ``progress("reading", files read, files)`` after each file.

    Raises:
        DataError: No curve file, a run in two files, a run with no size, or what
            :func:`~scalinglab.data.read_curves` refuses in a file (naming file, row and column).
    """
    from scalinglab.curves._folder import (
        ENVELOPE_COLUMNS,
        curve_files,
        no_curve_files,
        run_name,
    )
    from scalinglab.data._quantity_args import step_tokens

    per_step = None if tokens_per_step is None else step_tokens(tokens_per_step)
    path = Path(os.fspath(folder))
    files, skipped = curve_files(path)
    if not files:
        raise no_curve_files(os.fspath(folder), len(skipped), columns=ENVELOPE_COLUMNS)
    parts = []
    for done, file in enumerate(files, start=1):
        raw = _read_file(file, str(file))
        own = split_columns(raw.names, columns or {}, runs)[0]  # params= of --runs, not here
        raw = _named(raw, run_name(path, str(file.relative_to(path))), own, sized=runs is None)
        parts.append(curves_of_raw(raw, columns=columns, runs=runs,
                                   tokens_per_step=per_step, loss_option=loss_option))  # fmt: skip
        if progress is not None:
            progress("reading", done, len(files))
    return _joined(parts, os.fspath(folder))


def _named(raw: RawTable, name: str, columns: Mapping[str, str], *, sized: bool) -> RawTable:
    """``raw`` with a run column (``name``) where it has none, and a params column of each
    run's size from its name or folders where it has none (unless a run table gives them).

    Raises:
        DataError: A run with no size anywhere, when ``sized`` (no run table gives sizes).
    """
    from scalinglab.curves._folder import size_of

    cells = dict(raw.cells)
    run = pick_column(raw.names, "run", CURVE_ALIASES["run"], columns, source=raw.source)
    if run is None:
        run, cells["run"] = "run", [name] * len(raw.rows)
    if pick_column(raw.names, "params", CURVE_ALIASES["params"], columns, source=raw.source):
        return replace(raw, names=tuple(cells), cells=cells)
    ids = [str(c) for c in cells[run]]
    own = {i: size_of(i) for i in dict.fromkeys(ids)}  # once per run, not per point
    by_run = {i: size_of(name) if math.isnan(size) else size for i, size in own.items()}
    sizes = np.array(list(map(by_run.__getitem__, ids)), dtype=np.float64)
    if np.isnan(sizes).any() and not sized:  # the run table gives them
        return replace(raw, names=tuple(cells), cells=cells)
    if np.isnan(sizes).any():
        at = int(np.flatnonzero(np.isnan(sizes))[0])
        raise DataError(
            f"run {ids[at]!r} has no size: no params column, and no folder of its path is "
            "named by one (as 25M/cosine_24000)",
            source=raw.source,
            row=raw.rows[at],
            hint="add a params column, put the file in a folder named by its size, or give "
            "each run's params (runs=, --runs)",
        )
    cells["params"] = sizes.tolist()
    return replace(raw, names=tuple(cells), cells=cells)


def _joined(parts: Sequence[Curves], source: str) -> Curves:
    """One :class:`Curves` of the files' (a label a file lacks is blank in its points).

    Raises:
        DataError: A run in two files.
    """
    seen: dict[str, str] = {}
    for part in parts:
        for run in part.run_ids:
            if seen.setdefault(run, part.source) != part.source:
                raise DataError(
                    f"run {run!r} is in two files, {seen[run]} and {part.source}",
                    source=source,
                    hint="give each run one file, or tell them apart by a run column",
                )
    names = list(dict.fromkeys(k for p in parts for k in p.labels))
    joined = chain.from_iterable  # in C: no Python step per point
    labels = {k: tuple(joined(p.labels.get(k, ("",) * len(p)) for p in parts)) for k in names}
    notes = [f"{format_counted(len(parts), 'curve file')} read below {source}"]
    return Curves(
        runs=tuple(joined(p.runs for p in parts)),
        params=np.concatenate([p.params for p in parts]),
        tokens=np.concatenate([p.tokens for p in parts]),
        loss=np.concatenate([p.loss for p in parts]),
        rows=tuple(joined(p.rows for p in parts)),
        source=source,
        notes=tuple(dict.fromkeys([*notes, *(n for p in parts for n in p.notes)])),
        labels=labels,
    )
