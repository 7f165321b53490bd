"""Runs stored again as another export writes them: the same values, other spelling.

A tracker's exports of one run differ in form, not in content: W&B's run-table CSV joins
nested config keys with ``.`` and puts summary metrics among the config columns, and reads
``1e7`` back as a float, while its API's JSON nests the config (flattened with ``/``),
keeps the summary apart and keeps integers. The run's store key is the same (the tracker's
run id), so a content hash of the exact fields called such a run ``updated``; compared in
the form below it is unchanged, and a changed value still differs.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from scalinglab.data._units import parse_cell
from scalinglab.store._reader import row_to_run
from scalinglab.store._record import FOLDER, StoredRun, canonical_json

__all__ = ["normal_form", "respelled"]

_SKIP = frozenset({"status", "source", "config", "extra"})  # status: compared apart


def _name(key: Any) -> str:
    return str(key).replace(".", "/")


def _value(value: Any) -> Any:
    """Numbers as floats (``10000000`` = ``1e7``), numeric text as its number (``"1e-3"``,
    and ``"6.8B"``: W&B keeps a config's text while its run table also lists the number)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        parsed = parse_cell(value)
        if parsed is None:
            return value
        return parsed[0] if math.isfinite(parsed[0]) else value
    return value


def _merge(into: dict[str, Any], items: Mapping[str, Any]) -> bool:
    """Add ``items`` under their normal names; ``False`` if one name then holds two values."""
    for key, value in items.items():
        name, normal = _name(key), _value(value)
        if into.setdefault(name, normal) != normal:
            return False
    return True


def normal_form(run: StoredRun) -> str | None:
    """The run's content less its spelling and its ``source``: config and reported metrics
    as one mapping of ``/``-separated names, numbers as floats. ``None`` where two names
    become one with two values (``a.b`` and ``a/b``): such a run is compared exactly."""
    data = {k: v for k, v in run.to_dict().items() if k not in _SKIP}
    extra = dict(run.extra)
    extra.pop(FOLDER, None)  # where it was read, as the source (skipped) is
    values: dict[str, Any] = {}
    metrics = extra.pop("metrics", None)
    if not _merge(values, run.config) or not _merge(values, metrics or {}):
        return None
    mapping = extra.pop("mapping", None)
    if isinstance(mapping, Mapping):  # the source's names the quantities were read from
        extra["mapping"] = {str(k): _name(v) for k, v in mapping.items()}
    data["values"] = values
    data["extra"] = {str(k): _value(v) for k, v in extra.items()}
    return canonical_json(data)


def respelled(con: Any, incoming: list[tuple[StoredRun, str, str]]) -> set[str]:
    """The ``run_id`` of each incoming run whose stored run holds the same values in
    another spelling, the same status and the same curve.

    Args:
        con: An open store connection.
        incoming: ``(run, its curve hash, the stored "content_hash|status")`` of runs stored
            under their key with another content hash.
    """
    if not incoming:
        return set()
    given = {run.run_id: (run, curve, state) for run, curve, state in incoming}
    con.register("respelled_keys", pd.DataFrame({"run_id": list(given)}))
    rows = con.execute("SELECT r.* FROM runs r JOIN respelled_keys USING (run_id)").df()
    same: set[str] = set()
    for row in rows.to_dict("records"):
        stored = row_to_run(row)
        run, curve, state = given[stored.run_id]
        # the stored hash again from the stored fields with this curve: the curve and the
        # status are the stored ones (and a row whose hash is not reproduced is not "same")
        if state != f"{stored.content_hash(curve)}|{run.status}":
            continue
        form = normal_form(run)
        if form is not None and form == normal_form(stored):
            same.add(run.run_id)
    return same
