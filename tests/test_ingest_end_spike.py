"""A run whose last logged loss is a one-point spike (4.0, then 9.0: not diverged by the
screen's medians) is stored with the spike as its final loss under --final last; ingest
warns, naming the run and --final min / mean:K. --final min takes its lowest, unwarned."""

from __future__ import annotations

from pathlib import Path

import pytest

from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _mlflow(root: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As /tmp/sweep-trackers/mk_mlflow3.py's 'spike' run, beside a run without one."""
    mlflow = pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    mlflow.set_tracking_uri(root.resolve().as_uri())
    mlflow.set_experiment("div")
    for name, last in (("spike", 9.0), ("fine", 3.9)):
        with mlflow.start_run(run_name=name):
            mlflow.log_params({"n_params": 90_000_000, "tokens": 1_400_000_000})
            for s in range(1, 11):
                mlflow.log_metric("eval/loss", 5 - 0.1 * s, step=s)
            mlflow.log_metric("eval/loss", last, step=11)
    return root


def test_a_spike_at_the_end_is_warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _mlflow(tmp_path / "ml", monkeypatch)
    result = ingest(root, store=tmp_path / "s.duckdb")
    (note,) = [n for n in result.notes if "spike" in n]
    assert note == (
        "warning: 1 run(s) end above 1.5x their lowest logged 'eval/loss' ('spike': final 9, "
        "lowest 4): a spike at the end is stored as their final loss (--final last); take "
        "--final min, or --final mean:K (the mean of the last K points)"
    )
    stored = {r.name: r for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored["spike"].status == "finished" and stored["spike"].loss == 9.0
    result = ingest(root, store=tmp_path / "m.duckdb", final="min")
    assert not [n for n in result.notes if "spike" in n]
    assert {r.name: r.loss for r in RunStore(tmp_path / "m.duckdb").runs()}["spike"] == (
        pytest.approx(4.0)
    )
