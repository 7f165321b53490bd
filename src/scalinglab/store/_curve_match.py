"""A curve given again, compared with the stored one by value, not by its bits.

Two exports of one run's history differ in the last bits of their floats: a JSON writer
prints each number in at most 17 (pandas: 15) significant digits, Parquet keeps all of
them. A content hash is taken at :data:`DIGITS` significant digits
(:func:`~scalinglab.store._curves.curve_hash`), so such exports agree; where a value falls
on a rounding edge, or the store hashed curves the older way (their raw bytes), the hashes
differ, and the curves are compared point by point here: the same values are the same
curve (and the run is unchanged); other values name the first step that differs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._format import format_g, format_quantity
from scalinglab.store._copies import RTOL as COPIES_RTOL
from scalinglab.store._curves import Columns, curve_hash, legacy_curve_hash
from scalinglab.store._kept_curve import with_stored_curve
from scalinglab.store._reader import row_to_run
from scalinglab.store._record import CURVE_COLUMNS, StoredRun

__all__ = [
    "Matched",
    "first_difference",
    "frame_columns",
    "match_stored_curves",
    "old_to_new",
    "same_curve",
]

#: Tolerance of a point's values, relative to the largest of its column in either curve:
#: float32 precision, as copies of a run are compared (:data:`~scalinglab.store._copies.RTOL`).
#: Exports round more than their last bits: pandas' JSON writer keeps 10 decimals, so an lr
#: of 3e-5 comes back 1.6e-6 off, yet 1e-10 of the run's peak lr of 3e-4.
RTOL = COPIES_RTOL


@dataclass(frozen=True)
class Matched:
    """What the stored curves of runs given again say.

    Attributes:
        curve_hashes: ``run_id`` -> the hash the stored run's content hash was taken with,
            for a run whose stored curve holds the given curve's values: compared with it,
            the run is unchanged (or moved, or respelled) as its fields say.
        run_hashes: ``run_id`` -> the given run's content hash with that curve hash.
        changes: ``run_id`` -> where its given curve first differs from the stored one.
        compared: ``run_id`` -> the given run as compared with the stored one, where that
            is not the run given: one brought without a curve, with the stored final-value
            rule and curve names (:func:`~scalinglab.store._kept_curve.with_stored_curve`).
    """

    curve_hashes: dict[str, str]
    run_hashes: dict[str, str]
    changes: dict[str, str]
    compared: dict[str, StoredRun]


def match_stored_curves(
    con: Any,
    runs: Sequence[StoredRun],
    curves: Sequence[Columns | None],
    hashes: Sequence[str],
    stored: Mapping[str, str],
) -> Matched:
    """Compare the curves of runs stored under their key with another content hash.

    Args:
        con: An open store connection.
        runs: The runs given.
        curves: Their curves (``None``: none given, the stored one kept).
        hashes: Their content hashes.
        stored: ``run_id`` -> ``"content_hash|status"`` of the stored runs.
    """
    # a run given without a curve keeps its stored one: compared with it too, so a table
    # ingested again without its --history is unchanged, not "replaced by other values"
    given = {
        run.run_id: (curve, stored[run.run_id].rsplit("|", 1)[0])
        for run, curve, digest in zip(runs, curves, hashes, strict=True)
        if run.run_id in stored and stored[run.run_id] != f"{digest}|{run.status}"
    }
    if not given:
        return Matched({}, {}, {}, {})
    con.register("matched_keys", pd.DataFrame({"run_id": list(given)}))
    rows = con.execute("SELECT r.* FROM runs r JOIN matched_keys USING (run_id)").df()
    points = con.execute(
        "SELECT c.* FROM curves c JOIN matched_keys USING (run_id) ORDER BY run_id, step"
    ).df()
    con.unregister("matched_keys")
    by_run = {str(k): v for k, v in points.groupby("run_id", sort=False)} if len(points) else {}
    hashes_of: dict[str, str] = {}
    changes: dict[str, str] = {}
    by_id = {run.run_id: run for run in runs if run.run_id in given}
    compared: dict[str, StoredRun] = {}
    for row in rows.to_dict("records"):
        run_id = str(row["run_id"])
        curve, stored_hash = given[run_id]
        found = by_run.get(run_id)
        if found is None:
            if curve is not None:
                changes[run_id] = "curve: none was stored"
            continue
        old = frame_columns(found)
        before = row_to_run(row)
        if curve is None:
            unmatched = _unmatched_end(before, by_id[run_id], old)
            if unmatched:
                changes[run_id] = unmatched
            kept = with_stored_curve(before, by_id[run_id])
            if kept is not by_id[run_id]:
                compared[run_id] = by_id[run_id] = kept
        elif not same_curve(old, curve):
            changes[run_id] = first_difference(old, curve)
            continue
        for digest in (curve_hash(old), legacy_curve_hash(old)):
            if before.content_hash(digest) == stored_hash:  # the hash the run was stored with
                hashes_of[run_id] = digest
                break
    run_hashes = {i: by_id[i].content_hash(h) for i, h in hashes_of.items()}
    return Matched(hashes_of, run_hashes, changes, compared)


def _end(curve: Columns, name: str) -> tuple[str, float] | None:
    """The curve's last value of ``name`` (``loss``: its eval loss, else its training
    loss), with the column it came from; ``None`` where the curve logs none."""
    for column in ("eval_loss", "train_loss") if name == "loss" else (name,):
        values = curve[column][np.isfinite(curve[column])]
        if len(values):
            return column, float(values[-1])
    return None


def _unmatched_end(old: StoredRun, new: StoredRun, curve: Columns) -> str | None:
    """A run given without a curve keeps its stored curve: where its stored loss was that
    curve's end and the new one is not, what the curve ends at (the two now disagree)."""
    out = []
    for name in ("loss", "train_loss"):
        end, was, now = _end(curve, name), getattr(old, name), getattr(new, name)
        if end is None or was is None or now is None:
            continue
        near = [abs(v - end[1]) <= RTOL * abs(end[1]) for v in (was, now)]
        if near[0] and not near[1]:
            out.append(f"{end[0]} {format_g(end[1])}, unlike the new {name}")
    if not out:
        return None
    return f"its stored curve, kept (none given), ends at {' and '.join(out)}"


def frame_columns(frame: pd.DataFrame) -> Columns:
    """A stored curve's rows (one run's, in step order) as its canonical columns."""
    out: Columns = {"step": frame["step"].to_numpy(dtype=np.int64)}
    for name in CURVE_COLUMNS[1:]:
        out[name] = pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64)
    return out


def _close(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Point by point: the same to :data:`RTOL` of the column's scale, or both missing."""
    with np.errstate(invalid="ignore"):
        scale = max(np.nanmax(np.abs(a), initial=0.0), np.nanmax(np.abs(b), initial=0.0))
        near = np.abs(a - b) <= RTOL * scale
    out: np.ndarray = near | (np.isnan(a) & np.isnan(b))
    return out


def same_curve(a: Columns, b: Columns) -> bool:
    """Whether two curves log the same steps with the same values (to :data:`RTOL`)."""
    if not np.array_equal(a["step"], b["step"]):
        return False
    return all(bool(_close(a[name], b[name]).all()) for name in CURVE_COLUMNS[1:])


def first_difference(old: Columns, new: Columns) -> str:
    """Where ``new`` first differs from ``old``: the step, and the value there
    (``curve from step 1024: train_loss 3.0412 -> 3.0398``)."""
    only_old = np.setdiff1d(old["step"], new["step"])
    only_new = np.setdiff1d(new["step"], old["step"])
    steps, i_old, i_new = np.intersect1d(old["step"], new["step"], return_indices=True)
    first: tuple[int, str] | None = None
    for name in CURVE_COLUMNS[1:]:
        a, b = old[name][i_old], new[name][i_new]
        bad = np.flatnonzero(~_close(a, b))
        if len(bad) and (first is None or steps[bad[0]] < first[0]):
            k = bad[0]
            first = (int(steps[k]), f"{name} {old_to_new(a[k], b[k], name)}")
    if len(only_old) and (first is None or only_old[0] < first[0]):
        first = (int(only_old[0]), "not in the new curve")
    if len(only_new) and (first is None or only_new[0] < first[0]):
        first = (int(only_new[0]), "not in the stored curve")
    if first is None:
        return "curve: the same values"
    return f"curve from step {first[0]}: {first[1]}"


def old_to_new(old: object, new: object, name: str) -> str:
    """``old -> new`` in as few digits as tell them apart (``3.0582 -> 3.0554``, not the
    ``3.06 -> 3.06`` of a table's rounding); text as it is."""
    numbers = [
        float(v) if isinstance(v, int | float | np.number) and not isinstance(v, bool) else None
        for v in (old, new)
    ]
    if None in numbers or not all(np.isfinite(x) for x in numbers):  # type: ignore[arg-type]
        return f"{_text(old)} -> {_text(new)}"
    a, b = numbers
    shown = (format_quantity(a, name), format_quantity(b, name))  # type: ignore[arg-type]
    for digits in (5, 7, 9, 12, 17):
        if shown[0] != shown[1] or a == b:
            break
        shown = (f"{a:.{digits}g}", f"{b:.{digits}g}")
    return f"{shown[0]} -> {shown[1]}"


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "none"
    return str(value)
