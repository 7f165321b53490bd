"""A run whose last logged loss is a one-point spike (4.0, then 9.0: not diverged by the
screen's medians) is stored with the spike as its final loss under --final last; ingest
warns, naming the run and --final min / mean:K. --final min takes its lowest, unwarned."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_history, wandb_table

from scalinglab.ingest import ingest
from scalinglab.ingest._final import FinalRule, lowest_values
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
        "warning: 1 run ends above 1.5x its lowest logged 'eval/loss' ('spike': final 9, "
        "lowest 4): not diverged, as the median of its last 5 points is within 1.5x its "
        "lowest median (a spike of too few points), so stored finished with the spike as "
        "its final loss (--final last); take --final min, or --final mean:K (the mean of "
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
    (spike,) = [n for n in result.notes if "its lowest logged" in n]
    (diverged,) = [n for n in result.notes if "stored with status 'diverged'" in n]
    assert f"('{runs[0].name}': final " in spike
    assert "not diverged, as the median of its last 5 points is within 1.5x its lowest " in (spike)
    assert diverged.startswith(f"warning: 1 run stored with status 'diverged', which fit "
                               f"--store leaves out ('{runs[1].name}': ")  # fmt: skip
    assert diverged.endswith(
        "; a loss that turns inf, or NaN and stays so, or whose median over its last 5 points "
        "is above 1.5x its lowest median over 5 consecutive ones, counts as diverged"
    )
    stored = {r.name: r.status for r in RunStore(tmp_path / "s.duckdb").runs()}
    assert stored[runs[0].name] == "finished" and stored[runs[1].name] == "diverged"


def _export(tmp_path: Path, loss: list[float]) -> tuple[Path, Path]:
    """A W&B export of one run and its eval loss logged every 1000 steps, step 0 included."""
    export, history = tmp_path / "export.csv", tmp_path / "history.csv"
    pd.DataFrame({"Name": ["r"], "ID": ["id1"], "State": ["finished"],
                  "model.n_params": [9e7], "tokens_seen": [1.4e9],
                  "_step": [1000 * (len(loss) - 1)], "eval/loss": [loss[-1]]}).to_csv(
        export, index=False)  # fmt: skip
    steps = 1000 * np.arange(len(loss))
    pd.DataFrame({"run_id": "id1", "_step": steps, "eval/loss": loss}).to_csv(history, index=False)
    return export, history


@pytest.mark.parametrize("final", ["mean:5", "mean"])
def test_a_falling_curve_under_mean_k_is_no_spike(tmp_path: Path, final: str) -> None:
    """A curve that only falls, 10.8 at step 0 to 3.0: the mean of its last 5 (or 10) points
    reaches back to step 0 (5.0), 1.67x its lowest point, and was called a spike. Held
    against its lowest mean of as many consecutive points (the same 5.0), it is none."""
    export, history = _export(tmp_path, [10.8, 4.5, 3.5, 3.2, 3.0])
    result = ingest(export, store=tmp_path / "s.duckdb", history=history, final=final)
    assert not [n for n in result.notes if "spike" in n]
    (run,) = RunStore(tmp_path / "s.duckdb").runs()
    assert run.loss == pytest.approx(5.0) and run.status == "finished"


def test_a_spike_under_mean_k_is_held_against_the_lowest_mean_of_k(tmp_path: Path) -> None:
    """Two high points at the end of a flat curve: the mean of the last 3 (9.33) against the
    lowest mean of 3 consecutive points (4), not against the lowest point."""
    export, history = _export(tmp_path, [10.8, 6.0, 4.5, 4.0, 4.0, 4.0, 4.0, 4.0, 12.0, 12.0])
    result = ingest(export, store=tmp_path / "s.duckdb", history=history, final="mean:3")
    (note,) = [n for n in result.notes if "spike" in n]
    assert note == (
        "warning: 1 run ends above 1.5x its lowest mean of 3 consecutive logged "
        "'eval/loss' ('r': final 9.333, lowest 4): not diverged, as the median of its last 5 "
        "points is within 1.5x its lowest median (a spike of too few points), so stored "
        "finished with the spike in its final loss (--final mean:3); take --final min, or "
        "--final mean:K with a K above 3"
    )


def test_lowest_values_take_the_rule_over_every_window() -> None:
    """Against a loop over every window of each run, NaN points skipped, unsorted input."""
    rng = np.random.default_rng(0)
    runs = np.repeat(np.arange(4), [7, 1, 3, 12])
    steps = np.concatenate([rng.permutation(n) for n in (7, 1, 3, 12)])
    values = rng.uniform(2.0, 6.0, len(runs))
    values[[2, 15]] = np.nan
    order = rng.permutation(len(runs))
    for rule in (FinalRule("mean", 4), FinalRule("last"), FinalRule("mean", 1)):
        got = lowest_values(runs[order], steps[order], values[order], 5, rule)
        for run in range(4):
            curve = values[runs == run][np.argsort(steps[runs == run])]
            curve = curve[np.isfinite(curve)]
            k = min(rule.k if rule.kind == "mean" else 1, len(curve))
            windows = [curve[i : i + k].mean() for i in range(len(curve) - k + 1)]
            assert got[run] == pytest.approx(min(windows), rel=1e-12)
        assert np.isnan(got[4])  # a run with no point
