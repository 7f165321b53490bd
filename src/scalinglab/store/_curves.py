"""Loss curves on their way into the store: canonical columns, content hashes, Arrow batches.

A curve is hashed from its canonical float64 columns in step order, so a re-ingest of the same
points finds the same hash whichever path (one frame per run, or one long frame) wrote it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab._format import noun_for
from scalinglab.store._record import CURVE_COLUMNS
from scalinglab.store._tables import add_curves_key, create_curves

__all__ = [
    "Columns",
    "batches",
    "check_curve_columns",
    "curve_column",
    "curve_columns",
    "curve_hash",
    "curves_arrow",
    "legacy_curve_hash",
    "run_codes",
    "run_step_order",
    "write_curves",
]

Columns = dict[str, np.ndarray]

#: Curve rows handed to DuckDB per INSERT: memory stays flat however many runs are written.
BATCH_ROWS = 1_000_000
#: From this many new rows (and at least as many as the store keeps) the curves table is
#: rebuilt and keyed once after the load, instead of keyed row by row during it.
BULK_ROWS = 200_000


def check_curve_columns(columns: Iterable[Any], *, prefix: str = "") -> None:
    """Refuse a column a curve does not have (``run_id`` aside); ``prefix`` leads the message.

    Raises:
        ConfigError: Naming the unknown columns.
    """
    unknown = sorted(set(columns) - {"run_id", *CURVE_COLUMNS})
    if unknown:
        raise ConfigError(
            f"{prefix}unknown curve {noun_for(len(unknown), 'column')} {', '.join(map(str, unknown))}",
            hint=f"a curve has the columns {', '.join(CURVE_COLUMNS)}",
        )


def curve_columns(run_id: str, curve: pd.DataFrame) -> Columns:
    """The curve's canonical columns as float64/int64 arrays, sorted by step."""
    if "step" not in curve.columns:
        raise ConfigError(f"run {run_id!r}: a curve needs a 'step' column")
    check_curve_columns(curve.columns, prefix=f"run {run_id!r}: ")
    step = curve["step"].to_numpy()
    if not np.issubdtype(step.dtype, np.number) or not np.all(np.isfinite(step)):
        raise ConfigError(f"run {run_id!r}: curve steps must be finite numbers")
    steps = step.astype(np.int64)
    order = np.argsort(steps, kind="stable")
    # a step logged twice (a resumed run) keeps its last value: the store holds it once
    order = order[np.append(steps[order][1:] != steps[order][:-1], True)]
    out: Columns = {"step": steps[order]}
    for name in CURVE_COLUMNS[1:]:
        if name in curve.columns:
            values = pd.to_numeric(curve[name], errors="coerce").to_numpy(dtype=np.float64)
            out[name] = values[order]
        else:
            out[name] = np.full(len(order), np.nan)
    return out


def run_codes(ids: Sequence[str], column: pd.Series) -> np.ndarray:
    """Position in ``ids`` of each row's run (-1 for none); cheap for a categorical column."""
    index = pd.Index(ids)
    if isinstance(column.dtype, pd.CategoricalDtype):
        of_category = np.append(index.get_indexer(column.cat.categories), -1)
        return of_category[column.cat.codes.to_numpy()]  # code -1 (missing) maps to -1
    return index.get_indexer(pd.Index(column))


def run_step_order(codes: np.ndarray, curves: pd.DataFrame) -> np.ndarray | None:
    """Rows by run, then by step, a step logged twice kept once (its last row), as
    :func:`curve_columns` orders one run's curve (so content hashes agree); ``None`` when
    the frame is already in that order."""
    raw = curves["step"].to_numpy()
    if not np.issubdtype(raw.dtype, np.number) or not np.all(np.isfinite(raw)):
        raise ConfigError("curve steps must be finite numbers")
    step = raw.astype(np.int64, copy=False)
    same_run = codes[1:] == codes[:-1]
    if np.all(codes[1:] >= codes[:-1]) and np.all(~same_run | (step[1:] > step[:-1])):
        return None
    by_step = np.argsort(step, kind="stable")
    order = by_step[np.argsort(codes[by_step], kind="stable")]
    c, s = codes[order], step[order]
    kept: np.ndarray = order[np.append((c[1:] != c[:-1]) | (s[1:] != s[:-1]), True)]
    return kept


def curve_column(curves: pd.DataFrame, name: str, order: np.ndarray | None) -> np.ndarray:
    if name == "step":
        values = curves["step"].to_numpy().astype(np.int64, copy=False)
    elif name not in curves.columns:
        return np.full(len(curves), np.nan)
    elif curves[name].dtype == np.float64:
        values = curves[name].to_numpy()  # a view: no copy of millions of rows
    else:
        values = pd.to_numeric(curves[name], errors="coerce").to_numpy(dtype=np.float64)
    return values if order is None else values[order]


#: Significant digits a curve is hashed at. Another export of the same history differs in
#: the last bits (JSON prints 15-17 digits, Parquet keeps the float64); 12 digits still
#: tell any two float32 values apart (9 do), and no fit sees a change below 1e-12.
DIGITS = 12


def curve_hash(columns: Columns | None) -> str:
    """The curve's hash at :data:`DIGITS` significant digits: another export of the same
    points finds the same hash (a value on a rounding edge is compared by value, in
    :mod:`~scalinglab.store._curve_match`)."""
    if columns is None or len(columns["step"]) == 0:
        return ""
    stacked = np.stack([_rounded(columns[name].astype(np.float64)) for name in CURVE_COLUMNS])
    # "v2": never the hash of the raw bytes below, whatever the values
    digest = hashlib.sha256(b"v2" + np.ascontiguousarray(stacked).tobytes())
    return digest.hexdigest()[:32]


def legacy_curve_hash(columns: Columns | None) -> str:
    """The hash of the curve's raw float64 bytes, as stores written before :data:`DIGITS`
    hashed it: a run stored then is found unchanged by it."""
    if columns is None or len(columns["step"]) == 0:
        return ""
    stacked = np.stack([columns[name].astype(np.float64) for name in CURVE_COLUMNS])
    return hashlib.sha256(np.ascontiguousarray(stacked).tobytes()).hexdigest()[:32]


def _rounded(values: np.ndarray) -> np.ndarray:
    """``values`` at :data:`DIGITS` significant digits, NaN as one NaN, -0.0 as 0.0."""
    finite = np.isfinite(values) & (values != 0)
    out = np.where(np.isnan(values), np.nan, values + 0.0)
    if finite.any():
        x = values[finite]
        scale = 10.0 ** np.clip(DIGITS - 1 - np.floor(np.log10(np.abs(x))), -290, 290)
        out[finite] = np.round(x * scale) / scale
    return out


def curves_arrow(run_ids: Sequence[str], curves: Sequence[Columns]) -> Any:
    """One Arrow table of all curves: DuckDB reads it without a per-row string conversion."""
    import pyarrow as pa

    lengths = np.array([len(c["step"]) for c in curves], dtype=np.int64)
    keys = pa.DictionaryArray.from_arrays(
        pa.array(np.repeat(np.arange(len(curves), dtype=np.int32), lengths)),
        pa.array(list(run_ids), type=pa.string()),
    )
    data = {"run_id": keys.cast(pa.string())}
    for name in CURVE_COLUMNS:
        data[name] = pa.array(np.concatenate([c[name] for c in curves]))
    return pa.table(data)


def batches(lengths: Sequence[int], size: int) -> list[tuple[int, int]]:
    """``(lo, hi)`` ranges of consecutive items whose lengths add up to about ``size``."""
    out, lo, total = [], 0, 0
    for k, n in enumerate(lengths):
        total += n
        if total >= size:
            out.append((lo, k + 1))
            lo, total = k + 1, 0
    if lo < len(lengths):
        out.append((lo, len(lengths)))
    return out


def write_curves(con: Any, run_ids: Sequence[str], curves: Sequence[Columns]) -> None:
    """Replace the stored curves of ``run_ids`` with ``curves`` (deduplicated, by step).

    ``con`` writes a copy of the store that replaces it only when the whole write succeeded,
    so each statement may commit to the copy. A large load goes into a table without the
    key, which is added afterwards in one pass (a duplicate point still fails the write); a
    small one is inserted into the keyed table, not worth rebuilding a large store for.
    """
    con.register("replaced", pd.DataFrame({"run_id": list(run_ids)}))
    n_new = sum(len(c["step"]) for c in curves)
    row = con.execute("SELECT count(*) FROM curves").fetchone()
    stored = int(row[0]) if row else 0
    bulk = n_new >= BULK_ROWS and n_new >= stored
    target = "curves_next" if bulk else "curves"
    if bulk:
        create_curves(con, target, keyed=False)
        if stored:
            con.execute(
                f"INSERT INTO {target} SELECT c.* FROM curves c "
                "ANTI JOIN replaced r ON c.run_id = r.run_id"
            )
    else:
        con.execute("DELETE FROM curves WHERE run_id IN (SELECT run_id FROM replaced)")
    for lo, hi in batches([len(c["step"]) for c in curves], BATCH_ROWS):
        con.register("incoming_curves", curves_arrow(run_ids[lo:hi], curves[lo:hi]))
        con.execute(f"INSERT INTO {target} SELECT * FROM incoming_curves")
        con.unregister("incoming_curves")
    if bulk:
        con.execute("DROP TABLE curves")
        con.execute(f"ALTER TABLE {target} RENAME TO curves")
        add_curves_key(con, "curves")
