"""A large write loads the curves without the key and keys them once afterwards: the store it
leaves holds the same rows and refuses a duplicate point like one written row by row; and the
check every command does first reads every data block, so damage inside one is refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from scalinglab import StoreError
from scalinglab.store import RunStore, StoredRun
from scalinglab.store import _curves as curves_module


def _items(ids: range, points: int, shift: float = 0.0) -> list[tuple[StoredRun, pd.DataFrame]]:
    items = []
    for k in ids:
        run = StoredRun(run_id=f"r{k}", name=f"r{k}", params=1e6 * (k + 1), tokens=2e7, loss=3.0)
        step = np.append(np.arange(points)[::-1], 0)  # out of order, step 0 logged twice
        loss = shift + k + step / 7
        curve = pd.DataFrame(
            {"step": step, "tokens": 1e3 * step, "lr": 1e-3, "train_loss": loss, "eval_loss": loss}
        )
        items.append((run, curve))
    return items


def _write_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[RunStore, RunStore]:
    """The same writes into two stores: one row by row into the keyed table, one bulk."""
    stores = []
    for name, bulk_rows in (("rows", 10**12), ("bulk", 1)):
        monkeypatch.setattr(curves_module, "BULK_ROWS", bulk_rows)
        store = RunStore(tmp_path / f"{name}.duckdb")
        store.put_runs(_items(range(6), 50))
        store.put_runs(_items(range(4, 10), 80, shift=1.0))  # two runs replaced, four new
        stores.append(store)
    return stores[0], stores[1]


def test_bulk_and_row_writes_leave_the_same_keyed_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows, bulk = _write_both(tmp_path, monkeypatch)
    got = bulk.curves()
    pd.testing.assert_frame_equal(got, rows.curves())
    assert len(got) == 4 * 50 + 6 * 80
    r5 = got[got["run_id"] == "r5"]  # replaced: the second write's curve, by step, once each
    assert r5["step"].tolist() == list(range(80))
    np.testing.assert_allclose(r5["train_loss"], 1.0 + 5 + np.arange(80) / 7)
    con = duckdb.connect(str(bulk.path))
    keys = con.execute(
        "SELECT constraint_text FROM duckdb_constraints() "
        "WHERE table_name = 'curves' AND constraint_type = 'PRIMARY KEY'"
    ).fetchall()
    assert keys == [("PRIMARY KEY(run_id, step)",)]
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO curves (run_id, step) VALUES ('r0', 3)")
    assert {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()} == {
        "meta",
        "runs",
        "curves",
        "evals",
    }
    con.close()


def test_a_small_write_into_a_large_store_does_not_rebuild_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(curves_module, "BULK_ROWS", 1)
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(_items(range(10), 100))
    statements: list[str] = []
    real = curves_module.create_curves
    monkeypatch.setattr(
        curves_module, "create_curves", lambda con, name, **kw: statements.append(name)
    )
    store.put_runs(_items(range(10, 11), 100))  # 100 new rows against 1,000 stored
    assert statements == []
    monkeypatch.setattr(curves_module, "create_curves", real)
    assert store.counts()["curve_points"] == 1100


def _data_block_offset(path: Path) -> int:
    """Where, in the file, a data block of the curves' ``train_loss`` column starts."""
    con = duckdb.connect(str(path), read_only=True)
    block_size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
    block = con.execute(
        "SELECT min(block_id) FROM pragma_storage_info('curves') "
        "WHERE column_name = 'train_loss' AND segment_type = 'DOUBLE' AND persistent"
    ).fetchone()[0]
    con.close()
    assert block is not None and block >= 0
    return 3 * 4096 + int(block) * int(block_size)  # three 4 KiB headers, then the blocks


def test_damage_inside_a_data_block_is_refused_by_readers(tmp_path: Path) -> None:
    store = RunStore(tmp_path / "s.duckdb")
    store.put_runs(_items(range(40), 5000))
    offset = _data_block_offset(store.path)
    with open(store.path, "r+b") as handle:
        handle.seek(offset + 4096)
        handle.write(b"\xa5" * 64)
    with pytest.raises(StoreError, match="the run store is corrupt"):
        store.check()
    with pytest.raises(StoreError, match="the run store is corrupt"):
        store.runs_frame()  # reads only the runs table, but the check covers the whole file
