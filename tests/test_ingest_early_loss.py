"""A final loss logged well before the run's last step (eval every 1024 steps, trained to
14144) is of fewer tokens than the run's: ingest names such runs and the gap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

import scalinglab


def _export(tmp_path: Path, *, eval_at_end: bool) -> tuple[Path, Path]:
    """A W&B run table and its history: three runs trained to 14144 steps, 'eval/loss'
    every 1024 steps (and at the end, if asked)."""
    summary, history = [], []
    steps = np.arange(64, 14145, 64)
    for k, n in enumerate((1e7, 3e7, 1e8)):
        loss = 3 + k / 10 + 50 / steps
        evals = np.where(
            (steps % 1024 == 0) | (eval_at_end & (steps == 14144)), loss + 0.02, np.nan
        )
        summary.append({"Name": f"m{k}", "State": "finished", "ID": f"id{k}", "model.n_params": n,
                        "data.tokens": 14144 * 131072, "eval/loss": float(np.nanmax(evals[-100:])),
                        "train/loss": loss[-1]})  # fmt: skip
        history += [{"run_id": f"id{k}", "_step": int(s), "train/loss": t, "eval/loss": e}
                    for s, t, e in zip(steps, loss, evals, strict=True)]  # fmt: skip
    table, hist = tmp_path / "export.csv", tmp_path / "history.parquet"
    pd.DataFrame(summary).to_csv(table, index=False)
    pd.DataFrame(history).to_parquet(hist, index=False)
    return table, hist


def test_a_loss_logged_well_before_the_end_is_named(tmp_path: Path) -> None:
    table, hist = _export(tmp_path, eval_at_end=False)
    result = scalinglab.ingest(table, store=tmp_path / "s.duckdb", history=hist)
    (note,) = [n for n in result.notes if "well before" in n]
    assert note.startswith(
        "warning: 3 runs last log 'eval/loss' well before their last logged step ('m0': step "
        "13312 of 14144; 'm1': step 13312 of 14144; 'm2': step 13312 of 14144; up to 6% of the "
        "run earlier): their final loss is of fewer tokens than the stored tokens"
    ), note
    assert "Log 'eval/loss' at the last step" in note


def test_a_loss_logged_at_the_end_says_nothing(tmp_path: Path) -> None:
    table, hist = _export(tmp_path, eval_at_end=True)
    result = scalinglab.ingest(table, store=tmp_path / "s.duckdb", history=hist)
    assert not any("well before" in n for n in result.notes), result.notes
