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
    assert "warning: 1 run stored with status 'diverged'" in text
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


def test_wandb_nan_training_loss_beside_a_finite_loss_is_not_diverged(tmp_path: Path) -> None:
    """The loss stored is eval/loss: a NaN train/loss beside a finite one leaves the run
    finished and in fits (it was stored 'diverged'); an inf train/loss still marks it, and the
    warning says which column did."""
    path = tmp_path / "runs.json"
    summaries = [
        {"eval/loss": 3.4, "train/loss": float("nan")},
        {"eval/loss": 3.3, "train/loss": float("inf")},
        {"eval/loss": float("nan"), "train/loss": 3.1},
    ]
    runs = [
        {"id": f"q{k}", "name": f"r{k}", "state": "finished",
         "config": {"n_params": 2e7 * 2**k, "tokens": 1e9}, "summary": summary}
        for k, summary in enumerate(summaries)
    ]  # fmt: skip
    path.write_text(json.dumps(runs), encoding="utf-8")
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert result.mapping["train_loss"] == "train/loss"
    assert _statuses(tmp_path / "s.duckdb") == {
        "r0": ("finished", "None"),
        "r1": ("diverged", "its reported 'train/loss' is inf"),
        "r2": ("diverged", "its reported 'eval/loss' is nan"),
    }
    (warning,) = [n for n in result.notes if "status 'diverged'" in n]
    assert warning.startswith(
        "warning: 2 runs stored with status 'diverged', which fit --store leaves out ('r1': "
        "its reported 'train/loss' is inf; 'r2': its reported 'eval/loss' is nan); "
    )
    (r0,) = [r for r in RunStore(tmp_path / "s.duckdb").runs() if r.name == "r0"]
    assert r0.loss == 3.4 and r0.extra["non_finite"] == {"train/loss": "nan"}


def test_wandb_nan_training_loss_that_is_the_loss_is_diverged(tmp_path: Path) -> None:
    """Where the training loss is the loss stored (no evaluation loss), its NaN still counts."""
    path = tmp_path / "runs.json"
    runs = [
        {"id": f"q{k}", "name": f"r{k}", "state": "finished",
         "config": {"n_params": 2e7 * 2**k, "tokens": 1e9}, "summary": {"train/loss": loss}}
        for k, loss in enumerate([3.4, float("nan")])
    ]  # fmt: skip
    path.write_text(json.dumps(runs), encoding="utf-8")
    result = ingest(path, store=tmp_path / "s.duckdb")
    assert result.mapping["loss"] == "train/loss"
    stored = _statuses(tmp_path / "s.duckdb")
    assert stored["r1"] == ("diverged", "its reported 'train/loss' is nan")


def test_tensorboard_training_loss_ending_in_nan_beside_a_clean_loss(tmp_path: Path) -> None:
    """A TensorBoard run whose train/loss tag ends NaN but whose eval/loss, the loss stored,
    ends clean is stored finished (it was stored 'diverged')."""
    tb = pytest.importorskip("torch.utils.tensorboard", reason="needs torch's SummaryWriter")
    folder = tmp_path / "tb" / "trainnan"
    writer = tb.SummaryWriter(str(folder))
    for s, v in enumerate(CURVE, start=1):
        writer.add_scalar("eval/loss", v, s)
        writer.add_scalar("train/loss", v - 0.1, s)
    writer.add_scalar("train/loss", float("nan"), 11)
    writer.close()
    (folder / "hparams.yaml").write_text("n_params: 70000000\ntokens: 1400000000\n")
    result = ingest(tmp_path / "tb", store=tmp_path / "s.duckdb")
    assert result.mapping["loss"] == "eval/loss" and result.mapping["train_loss"] == "train/loss"
    assert _statuses(tmp_path / "s.duckdb") == {"trainnan": ("finished", "None")}
    assert RunStore(tmp_path / "s.duckdb").runs()[0].loss == pytest.approx(CURVE[-1])
