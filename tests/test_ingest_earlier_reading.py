"""Rows without a run id, stored as scalinglab 6a96aa4 read and keyed them, ingested again
after upgrading: a state column, values written with ``%`` and a JSON record's nested
objects are read otherwise now, and each changed the values a row is keyed by. The stored
runs are found under the key read the earlier way and re-keyed: none is stored twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.ingest import ingest
from scalinglab.ingest._convert import ingest_run_id
from scalinglab.store import RunStore, StoredRun

_SIZES = [(2e7, 4e8), (5e7, 1e9), (1.25e8, 2.5e9), (3.5e8, 7e9)]
_LOSSES = [4.6, 3.9, 3.4, 3.0]
_EARLIER = (
    "4 stored runs keyed as an earlier scalinglab keyed them (a table's row by its number "
    "or all its values, a TensorBoard run by its folder's path) found again: re-keyed in "
    "place, each stored once"
)


def _old_key(params: float, tokens: float, labels: dict[str, str]) -> str:
    """The key 6a96aa4 gave an unnamed row (``ingest/_row_identity.py: row_keys`` over
    ``identity_columns``): its sizes (flops derived as 6·N·D) as ``repr(float)`` and every
    text label as read, in sorted JSON, and its place among rows alike (each here is one)."""
    values = {
        "params": repr(params),
        "tokens": repr(tokens),
        "flops": repr(6.0 * params * tokens),
        **labels,
    }
    return f"{json.dumps(values, sort_keys=True)}#1"


def _old_store(store: Path, table: Path, labels: list[dict[str, str]], first_row: int) -> None:
    """``table``'s runs as 6a96aa4 stored them: keyed by :func:`_old_key`, labels in config."""
    runs = [
        StoredRun(
            run_id=ingest_run_id("table", f"{table.name}::{_old_key(n, d, label)}"),
            name=f"row{k}", params=n, tokens=d, flops_6nd=6.0 * n * d, loss=loss,
            config=label, extra={"ingested_from": "table"}, source=str(table),
            source_run_id=f"row{k}",
        )
        for k, (n, d), loss, label in zip(
            range(first_row, first_row + 4), _SIZES, _LOSSES, labels, strict=True
        )
    ]  # fmt: skip
    RunStore(store).put_runs((r, None) for r in runs)


def _ingested_again(table: Path, store: Path) -> None:
    result = ingest(table, store=store)
    assert result.written.added == ()
    assert len(result.written.updated) + len(result.written.unchanged) == 4
    assert _EARLIER in result.notes
    assert not any("no longer in it" in note for note in result.notes)
    assert len(RunStore(store).runs()) == 4
    again = ingest(table, store=store)
    assert len(again.written.unchanged) == 4 and again.written.added == ()


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_a_state_column_read_as_a_label_before(tmp_path: Path) -> None:
    table, store = tmp_path / "st.csv", tmp_path / "s.duckdb"
    rows = [f"finished,{n:g},{d:g},{loss}" for (n, d), loss in zip(_SIZES, _LOSSES, strict=True)]
    table.write_text("\n".join(["status,params,tokens,loss", *rows]) + "\n")
    _old_store(store, table, [{"status": "finished"}] * 4, first_row=2)
    _ingested_again(table, store)


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_values_written_with_percent_read_as_text_before(tmp_path: Path) -> None:
    table, store = tmp_path / "pc.csv", tmp_path / "s.duckdb"
    accs = ["30.5%", "35%", "41.5%", "47.25%"]
    rows = [
        f"finished,{n:g},{d:g},{loss},{acc}"
        for (n, d), loss, acc in zip(_SIZES, _LOSSES, accs, strict=True)
    ]
    table.write_text("\n".join(["status,params,tokens,loss,acc_hs", *rows]) + "\n")
    labels = [{"status": "finished", "acc_hs": acc} for acc in accs]
    _old_store(store, table, labels, first_row=2)
    _ingested_again(table, store)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_nested_json_objects_read_as_one_cell_before(tmp_path: Path) -> None:
    table, store = tmp_path / "nj.jsonl", tmp_path / "s.duckdb"
    records = [
        {"params": n, "tokens": d, "loss": loss, "config": {"lr": 1e-3, "opt": "adam"},
         "eval": {"acc": 0.3 + k / 100}}
        for k, ((n, d), loss) in enumerate(zip(_SIZES, _LOSSES, strict=True))
    ]  # fmt: skip
    table.write_text("".join(json.dumps(r) + "\n" for r in records))
    labels = [{"config": str(r["config"]), "eval": str(r["eval"])} for r in records]
    _old_store(store, table, labels, first_row=1)
    _ingested_again(table, store)
    stored = {r.name: r for r in RunStore(store).runs()}
    assert stored["row1"].config == {"config.opt": "adam"}  # as read now
