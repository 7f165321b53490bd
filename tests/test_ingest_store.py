"""Ingest into the run store: idempotent, provenance kept, conflicts reported, one
transaction, and the fit over ingested runs recovers the law the runs were made from."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests._hashes import unchanged
from tests._ingest_sources import TRUTH, expected, ladder, wandb_history, wandb_table

import scalinglab
from scalinglab import ConfigError, DataError, StoreError
from scalinglab.cli import main
from scalinglab.ingest import IngestResult
from scalinglab.ingest import ingest as _ingest
from scalinglab.store import RunStore, StoredRun


def ingest(source: Path, **options: Any) -> IngestResult:
    """:func:`scalinglab.ingest`, checking that the source and its history keep their bytes
    whether the ingest succeeds or is refused."""
    with unchanged(source, options.get("history")):
        return _ingest(source, **options)


def _export(tmp_path: Path, runs: list | None = None) -> tuple[Path, Path]:
    runs = runs or ladder()
    export, history = tmp_path / "export.csv", tmp_path / "history.parquet"
    wandb_table(runs).to_csv(export, index=False)
    wandb_history(runs).to_parquet(history)
    return export, history


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_second_ingest_adds_nothing_and_keeps_provenance(tmp_path: Path) -> None:
    export, history = _export(tmp_path)
    store = RunStore(tmp_path / "s.duckdb")
    first = ingest(export, store=store.path, history=history)
    before = store.runs_frame()
    second = ingest(export, store=store.path, history=history)
    assert len(first.written.added) == 15 and first.written.curve_points == 15 * 20
    assert second.written.added == () and second.written.updated == ()
    assert len(second.written.unchanged) == 15 and second.written.curve_points == 0
    after = store.runs_frame()
    assert store.counts() == {"finished": 15, "curve_points": 300}
    # the time of ingest is the store's created_at, untouched by a no-op re-ingest
    pd.testing.assert_series_equal(before["created_at"], after["created_at"])
    pd.testing.assert_series_equal(before["updated_at"], after["updated_at"])
    run = store.runs()[0]
    assert run.source == str(export) and run.extra["ingested_from"] == "wandb"
    assert run.run_id.startswith("wandb-") and run.source_run_id.startswith("id")


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_changed_runs_are_updated_or_reported_as_conflicts(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2)
    export, history = _export(tmp_path, runs)
    store = RunStore(tmp_path / "s.duckdb")
    ingest(export, store=store.path, history=history)
    # the tracker now has one more point for the first run
    grown = wandb_history(runs)
    extra = grown.iloc[[19]].assign(_step=2100, **{"eval/loss": 2.0})
    pd.concat([grown, extra]).to_parquet(history)
    kept_bytes = _digest(store.path)
    keep = ingest(export, store=store.path, history=history, on_conflict="keep")
    ids = {r.name: r.run_id for r in store.runs()}
    assert [run_id for run_id, _ in keep.written.conflicts] == [ids[runs[0].name]]
    assert len(keep.written.unchanged) == len(runs) - 1
    assert _digest(store.path) == kept_bytes  # a reported conflict writes nothing
    (note,) = [n for n in keep.notes if "kept as stored" in n]
    assert note == (
        f"1 stored run kept as stored (--on-conflict keep), though {export} holds other "
        f"values: {runs[0].name} (loss 6.3 -> 2, curve from step 2100: not in the stored "
        "curve). --on-conflict replace stores these values"
    )
    conflicts = keep.to_dict()["conflicts"]  # by name, as every run list of --json
    assert [c["run"] for c in conflicts] == [runs[0].name]
    assert keep.to_dict()["unchanged"] == sorted(r.name for r in runs[1:])
    replace = ingest(export, store=store.path, history=history)
    assert len(replace.written.updated) == 1 and replace.written.curve_points == 21
    (changed,) = [r for r in store.runs() if r.name == runs[0].name]
    assert changed.loss == 2.0 and len(store.curve(changed.run_id)) == 21


def test_failing_source_leaves_the_store_unchanged(tmp_path: Path) -> None:
    export, history = _export(tmp_path)
    store = RunStore(tmp_path / "s.duckdb")
    ingest(export, store=store.path, history=history)
    before = _digest(store.path)
    bad = tmp_path / "bad_history.csv"
    bad.write_text("run_id,eval/loss\nid00x,3.0\n")  # no step column
    with pytest.raises(DataError, match="no step column"):
        ingest(export, store=store.path, history=bad)
    with pytest.raises(DataError, match="no metric or config value 'eval/los'"):
        ingest(export, store=store.path, history=history, mapping={"loss": "eval/los"})
    assert _digest(store.path) == before


def test_corrupt_store_is_refused_before_reading(tmp_path: Path) -> None:
    export, history = _export(tmp_path)
    path = tmp_path / "s.duckdb"
    path.write_bytes(b"this is not a duckdb file" * 100)
    before = _digest(path)
    with pytest.raises(StoreError, match="not a readable run store"):
        ingest(export, store=path, history=history)
    assert _digest(path) == before


def test_fit_over_ingested_final_values_recovers_the_law(tmp_path: Path) -> None:
    export, history = _export(tmp_path)
    store = RunStore(tmp_path / "s.duckdb")
    ingest(export, store=store.path, history=history, final="last")
    result = scalinglab.fit("chinchilla", store.to_run_table(), bootstrap=0)
    for name, value in TRUTH.items():
        assert result.coefs[name] == pytest.approx(value, rel=2e-3), name


def test_plain_table_ingest_round_trips_through_the_store(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2)
    table = pd.DataFrame(
        {
            "run": [r.name for r in runs],
            "N": [r.params for r in runs],
            "D": [r.tokens for r in runs],
            "val_loss": [r.loss for r in runs],
            "seed": np.arange(len(runs)),
            "optimizer": "adamw",
        }
    )
    path = tmp_path / "runs.csv"
    table.to_csv(path, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(path, store=store.path)
    assert result.kind == "table" and len(result.written.added) == len(runs)
    assert len(ingest(path, store=store.path).written.unchanged) == len(runs)
    direct = scalinglab.read_runs(path)
    stored = store.to_run_table()
    order = [stored.runs.index(r) for r in direct.runs]
    for column in ("params", "tokens", "loss", "seed"):
        np.testing.assert_array_equal(stored.columns[column][order], direct.columns[column])


@pytest.mark.heavy  # 1.1 s in the suite on a 2-core AMD EPYC
def test_only_flops_a_source_gave_are_stored_as_flops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A table without FLOPs stores 6·N·D as ``flops_6nd`` alone, as a tracker's runs do:
    the store's convention says which runs' FLOPs were given and which computed, a store
    holding both fits (the computed runs count 6·N·D), and ``runs`` marks the computed."""
    sizes = [(10e6, 200e6, 4.1), (30e6, 600e6, 3.6), (90e6, 1.8e9, 3.3), (270e6, 5.4e9, 3.1)]
    plain, counted = tmp_path / "plain.csv", tmp_path / "counted.csv"
    rows = [f"p{k},{n:g},{d:g},{y}" for k, (n, d, y) in enumerate(sizes)]
    plain.write_text("name,params,tokens,loss\n" + "\n".join(rows) + "\n")
    exact = [f"c{k},{n:g},{d:g},{7 * n * d:g},{y - 0.05}" for k, (n, d, y) in enumerate(sizes)]
    counted.write_text("name,params,tokens,flops,loss\n" + "\n".join(exact) + "\n")
    store = RunStore(tmp_path / "s.duckdb")
    ingest(plain, store=store.path)
    (run, *_) = store.runs()
    assert run.flops is None and run.flops_6nd == 6 * 10e6 * 200e6
    assert store.to_run_table().flops_convention == (
        "C = 6·N·D, computed from params and tokens (the source gave no FLOPs)"
    )
    ingest(counted, store=store.path)
    assert {r.name: r.flops for r in store.runs()}["c0"] == 7 * 10e6 * 200e6
    both = store.to_run_table()
    assert both.flops_convention == (
        "as given by the ingested source, counted as it did (4 runs); C = 6·N·D, computed "
        "from params and tokens (the source gave no FLOPs) (4 runs)"
    )
    flops = dict(zip(both.runs, both.columns["flops"], strict=True))
    assert (flops["p1"], flops["c1"]) == (6 * 30e6 * 600e6, 7 * 30e6 * 600e6)
    assert main(["runs", "--store", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "1.2e16 (6ND)" in out and "1.4e16 " in out and "1.4e16 (6ND)" not in out
    assert "flops marked (6ND): the source gave none; 6·N·D from params and tokens" in out


def test_bulk_write_matches_put_runs(tmp_path: Path) -> None:
    """The bulk path hashes curves exactly as put_runs does: either writer sees the other's
    runs as unchanged, whatever the row order of the long frame."""
    rng = np.random.default_rng(0)
    runs = [
        StoredRun(run_id=f"r{k}", name=f"run{k}", params=1e6 * (k + 1), loss=3.0) for k in range(4)
    ]
    curves = {
        r.run_id: pd.DataFrame(
            {"step": rng.permutation(np.arange(10) * 10), "train_loss": rng.random(10)}
        )
        for r in runs
    }
    a = RunStore(tmp_path / "a.duckdb")
    a.put_runs([(r, curves[r.run_id]) for r in runs])
    long = pd.concat([c.assign(run_id=rid) for rid, c in curves.items()], ignore_index=True)
    long = long.iloc[rng.permutation(len(long))]
    again = a.put_runs_frame(runs, long)
    assert len(again.unchanged) == 4 and again.curve_points == 0
    b = RunStore(tmp_path / "b.duckdb")
    b.put_runs_frame(runs, long.assign(run_id=long["run_id"].astype("category")))
    pd.testing.assert_frame_equal(a.curves(), b.curves())
    with pytest.raises(ConfigError, match="not among the runs"):
        b.put_runs_frame(runs[:1], long)


def test_a_table_mapping_that_would_drop_a_stored_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_text("name,params,tokens,loss\na,10M,200M,4.1\n")
    with pytest.raises(ConfigError, match="every run would lose its params"):
        scalinglab.ingest(path, store=tmp_path / "s.duckdb", mapping={"size": "params"})
    assert not (tmp_path / "s.duckdb").exists()
    ok = scalinglab.ingest(path, store=tmp_path / "s.duckdb", mapping={"loss": "loss"})
    assert len(ok.written.added) == 1


def test_runs_without_a_history_record_the_summary_as_their_final_value(tmp_path: Path) -> None:
    """``--history`` missing some runs with ``--final min``: the runs with a curve record
    ``min`` (and take it), the others the tracker's summary (not ``min``), with a note."""
    runs = ladder(n_sizes=2)
    export, history = tmp_path / "export.csv", tmp_path / "history.parquet"
    wandb_table(runs).to_csv(export, index=False)
    missing = {runs[0].run_key, runs[1].run_key}
    full = wandb_history(runs)
    full[~full["run_id"].isin(missing)].to_parquet(history)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path, history=history, final="min")
    stored = {r.name: r for r in store.runs()}
    for run in runs:
        got = stored[run.name]
        if run.run_key in missing:
            assert got.extra["final_rule"] == "summary", run.name
            assert got.loss == pytest.approx(run.loss, rel=1e-12)  # the export's summary
        else:
            assert got.extra["final_rule"] == "min", run.name
            assert got.loss == pytest.approx(expected(run, "min"), rel=1e-12)
    (note,) = [n for n in result.notes if "no 'eval/loss' history" in n]
    assert note.startswith(f"2 runs have no 'eval/loss' history ('{runs[0].name}', ")
    assert "the tracker's reported value, not --final min" in note


def test_a_history_that_disagrees_with_the_reported_loss_is_said(tmp_path: Path) -> None:
    """The history's value is stored (by the rule), and a run whose reported loss is not
    its history's last point beyond 0.1% is named with both values; one within is not."""
    runs = ladder(n_sizes=2)
    frame = wandb_table(runs)
    frame.loc[0, "eval/loss"] = runs[0].loss + 2.0  # a history cut short, or down-sampled
    frame.loc[1, "eval/loss"] = runs[1].loss * (1 + 1e-4)  # rounding: no note
    export, history = tmp_path / "export.csv", tmp_path / "history.parquet"
    frame.to_csv(export, index=False)
    wandb_history(runs).to_parquet(history)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path, history=history, final="min")
    got = {r.name: r for r in store.runs()}[runs[0].name]
    assert got.loss == pytest.approx(expected(runs[0], "min"), rel=1e-12)
    (note,) = [n for n in result.notes if "differs from the last point" in n]
    assert note == (
        "warning: 1 run whose reported 'eval/loss' differs from the last point of "
        f"its history by more than 0.1% ('{runs[0].name}': reported {runs[0].loss + 2:.6g}, "
        f"history's last {runs[0].loss:.6g}): stored the minimum of 'eval/loss' over the "
        "curve from the history, as --final min asks; a history that stops early or is "
        "down-sampled, or a summary holding a best value, would explain it: check the export "
        "(without --history, the reported value is stored)"
    )
