"""Ingesting evaluations over scores stored from another source says, per source, how many
stored scores were replaced and which: a W&B export's own ``hellaswag/acc`` (its runs'
source) apart from scores an earlier ingest of evaluations wrote; it said "4 updated" alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from tests._ingest_sources import ladder, wandb_table

from scalinglab.ingest import ingest, ingest_evals


def _scores(path: Path, rows: list[tuple[str, str, str, float]]) -> Path:
    pd.DataFrame(rows, columns=["run", "task", "metric", "value"]).to_csv(path, index=False)
    return path


def test_replaced_scores_are_said_by_the_source_that_stored_them(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2, ratios=(20.0,))
    export, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    wandb_table(runs).assign(**{"hellaswag/acc": [0.3, 0.4]}).to_csv(export, index=False)
    ingest(export, store=store)
    a, b = (r.name for r in runs)
    earlier = [(a, "piqa", "acc", 0.5), (b, "piqa", "acc", 0.6)]
    ingest_evals(_scores(tmp_path / "first.csv", earlier), store=store)
    later = [(a, "hellaswag", "acc", 0.35), (b, "hellaswag", "acc", 0.45),
             (a, "piqa", "acc", 0.55), (b, "piqa", "acc", 0.65)]  # fmt: skip
    result = ingest_evals(_scores(tmp_path / "later.csv", later), store=store)
    assert result.written.updated == 4
    assert (
        f"4 updated scores replaced scores stored before: 2 from {export} (wandb): "
        "hellaswag acc; 2 from an earlier ingest of evaluations (the store keeps no source "
        f"per score); of 2 runs: '{a}', '{b}' (hellaswag acc, piqa acc)"
    ) in result.notes


def test_unchanged_scores_replace_nothing(tmp_path: Path) -> None:
    runs = ladder(n_sizes=2, ratios=(20.0,))
    export, store = tmp_path / "export.csv", tmp_path / "s.duckdb"
    wandb_table(runs).assign(**{"hellaswag/acc": [0.3, 0.4]}).to_csv(export, index=False)
    ingest(export, store=store)
    same = [(r.name, "hellaswag", "acc", v) for r, v in zip(runs, (0.3, 0.4), strict=True)]
    result = ingest_evals(_scores(tmp_path / "same.csv", same), store=store)
    assert result.written.unchanged == 2
    assert not [n for n in result.notes if "replaced" in n]
