"""A store written under earlier key schemes (a table's row keyed ``<file>::row<k>``, a
TensorBoard run ``<its path below the folder ingested>::<first file>``) ingested again:
each run is found, re-keyed in place and counted once, not stored a second time."""

from __future__ import annotations

import dataclasses
import importlib.util
import shlex
from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli
from tests._ingest_sources import ladder, write_tensorboard

from scalinglab.ingest import ingest
from scalinglab.ingest._convert import ingest_run_id
from scalinglab.store import RunStore, StoredRun

_tensorboard = pytest.mark.skipif(
    importlib.util.find_spec("tensorboard") is None,
    reason="the tensorboard package is the [trackers] extra",
)

_ROWS = [(1e7, 2e8, 4.1), (2e7, 4e8, 3.8), (4e7, 8e8, 3.5), (8e7, 1.6e9, 3.3)]


def _table(path: Path, rows: list[tuple[float, float, float]]) -> Path:
    pd.DataFrame(rows, columns=["params", "tokens", "loss"]).to_csv(path, index=False)
    return path


def _old_table_store(store: Path, table: Path) -> list[str]:
    """``table``'s runs as a version keying rows by their number stored them."""
    runs = [
        StoredRun(
            run_id=ingest_run_id("table", f"{table.name}::row{k}"), name=f"row{k}",
            params=n, tokens=d, flops_6nd=6.0 * n * d, loss=loss,
            extra={"ingested_from": "table"}, source=str(table), source_run_id=f"row{k}",
        )
        for k, (n, d, loss) in enumerate(_ROWS, start=2)
    ]  # fmt: skip
    RunStore(store).put_runs((r, None) for r in runs)
    return [r.run_id for r in runs]


def test_table_rows_stored_by_row_number_are_found_again_and_counted_once(
    tmp_path: Path,
) -> None:
    table, store = _table(tmp_path / "t1.csv", _ROWS), tmp_path / "s.duckdb"
    old_ids = _old_table_store(store, table)
    result = ingest(table, store=store)
    # each only filled in with the column its N was read from (that version did not record it)
    assert len(result.written.filled) == 4 and result.written.added == ()
    assert (
        "4 stored runs keyed as an earlier scalinglab keyed them (a table's row by its "
        "number or all its values, a TensorBoard run by its folder's path) found again: "
        "re-keyed in place, each stored once"
    ) in result.notes
    assert not any("no longer in it" in note for note in result.notes)
    stored = RunStore(store).runs()
    assert sorted(r.name for r in stored) == ["row2", "row3", "row4", "row5"]
    assert not {r.run_id for r in stored} & set(old_ids)  # the current keys now
    assert len(RunStore(store).to_run_table().runs) == 4
    again = ingest(table, store=store)
    assert len(again.written.unchanged) == 4
    assert not any("earlier scalinglab" in note for note in again.notes)


def test_a_row_inserted_above_finds_the_old_rows_by_their_values(tmp_path: Path) -> None:
    table, store = tmp_path / "t1.csv", tmp_path / "s.duckdb"
    _old_table_store(store, _table(table, _ROWS))
    _table(table, [(5e6, 1e8, 4.5), *_ROWS])  # every old row one further down
    result = ingest(table, store=store)
    assert len(result.written.added) == 1 and len(result.written.filled) == 4  # N's column
    assert len(RunStore(store).runs()) == 5


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_a_store_holding_both_keys_says_how_to_remove_the_older_copies(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table, store = _table(tmp_path / "t1.csv", _ROWS), tmp_path / "s.duckdb"
    old_ids = _old_table_store(store, table)
    ingest(table, store=tmp_path / "current.duckdb")
    # both keys, as an ingest by a version without this fix left the store
    RunStore(store).put_runs((r, None) for r in RunStore(tmp_path / "current.duckdb").runs())
    assert len(RunStore(store).runs()) == 8
    result = ingest(table, store=store)
    note = next(n for n in result.notes if "stored twice" in n)
    assert note.startswith(
        "warning: 4 runs are stored twice, also under the key an earlier scalinglab gave "
        "them (an ingest after upgrading added them again), so a fit over the store counts "
        "them twice; `scalinglab runs rm --store "
    )
    assert not any("no longer in it" in n for n in result.notes)
    command = shlex.split(note.split("`")[1])
    code, _, err = cli(capsys, *command[1:])
    assert code == 0, err
    assert sorted(r.name for r in RunStore(store).runs()) == ["row2", "row3", "row4", "row5"]
    assert not {r.run_id for r in RunStore(store).runs()} & set(old_ids)


@_tensorboard
@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_tensorboard_runs_keyed_by_folder_path_are_found_again(tmp_path: Path) -> None:
    root = tmp_path / "exp" / "tb1"
    write_tensorboard(root, ladder(n_sizes=3, ratios=(20.0,)))
    current = tmp_path / "current.duckdb"
    ingest(root, store=current)
    runs, curves = RunStore(current).runs(), RunStore(current).curves()
    old_id = {  # <path below tb1>::<first event file>, as runs were keyed before
        r.run_id: ingest_run_id(
            "tensorboard", f"{r.name}::{min(p.name for p in (root / r.name).iterdir())}"
        )
        for r in runs
    }
    store = tmp_path / "s.duckdb"
    RunStore(store).put_runs_frame(
        [dataclasses.replace(r, run_id=old_id[r.run_id]) for r in runs],
        curves.assign(run_id=curves["run_id"].astype(str).map(old_id)),
    )
    above = ingest(tmp_path / "exp", store=store, kind="tensorboard")  # the folder above
    assert len(above.written.unchanged) == 3 and above.written.added == ()
    assert any(n.startswith("3 stored runs keyed as an earlier") for n in above.notes)
    assert {r.run_id for r in RunStore(store).runs()} == {r.run_id for r in runs}
    assert len(RunStore(store).curves()) == len(curves)


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_a_corpus_read_from_the_dataset_column_since_is_said(tmp_path: Path) -> None:
    table, store = tmp_path / "t1.csv", tmp_path / "s.duckdb"
    pd.DataFrame([(*_ROWS[0], "c4")], columns=["params", "tokens", "loss", "dataset"]).to_csv(
        table, index=False
    )
    n, d, loss = _ROWS[0]
    old = StoredRun(
        run_id=ingest_run_id("table", "t1.csv::row2"), name="row2", params=n, tokens=d,
        flops_6nd=6.0 * n * d, loss=loss, config={"dataset": "c4"},
        extra={"ingested_from": "table"}, source=str(table), source_run_id="row2",
    )  # fmt: skip
    RunStore(store).put_run(old)  # stored before the dataset was the run's corpus too
    result = ingest(table, store=store)
    assert result.written.updated == () and len(result.written.filled) == 1
    assert RunStore(store).runs()[0].corpus == "c4"  # written: the store has it now
    assert (
        "1 stored run filled in with values its stored copy lacked (a column added to "
        "the file, or one an earlier version did not record; nothing that was stored before "
        "changed): row2 "
        "(corpus c4, extra.params_column params)"
    ) in result.notes
    assert not any("replaced by other values" in n for n in result.notes)
    assert result.to_dict()["filled"] == ["row2"] and result.to_dict()["updated"] == []
    (now,) = RunStore(store).runs()  # under the key it has now
    RunStore(store).put_run(dataclasses.replace(now, loss=9.0, corpus=None))
    again = ingest(table, store=store)  # a value it recorded changed too: an update
    assert len(again.written.updated) == 1 and again.written.filled == ()
    assert any("row2 (loss 9 -> 4.1, corpus none -> c4)" in n for n in again.notes)
