"""An MLflow run resumed from a checkpoint logs some steps again: ingest keeps each step's
last value, as it does for a TensorBoard run, and says so in a note naming the run (it kept
them silently)."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _write(root: Path) -> None:
    """Two finished runs; 'resumed' logs eval/loss at steps 500..700 a second time."""
    from mlflow.entities import Metric
    from mlflow.tracking import MlflowClient

    before = os.environ.get("MLFLOW_ALLOW_FILE_STORE")
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
    try:
        client = MlflowClient(tracking_uri=root.resolve().as_uri())
        experiment = client.create_experiment("ladder")
        for k, name in enumerate(("plain", "resumed")):
            rid = client.create_run(experiment, run_name=name).info.run_id
            client.log_param(rid, "n_params", "70M")
            client.log_param(rid, "tokens", "1.4B")
            steps = np.arange(1, 11) * 100
            metrics = [
                Metric("eval/loss", 4.0 - 0.1 * i + k, 0, int(s)) for i, s in enumerate(steps)
            ]
            if name == "resumed":  # the resume: steps 500..700 again, later and 0.01 higher
                metrics += [
                    Metric("eval/loss", 3.61 - 0.1 * i + k, 1, s)
                    for i, s in enumerate((500, 600, 700))
                ]
            client.log_batch(rid, metrics=metrics)
            client.set_terminated(rid, status="FINISHED")
    finally:
        if before is None:
            os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
        else:
            os.environ["MLFLOW_ALLOW_FILE_STORE"] = before


def test_steps_logged_again_are_named_in_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    root = tmp_path / "mlruns"
    _write(root)
    store = tmp_path / "s.duckdb"
    code, out, err = cli(capsys, "ingest", str(root), "--store", str(store))
    assert code == 0, err
    assert "note: resumed: 3 points logged twice at one step kept their last value" in out
    assert "plain:" not in out
    stored = {r.name: r.run_id for r in RunStore(store).runs()}
    curve = RunStore(store).curve(stored["resumed"]).set_index("step")["eval_loss"]
    assert curve.loc[500] == pytest.approx(4.61)  # the later logging's value
    assert len(curve) == 10  # each step once
    again = ingest(root, store=tmp_path / "p.duckdb")
    assert any("resumed: 3 points logged twice" in n for n in again.notes)
