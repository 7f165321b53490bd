"""Runs whose tracker reported ``inf`` or NaN (a W&B summary, an MLflow metric): stored, with
those values as text, never an internal error that loses the whole batch."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from tests._ingest_sources import ladder, wandb_table

from scalinglab.cli import main
from scalinglab.ingest import ingest
from scalinglab.store import RunStore

RUNS = ladder(n_sizes=2)  # 6 runs


def test_an_inf_in_a_wandb_export_is_stored_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    frame = wandb_table(RUNS)
    frame.loc[1, "train/loss"] = np.inf
    frame.loc[2, "train/loss"] = np.nan  # a blank cell: nothing to say
    export = tmp_path / "export.csv"
    frame.to_csv(export, index=False)
    store = tmp_path / "s.duckdb"
    code = main(["ingest", str(export), "--store", str(store)])
    out = " ".join(capsys.readouterr().out.split())
    assert code == 0, out
    assert "6 added" in out
    assert (
        f"note: 1 run reported non-finite values ('{RUNS[1].name}': train/loss=inf): stored "
        "as text in extra.non_finite, not as numbers (JSON has no inf or NaN)" in out
    )
    stored = {r.name: r for r in RunStore(store).runs()}
    inf_run = stored[RUNS[1].name]
    assert inf_run.extra["non_finite"] == {"train/loss": "inf"}
    assert "train/loss" not in inf_run.config and inf_run.train_loss is None
    assert inf_run.loss == pytest.approx(RUNS[1].loss, rel=1e-12)
    assert "non_finite" not in stored[RUNS[2].name].extra


def test_a_nan_mlflow_metric_is_stored_as_text(tmp_path: Path) -> None:
    pytest.importorskip("mlflow")
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")
    root = tmp_path / "mlruns"
    client = MlflowClient(tracking_uri=root.resolve().as_uri())
    experiment = client.create_experiment("nan")
    for run in RUNS[:3]:
        rid = client.create_run(experiment, run_name=run.name).info.run_id
        client.log_param(rid, "model.n_params", run.params)
        client.log_param(rid, "data.tokens", run.tokens)
        values = [run.loss + 0.5, run.loss, np.nan if run is RUNS[0] else run.loss - 0.01]
        client.log_batch(
            rid, metrics=[Metric("val_loss", float(v), 0, s) for s, v in enumerate(values)]
        )
        client.set_terminated(rid)
    result = ingest(root, store=tmp_path / "s.duckdb")
    assert len(result.written.added) == 3
    (note,) = [n for n in result.notes if "non-finite" in n]
    assert note.startswith(f"1 run reported non-finite values ('{RUNS[0].name}': val_loss=nan)")
    stored = {r.name: r for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored[RUNS[0].name].extra["non_finite"] == {"val_loss": "nan"}
    assert "val_loss" not in stored[RUNS[0].name].extra["metrics"]
