"""A W&B run whose summary loss is NaN but whose ``--history`` curve ends clean: the stored loss
comes from the history, so the history, not the summary, judges whether it diverged."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._ingest_sources import ladder, wandb_history, wandb_table

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

RUNS = ladder(n_sizes=2)


@pytest.mark.parametrize("final", [None, "min"])
def test_a_nan_summary_with_a_clean_history_is_judged_by_the_history(
    tmp_path: Path, final: str | None
) -> None:
    frame = wandb_table(RUNS)
    frame["eval/loss"] = frame["eval/loss"].astype(object)
    frame.loc[0, "eval/loss"] = "NaN"  # written so, as W&B's CSV does: a logged NaN
    frame.to_csv(tmp_path / "export.csv", index=False)
    points = wandb_history(RUNS)
    points.to_csv(tmp_path / "history.csv", index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(
        tmp_path / "export.csv", store=store.path, history=tmp_path / "history.csv", final=final
    )
    run = {r.name: r for r in store.runs()}[RUNS[0].name]
    curve = points.loc[points["run_id"] == RUNS[0].run_key, "eval/loss"].to_numpy()
    assert run.status == "finished" and "diverged" not in run.extra
    assert run.loss == pytest.approx(curve[-1] if final is None else curve.min())
    stored = ", which is stored" if final is None else " (stored: --final min)"
    assert (
        "1 run reports a non-finite final loss in its summary but logs a clean history, "
        "which the stored loss comes from, so the history judges divergence "
        f"('{RUNS[0].name}': its summary 'eval/loss' is nan; its history ends at "
        f"{curve[-1]:.4g}{stored})"
    ) in result.notes
    assert not [n for n in result.notes if "status 'diverged'" in n]


def test_a_nan_summary_whose_history_ends_nan_stays_diverged(tmp_path: Path) -> None:
    frame = wandb_table(RUNS)
    frame["eval/loss"] = frame["eval/loss"].astype(object)
    frame.loc[0, "eval/loss"] = "NaN"  # written so, as W&B's CSV does: a logged NaN
    frame.to_csv(tmp_path / "export.csv", index=False)
    points = wandb_history(RUNS)
    last = points.index[points["run_id"] == RUNS[0].run_key][-1]
    points.loc[last, "eval/loss"] = np.nan  # the last row logged no finite loss
    points.to_csv(tmp_path / "history.csv", index=False)
    store = RunStore(tmp_path / "s.duckdb")
    ingest(tmp_path / "export.csv", store=store.path, history=tmp_path / "history.csv")
    run = {r.name: r for r in store.runs()}[RUNS[0].name]
    assert run.status == "diverged"
    assert run.extra["diverged"] == "its reported 'eval/loss' is nan"
