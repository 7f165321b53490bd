"""Runs stored twice: the same run (same name, params, tokens and loss) ingested from two
sources, such as a run table and a copy of it under another name, or one training run
logged to TensorBoard and to MLflow. Each source's runs have keys of their own, so the
store holds both; a fit must count such a run once, or its bootstrap intervals come out too
narrow.

A copy is told by the run's values, not by its file's bytes: TensorBoard's float32 loss and
MLflow's float64 one are one run in two files that differ. The sources only say which runs
cannot be copies (those of one source), and a source is the place it names: a relative one
joined to the folder its ingest ran in (``extra["ingested_in"]``), so that two exports
saved under one name in two folders are two sources.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePath

import numpy as np
import pandas as pd

from scalinglab._format import format_counted, join_more
from scalinglab.store._sources import folder_of, full_source, same_place

__all__ = [
    "IDENTITY",
    "RTOL",
    "copied_curves",
    "copy_notes",
    "copy_of",
    "copy_sources",
    "labels",
    "same_values",
]

#: What makes two stored runs the same run.
IDENTITY: tuple[str, ...] = ("name", "params", "tokens", "loss")
#: Relative tolerance of the numbers of :data:`IDENTITY`. TensorBoard keeps scalars as
#: float32 (a 24-bit significand: 2**-23 ≈ 1.2e-7 apart), so the loss MLflow gives as
#: 3.0582 reads 3.058199882507324 there; 1e-6 holds a few float32 roundings, and two runs
#: that really differ differ far more (1e-6 of a loss of 3 is 3e-6 nats, below any noise).
RTOL = 1e-6
_NUMBERS = IDENTITY[1:]


def same_values(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Whether numbers of :data:`IDENTITY` are the same up to :data:`RTOL` (relative to the
    larger; both missing is not the same), element by element."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        out: np.ndarray = np.abs(a - b) <= RTOL * np.maximum(np.abs(a), np.abs(b))
    return out


def copy_of(frame: pd.DataFrame) -> np.ndarray:
    """For each run of ``frame`` (in store order), the position of the run it is a copy of,
    or -1.

    A copy has the same :data:`IDENTITY` values (the numbers up to :data:`RTOL`) as an
    earlier run from another ``source`` (another place: :func:`_places`); runs of one source
    are never copies of each other (a tracker gives them ids of their own), nor is a run
    missing one of the values.
    """
    n = len(frame)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return out
    values = frame[list(_NUMBERS)].to_numpy(dtype=np.float64, na_value=np.nan)
    complete = frame["name"].notna().to_numpy() & np.isfinite(values).all(axis=1)
    names = frame["name"].where(frame["name"].notna(), "").astype(str)
    groups = [rows[complete[rows]] for rows in names.groupby(names, sort=False).indices.values()]
    groups = [rows for rows in groups if len(rows) > 1]
    sources = _places(frame, (k for rows in groups for k in rows))
    for rows in groups:
        _copies_among(rows, values, sources, out)
    return out


def _places(frame: pd.DataFrame, rows: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """Of each of ``rows``, its source (``""`` for none) and the folder its ingest ran in
    (``None``: not recorded, or a frame without ``extra``); read for these rows alone, as
    each ``extra`` is JSON text to parse."""
    sources, extras = frame["source"], frame.get("extra")
    out = {}
    for k in rows:
        source = sources.iat[k]
        out[int(k)] = (
            source if isinstance(source, str) else "",
            None if extras is None else folder_of(extras.iat[k]),
        )
    return out


def _shown(frame: pd.DataFrame, rows: Iterable[int]) -> dict[int, str]:
    """Of each of ``rows``, its source as notes name it: a relative one as the full path it
    named where its ingest ran, where that folder is recorded; ``(no source)`` for none."""
    return {
        k: str(full_source(source, folder)) if source else "(no source)"
        for k, (source, folder) in _places(frame, rows).items()
    }


def _copies_among(
    rows: np.ndarray,
    values: np.ndarray,
    sources: Mapping[int, tuple[str, str | None]],
    out: np.ndarray,
) -> None:
    """Fill ``out`` for ``rows`` (one name's complete runs, in store order): each run is the
    same run as the first earlier run with the same values, found by its loss among the
    runs sorted by loss (a window of 2·RTOL), so a name shared by many runs stays fast."""
    loss = values[rows, 2]
    order = np.argsort(loss, kind="stable")
    ranked = loss[order]
    lo = np.searchsorted(ranked, loss - 2 * RTOL * np.abs(loss), side="left")
    hi = np.searchsorted(ranked, loss + 2 * RTOL * np.abs(loss), side="right")
    first = np.arange(len(rows))  # the earliest run (position in rows) each one is
    for k in range(len(rows)):
        near = order[lo[k] : hi[k]]
        near = near[near < k]
        if len(near):
            near = near[same_values(values[rows[near]], values[rows[k]]).all(axis=1)]
        if len(near):
            first[k] = first[near.min()]
            # the places the sources name; by their text where a folder is not recorded (a
            # run stored before it was, whose relative source names no place)
            if not same_place(*sources[rows[k]], *sources[rows[first[k]]]):
                out[rows[k]] = rows[first[k]]


def copy_sources(
    frame: pd.DataFrame, original: np.ndarray, rows: np.ndarray | None = None
) -> list[tuple[str, str, int]]:
    """``(source of the copies, source of their originals, count)``, most copies first.

    Args:
        frame: The runs.
        original: :func:`copy_of` of ``frame``.
        rows: Only count the copies among these positions.
    """
    picked = np.flatnonzero(original >= 0)
    if rows is not None:
        picked = np.intersect1d(picked, rows)
    sources = _shown(frame, [*picked, *original[picked]])
    pairs = Counter((sources[int(k)], sources[int(original[k])]) for k in picked)
    return [(copy, first, n) for (copy, first), n in pairs.most_common()]


def labels(frame: pd.DataFrame, original: np.ndarray) -> np.ndarray:
    """The run label of each run in a fit, as ``scalinglab runs`` tells the runs apart: its
    name where no other run counted (all but copies) has it; a name several have, with as
    much of the end of its source's path as tells those runs apart (``m00 (c.csv)``, ``m00
    (b/c.csv)``: the same from any folder, where a fit saved with its labels is read again);
    else its ``run_id`` (two runs of one name from one source: ``runs rm`` names them so
    too). A copy takes its original's label. One shared name once made every run its id."""
    kept = original < 0
    ids = frame["run_id"].astype(str).to_numpy()
    names = frame["name"].astype(object).where(frame["name"].notna(), frame["run_id"])
    label = names.astype(str).to_numpy(dtype=object)
    shared = pd.Series(label[kept]).value_counts()
    twice = np.flatnonzero(kept & np.isin(label, shared.index[shared > 1]))
    if len(twice):
        extras = frame["extra"] if "extra" in frame.columns else pd.Series([None] * len(frame))
        sources = frame["source"].to_numpy(dtype=object)
        places = [
            full_source(s, folder_of(extras.iat[int(k)])) if isinstance(s, str) else None
            for k, s in zip(twice, sources[twice], strict=True)
        ]
        groups: dict[str, list[int]] = {}  # each shared name's runs, in one pass
        for i, k in enumerate(twice):
            groups.setdefault(label[k], []).append(i)
        for name, group in groups.items():
            for i, tail in zip(group, _path_tails([places[i] for i in group]), strict=True):
                label[twice[i]] = f"{name} ({tail or 'no source'})"
        told = pd.Series(label[twice]).duplicated(keep=False).to_numpy()
        label[twice[told]] = ids[twice[told]]
    out: np.ndarray = np.where(kept, label, label[np.maximum(original, 0)]).astype(str)
    return out


def _path_tails(places: list[str | None]) -> list[str | None]:
    """The fewest last parts of each path (``c.csv``, then ``b/c.csv``, ...) that tell the
    different ``places`` apart, or each whole where none does."""
    parts = [None if p is None else PurePath(p).parts for p in places]
    depth = max((len(p) for p in parts if p is not None), default=0)
    for d in range(1, depth + 1):
        tails = [None if p is None else str(PurePath(*p[-d:])) for p in parts]
        if len(set(tails)) == len(set(places)):
            return tails
    return places


def copy_notes(
    frame: pd.DataFrame, original: np.ndarray, rows: np.ndarray | None = None
) -> list[str]:
    """The notes a reader gives of the copies it counted once (among ``rows``): one per
    source of originals, naming the sources of the copies (a few, and how many more: a
    TensorBoard folder's runs each have a source of their own); sources of originals whose
    copies came from the same sources share one note (a TensorBoard folder's runs copied in
    one MLflow export: one line, not one per run)."""
    by_first: dict[str, list[tuple[str, int]]] = {}
    for copy, first, n in copy_sources(frame, original, rows):
        by_first.setdefault(first, []).append((copy, n))
    by_copies: dict[tuple[str, ...], list[tuple[str, int]]] = {}
    for first, copies in by_first.items():
        key = tuple(copy for copy, _ in copies)
        by_copies.setdefault(key, []).append((first, sum(count for _, count in copies)))
    notes = []
    for copies_from, firsts in by_copies.items():
        n = sum(count for _, count in firsts)
        notes.append(
            f"counted once: {format_counted(n, 'run')} from {join_more(list(copies_from), 3)} "
            f"{'is' if n == 1 else 'are'} identical (same name, params, tokens, loss) to "
            f"{'a run' if n == 1 else 'runs'} stored from {join_more([f for f, _ in firsts], 3)}"
        )
    return notes


def copied_curves(
    runs: pd.DataFrame, curves: pd.DataFrame
) -> tuple[pd.DataFrame, list[str], dict[str, str]]:
    """The curve rows (``run_id`` per row), less those of a copy whose original has its
    curve too: one run, counted once, as :meth:`RunStore.to_run_table` counts it; with the
    notes it gives (:func:`copy_notes`) and each copy left out with why, as
    ``"name (source)"``."""
    original = copy_of(runs)
    ids = runs["run_id"].astype(str).to_numpy()
    with_curve = set(curves["run_id"].astype(str))
    rows = np.array(
        [
            k
            for k in np.flatnonzero(original >= 0)
            if ids[original[k]] in with_curve and ids[k] in with_curve
        ],
        dtype=np.int64,
    )
    if not len(rows):
        return curves, [], {}
    sources = _shown(runs, [*rows, *original[rows]])
    names = runs["name"].astype(str).to_numpy()
    left = {
        f"{names[k]} ({sources[k]})": f"identical to the run stored from {sources[original[k]]}: "
        "counted once"
        for k in rows
    }
    kept = curves[~curves["run_id"].astype(str).isin(set(ids[rows]))]
    return kept, copy_notes(runs, original, rows), left
