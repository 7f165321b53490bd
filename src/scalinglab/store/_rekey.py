"""Stored runs given the key the current version computes for them, in place.

A key scheme that changes (a table's row keyed by its values, not its row number; a
TensorBoard run by its first event file, not its folder's path) would otherwise store every
run a second time at the next ingest. A run found under its old key is re-keyed in the same
write that compares it: its curve and evaluations follow it, and its content hash (which
covers the key) is taken again, so an unchanged run stays unchanged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from scalinglab.store._curve_match import frame_columns
from scalinglab.store._curves import curve_hash, legacy_curve_hash
from scalinglab.store._reader import row_to_run

__all__ = ["rekey_runs"]


def _new_hashes(con: Any, mapping: Mapping[str, str]) -> pd.DataFrame:
    """``old``, ``new`` and the content hash of each re-keyed run under its new key: the
    stored hash taken again with the curve hash it was taken with (kept as stored where
    none reproduces it: the run is then compared as changed, never lost)."""
    rows = con.execute("SELECT r.* FROM runs r JOIN rekeyed k ON r.run_id = k.old").df()
    points = con.execute(
        "SELECT c.* FROM curves c JOIN rekeyed k ON c.run_id = k.old ORDER BY run_id, step"
    ).df()
    by_run = {str(k): v for k, v in points.groupby("run_id", sort=False)} if len(points) else {}
    out = []
    for row in rows.to_dict("records"):
        run, digest = row_to_run(row), str(row["content_hash"])
        found = by_run.get(run.run_id)
        curve = None if found is None else frame_columns(found)
        new = mapping[run.run_id]
        for curve_digest in dict.fromkeys((curve_hash(curve), legacy_curve_hash(curve))):
            if run.content_hash(curve_digest) == digest:
                digest = replace(run, run_id=new).content_hash(curve_digest)
                break
        out.append((run.run_id, new, digest))
    return pd.DataFrame(out, columns=["old", "new", "content_hash"], dtype=object)


def rekey_runs(con: Any, mapping: Mapping[str, str]) -> None:
    """Store each run ``old`` of ``mapping`` (stored id -> new id) as ``new``, with its
    curve and evaluations, in the open write ``con``; a new id must not be stored."""
    if not mapping:
        return
    keys = pd.DataFrame({"old": list(mapping), "new": list(mapping.values())}, dtype=object)
    con.register("rekeyed", keys)
    con.register("rekeyed_hashes", _new_hashes(con, mapping))
    con.execute(
        "UPDATE runs SET run_id = h.new, content_hash = h.content_hash "
        "FROM rekeyed_hashes h WHERE runs.run_id = h.old"
    )
    for table in ("curves", "evals"):
        con.execute(
            f"UPDATE {table} SET run_id = k.new FROM rekeyed k WHERE {table}.run_id = k.old"
        )
    con.unregister("rekeyed")
    con.unregister("rekeyed_hashes")
