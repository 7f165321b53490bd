"""``ingest --history`` of a W&B export whose history has rows without a finite training
loss: the note says the row once with each loss column it lacks (``'train/loss' (nor in
'eval/loss')``); it named ``train/loss`` alone though ``eval/loss`` was NaN on that row too."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from tests._ingest_sources import ladder, wandb_history, wandb_table

from scalinglab.ingest import IngestResult, ingest


def _notes(tmp_path: Path, *, eval_rows: int) -> list[str]:
    runs = ladder(n_sizes=2, ratios=(20.0,))
    export, history = tmp_path / "export.csv", tmp_path / "history.parquet"
    wandb_table(runs).to_csv(export, index=False)
    points = wandb_history(runs)
    at = points.index[points["run_id"] == runs[0].run_key][3:5]  # two rows of one run
    points.loc[at, "train/loss"] = np.nan
    points.loc[at[:eval_rows], "eval/loss"] = np.nan
    points.to_parquet(history, index=False)
    result = ingest(export, store=tmp_path / "s.duckdb", history=history)
    assert isinstance(result, IngestResult)
    return [n for n in result.notes if "without a finite loss" in n]


def test_a_row_without_either_loss_says_both_columns(tmp_path: Path) -> None:
    assert _notes(tmp_path, eval_rows=2) == [
        f"{tmp_path / 'history.parquet'}: 2 rows without a finite loss in column 'train/loss' "
        "(nor in 'eval/loss') skipped as loss points (blank, NaN or inf): 2 of run 'n0-r0'"
    ]


def test_some_of_the_rows_without_the_other_loss_are_counted(tmp_path: Path) -> None:
    assert _notes(tmp_path, eval_rows=1) == [
        f"{tmp_path / 'history.parquet'}: 2 rows without a finite loss in column 'train/loss' "
        "(1 of them nor in 'eval/loss') skipped as loss points (blank, NaN or inf): "
        "2 of run 'n0-r0'"
    ]
