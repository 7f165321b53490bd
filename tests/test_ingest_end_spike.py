"""A run whose last logged loss is a one-point spike (4.0, then 9.0: not diverged by the
screen's medians) is stored with the spike as its final loss under --final last; ingest
warns, naming the run and --final min / mean:K. --final min takes its lowest, unwarned."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._ingest_sources import ladder, wandb_history, wandb_table

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
        "lowest 4): not diverged, as the median of their last 5 points is within 1.5x their "
        "lowest median (a spike of too few points), so stored finished with the spike as "
        "their final loss (--final last); take --final min, or --final mean:K (the mean of "
        "the last K points)"
    )
    stored = {r.name: r for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored["spike"].status == "finished" and stored["spike"].loss == 9.0
    result = ingest(root, store=tmp_path / "m.duckdb", final="min")
    assert not [n for n in result.notes if "spike" in n]
    assert {r.name: r.loss for r in RunStore(tmp_path / "m.duckdb").runs()}["spike"] == (
        pytest.approx(4.0)
    )


def test_a_spike_and_a_divergence_in_one_ingest_say_one_rule(tmp_path: Path) -> None:
    """As /tmp/review-n/tb: one run spikes at its last point, one turns NaN. The spike's
    warning says why it is not diverged (the median of the last 5 points), the diverged
    warning's rule says the same medians, not 'ends above 1.5x its lowest'."""
    runs = ladder(n_sizes=1)
    export, history = tmp_path / "export.csv", tmp_path / "history.csv"
    wandb_table(runs).to_csv(export, index=False)
    points = wandb_history(runs)
    last = points["_step"] == points["_step"].max()
    points.loc[last & (points["run_id"] == runs[0].run_key), "eval/loss"] *= 3.0
    nan_tail = (points["run_id"] == runs[1].run_key) & (points["_step"] >= 1300)
    points.loc[nan_tail, "eval/loss"] = np.nan
    points.to_csv(history, index=False)
    result = ingest(export, store=tmp_path / "s.duckdb", history=history)
    (spike,) = [n for n in result.notes if "their lowest logged" in n]
    (diverged,) = [n for n in result.notes if "stored with status 'diverged'" in n]
    assert f"('{runs[0].name}': final " in spike
    assert "not diverged, as the median of their last 5 points is within 1.5x their lowest " in (
        spike
    )
    assert diverged.startswith(f"warning: 1 run(s) stored with status 'diverged', which fit "
                               f"--store leaves out ('{runs[1].name}': ")  # fmt: skip
    assert diverged.endswith(
        "; a loss that turns inf, or NaN and stays so, or whose median over its last 5 points "
        "is above 1.5x its lowest median over 5 consecutive ones, counts as diverged"
    )
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored[runs[0].name] == "finished" and stored[runs[1].name] == "diverged"
