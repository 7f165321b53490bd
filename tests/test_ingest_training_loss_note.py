"""The note on a loss that is also the training loss says what was read: the training loss
fitted for want of an evaluation loss, or an evaluation loss ``--map train_loss=`` names too
(where it said "no evaluation loss found" though one was found and mapped)."""

from __future__ import annotations

from pathlib import Path

from tests._ingest_sources import ladder, wandb_table

from scalinglab.ingest import ingest

RUNS = ladder(n_sizes=2)


def test_an_evaluation_loss_mapped_as_the_training_loss_is_said_so(tmp_path: Path) -> None:
    csv = tmp_path / "wandb_export.csv"
    wandb_table(RUNS).to_csv(csv, index=False)
    result = ingest(csv, store=tmp_path / "s.duckdb", mapping={"train_loss": "eval/loss"})
    assert result.mapping["loss"] == result.mapping["train_loss"] == "eval/loss"
    assert not [n for n in result.notes if "no evaluation loss" in n]
    assert (
        "'eval/loss' is read as both the loss and the training loss (train_loss): the runs' "
        "training loss is the loss fitted, not a curve of its own"
    ) in result.notes


def test_a_training_loss_alone_is_fitted_and_said_so(tmp_path: Path) -> None:
    csv = tmp_path / "wandb_export.csv"
    wandb_table(RUNS).drop(columns="eval/loss").to_csv(csv, index=False)
    result = ingest(csv, store=tmp_path / "s.duckdb")
    assert result.mapping["loss"] == result.mapping["train_loss"] == "train/loss"
    assert "no evaluation loss found: fitting the training loss 'train/loss'" in result.notes
    assert not [n for n in result.notes if "read as both" in n]
