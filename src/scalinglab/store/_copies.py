"""Runs stored twice: the same run (same name, params, tokens and loss) ingested from two
sources, such as a run table and a copy of it under another name. Each source's runs have
keys of their own, so the store holds both; a fit must count such a run once, or its
bootstrap intervals come out too narrow."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd

__all__ = ["IDENTITY", "copy_of", "copy_sources", "labels", "without_copied_curves"]

#: What makes two stored runs the same run.
IDENTITY: tuple[str, ...] = ("name", "params", "tokens", "loss")


def copy_of(frame: pd.DataFrame) -> np.ndarray:
    """For each run of ``frame`` (in store order), the position of the run it is a copy of,
    or -1.

    A copy has the same :data:`IDENTITY` values as an earlier run from another ``source``;
    runs of one source are never copies of each other (a tracker gives them ids of their
    own), nor is a run missing one of the values.
    """
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    keys = frame[list(IDENTITY)]
    group = keys.groupby(list(IDENTITY), dropna=False, sort=False).ngroup().to_numpy()
    first = pd.Series(np.arange(n)).groupby(group).transform("first").to_numpy()
    sources = frame["source"].fillna("").astype(str).to_numpy()
    copy = (sources != sources[first]) & keys.notna().all(axis=1).to_numpy()
    return np.where(copy, first, -1).astype(np.int64)


def copy_sources(
    frame: pd.DataFrame, original: np.ndarray, rows: np.ndarray | None = None
) -> list[tuple[str, str, int]]:
    """``(source of the copies, source of their originals, count)``, most copies first.

    Args:
        frame: The runs.
        original: :func:`copy_of` of ``frame``.
        rows: Only count the copies among these positions.
    """
    sources = frame["source"].fillna("(no source)").astype(str).to_numpy()
    picked = np.flatnonzero(original >= 0)
    if rows is not None:
        picked = np.intersect1d(picked, rows)
    pairs = Counter((sources[k], sources[original[k]]) for k in picked)
    return [(copy, first, n) for (copy, first), n in pairs.most_common()]


def labels(frame: pd.DataFrame, original: np.ndarray) -> np.ndarray:
    """The run label of each run in a fit: its name where the names of the runs counted
    (all but copies) are unique, else its ``run_id``; a copy takes its original's label."""
    kept = original < 0
    use_names = frame["name"][kept].is_unique
    label = (frame["name"] if use_names else frame["run_id"]).astype(str).to_numpy()
    return np.where(kept, label, label[np.maximum(original, 0)])


def without_copied_curves(runs: pd.DataFrame, curves: pd.DataFrame) -> pd.DataFrame:
    """The curve rows (``run_id`` per row), less those of a copy whose original has its
    curve too: one run, counted once, as :meth:`RunStore.to_run_table` counts it."""
    original = copy_of(runs)
    ids = runs["run_id"].astype(str).to_numpy()
    with_curve = set(curves["run_id"].astype(str))
    drop = {ids[k] for k in np.flatnonzero(original >= 0) if ids[original[k]] in with_curve}
    return curves[~curves["run_id"].astype(str).isin(drop)] if drop else curves
