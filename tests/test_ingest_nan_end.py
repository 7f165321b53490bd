"""A loss whose last logged value is NaN is a run that diverged, however short that NaN tail
is: MLflow (its latest metric is NaN), TensorBoard (the tag's last point is NaN) and a W&B
API export (its summary loss is NaN) store it with status ``diverged``, as a run table's
written ``nan`` is, not ``finished`` with the last finite loss (nor skipped)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: eval/loss at steps 1 ... 10, then NaN at step 11 (as /tmp/sweep-trackers/mk_mlflow3.py).
CURVE = [5 - 0.1 * s for s in range(1, 11)]


def _statuses(store: Path) -> dict[str, tuple[str, str]]:
    return {r.name: (r.status, str(r.extra.get("diverged"))) for r in RunStore(store).runs()}


def test_mlflow_loss_ending_in_nan_is_diverged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mlflow = pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    mlflow.set_tracking_uri((tmp_path / "ml").resolve().as_uri())
    mlflow.set_experiment("div")
    for name, last in (("nanend", float("nan")), ("fine", 3.9)):
        with mlflow.start_run(run_name=name):
            mlflow.log_params({"n_params": 70_000_000, "tokens": 1_400_000_000})
            for s, v in enumerate(CURVE, start=1):
                mlflow.log_metric("eval/loss", v, step=s)
            mlflow.log_metric("eval/loss", last, step=11)
    result = ingest(tmp_path / "ml", store=tmp_path / "s.duckdb")
    assert _statuses(tmp_path / "s.duckdb") == {
        "nanend": ("diverged", "its reported 'eval/loss' is nan"),
        "fine": ("finished", "None"),
    }
    text = " ".join(result.notes)
    assert "warning: 1 run(s) stored with status 'diverged'" in text
    assert "step 10 of 11" not in text  # not a loss logged too early: a NaN at the end


def test_tensorboard_loss_ending_in_nan_is_diverged(tmp_path: Path) -> None:
    tb = pytest.importorskip("torch.utils.tensorboard", reason="needs torch's SummaryWriter")
    for name, last in (("nanend", float("nan")), ("fine", 3.9)):
        folder = tmp_path / "tb" / name
        writer = tb.SummaryWriter(str(folder))
        for s, v in enumerate(CURVE, start=1):
            writer.add_scalar("eval/loss", v, s)
            writer.add_scalar("lr", 1e-3, s)
        writer.add_scalar("eval/loss", last, 11)
        writer.add_scalar("lr", 1e-3, 12)  # a tag logged later: its step is no NaN logged
        writer.close()
        (folder / "hparams.yaml").write_text("n_params: 70000000\ntokens: 1400000000\n")
    ingest(tmp_path / "tb", store=tmp_path / "s.duckdb")
    stored = _statuses(tmp_path / "s.duckdb")
    assert stored == {
        "nanend": ("diverged", "its last logged 'eval/loss' is nan"),
        "fine": ("finished", "None"),
    }
    assert RunStore(tmp_path / "s.duckdb").runs()[0].loss is not None


def test_wandb_summary_nan_is_diverged_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "runs.json"
    runs = [
        {"id": f"q{k}", "name": f"r{k}", "state": "finished",
         "config": {"model": {"n_params": 2e7 * 2**k}, "tokens": 1e9},
         "summary": {"eval/loss": loss}}
        for k, loss in enumerate([4.2, float("nan"), 3.4])
    ]  # fmt: skip
    path.write_text(json.dumps(runs), encoding="utf-8")  # NaN, as the W&B API writes it
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert not result.skipped
    assert _statuses(tmp_path / "s.duckdb")["r1"] == (
        "diverged", "its reported 'eval/loss' is nan",
    )  # fmt: skip
