"""A curve given again is compared by value, not by its bits: another export of the same
history (JSON's rounded floats) leaves a stored run unchanged, in a store hashed the older
way (raw bytes) too; a curve that changed names its run's first step that differs."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from scalinglab.store import RunStore, StoredRun
from scalinglab.store._curves import curve_columns, legacy_curve_hash


def _runs() -> list[tuple[StoredRun, pd.DataFrame]]:
    steps = np.arange(0, 4096, 64)
    out = []
    for k in range(3):
        lr = 3e-4 * (0.1 + 0.9 * np.cos(np.pi * steps / 8192) ** 2)
        curve = pd.DataFrame({"step": steps, "lr": lr, "train_loss": 3 + k / 7 + 1 / (1 + steps)})
        run = StoredRun(run_id=f"r{k}", name=f"m{k}", params=1e7 * (k + 1), tokens=4e8,
                        loss=float(curve["train_loss"].iloc[-1]), source="export.parquet")  # fmt: skip
        out.append((run, curve))
    return out


def _as_json_export(curve: pd.DataFrame) -> pd.DataFrame:
    """What pandas.to_json wrote and read back: 10 decimals (lr 1e-6 off), last bits off."""
    text = curve.to_json(orient="records", lines=True)
    again = pd.read_json(pd.io.common.StringIO(text), lines=True)
    assert not np.array_equal(again["lr"].to_numpy(), curve["lr"].to_numpy())
    return again


def test_another_export_of_the_same_curves_is_unchanged(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    items = _runs()
    assert len(store.put_runs(items).added) == 3
    again = store.put_runs([(run, _as_json_export(curve)) for run, curve in items])
    assert len(again.unchanged) == 3 and not again.updated
    assert store.put_runs(items).unchanged == ("r0", "r1", "r2")


def test_a_store_hashed_the_older_way_finds_its_runs_unchanged(tmp_path: Path) -> None:
    """A store whose content hashes were taken over the curves' raw bytes (before curves were
    hashed at 12 digits): the same curves, and another export of them, are unchanged."""
    path = tmp_path / "old.duckdb"
    store = RunStore(path)
    items = _runs()
    store.put_runs(items)
    con = duckdb.connect(str(path))
    for run, curve in items:  # as the older scheme stored them
        old = run.content_hash(legacy_curve_hash(curve_columns(run.run_id, curve)))
        con.execute("UPDATE runs SET content_hash = ? WHERE run_id = ?", [old, run.run_id])
    con.close()
    assert store.put_runs(items).unchanged == ("r0", "r1", "r2")
    again = store.put_runs([(run, _as_json_export(curve)) for run, curve in items])
    assert again.unchanged == ("r0", "r1", "r2") and not again.updated


def test_a_changed_curve_names_its_run_and_first_step(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    items = _runs()
    store.put_runs(items)
    run, curve = items[1]
    changed = curve.copy()
    changed.loc[changed["step"] >= 1024, "train_loss"] += 0.01
    written = store.put_runs([(run, changed)])
    assert written.updated == ("r1",)
    assert curve.loc[curve["step"] == 1024, "train_loss"].iloc[0] == 3 + 1 / 7 + 1 / 1025
    assert written.curve_changes == (("r1", "curve from step 1024: train_loss 3.14 -> 3.15"),)
