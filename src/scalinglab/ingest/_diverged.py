"""Which ingested runs diverged: a loss curve screened by the rule ``curves`` uses
(:func:`scalinglab.curves._diverged.screen`: ``inf`` at any step, a NaN tail, or a median of
the last 5 points above 1.5x the lowest median of 5 consecutive ones), a loss whose last
logged point is NaN (:func:`ended_nan`), or a tracker that reported an ``inf`` loss or a NaN
one (a run table's ``inf`` or written ``nan`` loss too: :func:`written_nan`), unless its
``--history`` curve of that loss ends clean: the stored value then comes from that curve,
which judges it (:func:`last_rows`). Such a run is stored with status ``diverged`` (``fit
--store`` reads ``finished`` runs), not as finished with the last finite loss of its curve.

A NaN counts in the loss stored alone (an evaluation loss, or the training loss where it is
the loss): a NaN training loss beside a finite evaluation loss is no verdict on the value
stored, which that finite loss is. An ``inf`` counts in either, as it did before NaN did."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from scalinglab._format import format_counted, format_g, join_more
from scalinglab.curves._diverged import RULE, screen
from scalinglab.data._raw import as_list
from scalinglab.store import StoredRun

__all__ = [
    "curve_divergence",
    "diverged_note",
    "ended_nan",
    "last_rows",
    "loss_divergence",
    "reported_divergence",
    "stored_diverged",
    "summary_overruled_note",
    "written_nan",
]


def curve_divergence(
    runs: np.ndarray, steps: np.ndarray, values: np.ndarray, name: str
) -> dict[int, str]:
    """Run index -> why its curve of ``name`` diverged, for points ordered by run, then step.

    A run that never logged a number of ``name`` has no curve of it: it is not screened (its
    final value falls back to the tracker's), so a metric missing from some runs is no
    divergence.
    """
    out: dict[int, str] = {}
    if len(runs) == 0:
        return out
    starts = np.flatnonzero(np.r_[True, runs[1:] != runs[:-1]])
    for a, b in zip(starts, np.r_[starts[1:], len(runs)], strict=True):
        v = values[a:b]
        if not (np.isfinite(v).any() or np.isinf(v).any()):
            continue
        reason = screen(steps[a:b].astype(np.float64), v).reason
        if reason:
            out[int(runs[a])] = f"{name!r}: {reason}"
    return out


def loss_divergence(
    runs: np.ndarray, steps: np.ndarray, curves: Sequence[tuple[str, np.ndarray]]
) -> dict[int, str]:
    """Run index -> why, over each ``(name, values)`` loss curve in turn (the loss fitted
    first): the first curve of a run that diverged says why. Points ordered by run, then step.
    """
    out: dict[int, str] = {}
    for name, values in curves:
        out = {**curve_divergence(runs, steps, values, name), **out}
    return out


def stored_diverged(run: StoredRun, why: str) -> StoredRun:
    """``run`` with status ``diverged`` and why in ``extra.diverged``."""
    return replace(run, status="diverged", extra={**run.extra, "diverged": why})


def reported_divergence(
    summary: Mapping[str, Any],
    config: Mapping[str, Any],
    names: Sequence[str],
    *,
    nan: bool = False,
) -> str:
    """Why a run's reported (final) loss says it diverged: one of ``names`` is ``inf``, or
    with ``nan`` NaN (a run table's NaN written as such: its blank cells, no value, were
    skipped before: :func:`written_nan`)."""
    for name in names:
        value = summary.get(name, config.get(name))
        if not isinstance(value, float | np.floating):
            continue
        if math.isinf(value) or (nan and math.isnan(value)):
            return f"its reported {name!r} is {format_g(float(value))}"
    return ""


def last_rows(runs: np.ndarray, values: np.ndarray, n_runs: int) -> np.ndarray:
    """Per run index, the value on its last history row (points ordered by run, then step),
    NaN for none: a finite one is a curve that ends clean, so a non-finite summary of it is
    not what was logged last (a curve whose last row is NaN, or that logs the metric more
    sparsely, keeps the summary's verdict)."""
    out = np.full(n_runs, np.nan)
    if len(runs) == 0:
        return out
    last = np.r_[runs[1:] != runs[:-1], True]
    out[runs[last].astype(np.intp)] = values[last]
    return out


def summary_overruled_note(found: Sequence[tuple[str, str, float]], rule: str) -> list[str]:
    """The note for the ``(run name, its summary's reason, its history's last value)`` of runs
    whose summary loss is non-finite but whose history ends clean: judged by the history, the
    source of the value stored, not stored ``diverged`` by the summary."""
    if not found:
        return []
    shown = join_more(
        [
            f"{run!r}: {why.replace('its reported', 'its summary')}; its history ends at "
            f"{format_g(last, 4)}"
            + (", which is stored" if rule == "last" else f" (stored: --final {rule})")
            for run, why, last in found
        ],
        3,
        sep="; ",
    )
    return [
        f"{format_counted(len(found), 'run')} "
        f"{'reports' if len(found) == 1 else 'report'} a non-finite final loss in "
        f"{'its summary but logs' if len(found) == 1 else 'their summary but log'} a "
        f"clean history, which the stored loss comes from, so the history judges divergence "
        f"({shown})"
    ]


def ended_nan(ends_nan: frozenset[str], names: Sequence[str]) -> str:
    """Why a run whose last logged point of one of ``names`` is NaN diverged (a tracker that
    logs each metric on its own, TensorBoard): a NaN as a loss's last value is one the run
    logged, not a step where it was not logged, however short that NaN tail is."""
    for name in names:
        if name in ends_nan:
            return f"its last logged {name!r} is nan"
    return ""


def written_nan(cells: Sequence[object] | np.ndarray, rows: Sequence[int]) -> frozenset[int]:
    """The ``rows`` (as the user counts them) whose cell is a NaN written as one: the text
    ``nan`` (any case, as Python and NumPy print a NaN), or a JSON file's ``NaN``, where no
    value is ``null``. A run that logged a NaN loss diverged, as one that logged ``inf``;
    a blank cell is no value. A Parquet file keeps the two apart as well: its null is no
    value (``None``), its NaN a NaN, in a typed column (an array) too."""
    return frozenset(
        row
        for row, cell in zip(rows, as_list(cells), strict=True)
        if (isinstance(cell, str) and cell.strip().lower() == "nan")
        or (isinstance(cell, float) and math.isnan(cell))
    )


def diverged_note(found: Sequence[tuple[str, str]]) -> list[str]:
    """The warning for the ``(run name, reason)`` of runs stored as diverged."""
    if not found:
        return []
    shown = join_more(
        [f"{run!r}: {why}" for run, why in found], 3, sep="; ", what="(extra.diverged)"
    )
    return [
        f"warning: {format_counted(len(found), 'run')} stored with status 'diverged', which fit --store leaves "
        f"out ({shown}); {RULE}"
    ]
