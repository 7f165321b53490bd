"""A NaN loss written as such in a run table (``nan``, ``NaN``; a JSON file's ``NaN``; a
Parquet file's NaN value) is a run that diverged, as an ``inf`` one: ingest stores it with
status ``diverged``; a blank cell (JSON's ``null``, Parquet's null) is no value and its run
is skipped. ``read_runs`` and ``fit`` read both as
before: refused naming ``--drop-outliers``, or dropped with it."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab import DataError, read_runs
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: name, params, loss as written (tokens are 20 per parameter).
ROWS = [
    ("a", 1e7, "4.0"), ("b", 2e7, "nan"), ("c", 4e7, "3.5"), ("d", 8e7, ""),
    ("e", 1.6e8, "3.0"), ("f", 3.2e8, "inf"), ("g", 6.4e8, "NaN"), ("h", 1.28e9, "2.6"),
]  # fmt: skip


def _csv(path: Path) -> Path:
    lines = ["name,params,tokens,loss", *(f"{n},{p:g},{20 * p:g},{v}" for n, p, v in ROWS)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_written_nan_is_stored_diverged_and_a_blank_is_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path, store = _csv(tmp_path / "runs.csv"), tmp_path / "s.duckdb"
    code, out, err = cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0, err
    text = " ".join(out.split())
    assert "7 added, 1 skipped" in text
    assert (
        "warning: 3 runs stored with status 'diverged', which fit --store leaves out ('b': "
        "its reported 'loss' is nan; 'f': its reported 'loss' is inf; 'g': its reported 'loss' "
        "is nan)"
    ) in text
    assert "note: skipped d: no value of 'loss' (row 5: missing or NaN)" in text
    stored = {r.name: r for r in RunStore(store).runs()}
    assert {n: r.status for n, r in stored.items() if r.status != "finished"} == {
        "b": "diverged", "f": "diverged", "g": "diverged",
    }  # fmt: skip
    assert stored["b"].extra["non_finite"] == {"loss": "nan"} and stored["b"].loss is None
    assert stored["b"].extra["diverged"] == "its reported 'loss' is nan"
    code, out, _ = cli(capsys, "ingest", str(path), "--store", str(store))
    assert code == 0 and "7 unchanged, 1 skipped (nothing new)" in out  # found again alike


def test_a_json_nan_is_written_and_its_null_is_not(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    values = [4.0, float("nan"), 3.5, None, 3.0, 2.8, 2.7, 2.6]
    records = [
        {"name": n, "params": p, "tokens": 20 * p, "loss": v}
        for (n, p, _), v in zip(ROWS, values, strict=True)
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert [name for name, _ in result.skipped] == ["d"]
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored["b"] == "diverged" and "d" not in stored


@pytest.mark.parametrize("null", [True, False], ids=["beside a null", "alone"])
def test_a_parquet_nan_is_written_and_its_null_is_not(tmp_path: Path, null: bool) -> None:
    """Arrow keeps a null apart from a NaN: the NaN is stored diverged, in a column that
    holds a null too or in one of numbers alone (which is read as one typed array)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = [4.0, float("nan"), 3.5, None if null else 3.2, 3.0, 2.8, 2.7, 2.6]
    path = tmp_path / "runs.parquet"
    pq.write_table(pa.table({
        "name": [n for n, _, _ in ROWS], "params": [p for _, p, _ in ROWS],
        "tokens": [20 * p for _, p, _ in ROWS],
        "loss": pa.array(values, pa.float64(), from_pandas=False),
    }), path)  # fmt: skip
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert [name for name, _ in result.skipped] == (["d"] if null else [])
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert {n: s for n, s in stored.items() if s != "finished"} == {"b": "diverged"}
    assert ("d" in stored) is not null


def test_fit_reads_a_written_nan_as_before(tmp_path: Path) -> None:
    path = _csv(tmp_path / "runs.csv")
    with pytest.raises(DataError) as info:
        read_runs(path)
    said = str(info.value)
    assert "run 'b' (row 3): loss is missing or NaN" in said
    assert "run 'g' (row 8): loss is missing or NaN" in said
    assert "--drop-outliers" in info.value.hint
    kept = read_runs(path, drop_outliers=True)
    assert kept.runs == ("a", "c", "e", "h")
    np.testing.assert_allclose(kept["loss"], [4.0, 3.5, 3.0, 2.6])
