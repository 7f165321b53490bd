"""A W&B run whose loss ends in NaN is stored ``diverged``, as the same run from MLflow or
TensorBoard is, though pandas writes that NaN as a null (``to_parquet``, ``to_csv``,
``to_json``): the files here are written by pandas' own writers (W&B's client is not
installed, and its ``run.history()`` is a pandas frame).

The rule a null is read by (:mod:`scalinglab.ingest._null_end`): a null in a W&B history is
either a metric not logged at that step or a NaN logged, so the loss's last row counts only
where a metric logged on exactly the loss's own rows before (``lr`` beside a loss logged
each step) was logged there too. A sparse evaluation loss's null on a training step, or a
last row holding only a final evaluation, is no NaN logged: those runs stay finished."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_api_export, wandb_history, wandb_table

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

RUNS = ladder(n_sizes=2)
DIVERGED = RUNS[0]


def _stored(store: Path) -> dict[str, tuple[str, str]]:
    return {r.name: (r.status, str(r.extra.get("diverged"))) for r in RunStore(store).runs()}


def _export(tmp_path: Path) -> Path:
    """The run table, its diverged run's summary loss NaN: a blank cell once pandas wrote it."""
    frame = wandb_table(RUNS)
    frame.loc[0, ["eval/loss", "train/loss"]] = np.nan
    frame.to_csv(tmp_path / "export.csv", index=False)
    return tmp_path / "export.csv"


def _nan_ended() -> pd.DataFrame:
    """``run.history()`` of every run, the first one's losses NaN at its last step (2000),
    where it logged ``lr`` as at every step."""
    points = wandb_history(RUNS)
    last = points.index[points["run_id"] == DIVERGED.run_key][-1]
    points.loc[last, ["eval/loss", "train/loss"]] = np.nan
    return points


def _write(points: pd.DataFrame, path: Path) -> None:
    if path.suffix == ".parquet":
        points.to_parquet(path)
    elif path.suffix == ".csv":
        points.to_csv(path, index=False)
    else:
        points.to_json(path, orient="records", lines=True)


WHY = (
    "its 'eval/loss' is NaN (or null) at step 2000, where 'lr', logged with it on each of its "
    "19 steps before, was logged (after 6.333 at step 1900)"
)


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".jsonl"])
def test_a_history_whose_loss_ends_nan_through_pandas_is_diverged(
    tmp_path: Path, suffix: str
) -> None:
    _write(_nan_ended(), tmp_path / f"history{suffix}")
    result = ingest(_export(tmp_path), store=tmp_path / "s.duckdb",
                    history=tmp_path / f"history{suffix}")  # fmt: skip
    stored = _stored(tmp_path / "s.duckdb")
    assert stored.pop(DIVERGED.name) == ("diverged", WHY)
    assert set(stored.values()) == {("finished", "None")}
    assert any(n.startswith("warning: 1 run stored with status 'diverged'") for n in result.notes)


def test_the_panel_export_and_the_api_json_say_diverged_too(tmp_path: Path) -> None:
    points = _nan_ended()
    wide = points.pivot(index="_step", columns="run_id", values=["eval/loss", "lr"])
    names = {r.run_key: r.name for r in RUNS}
    wide.columns = [f"{names[run]} - {metric}" for metric, run in wide.columns]
    wide.rename_axis("Step").reset_index().to_csv(tmp_path / "panel.csv", index=False)
    ingest(_export(tmp_path), store=tmp_path / "a.duckdb", history=tmp_path / "panel.csv")
    assert _stored(tmp_path / "a.duckdb")[DIVERGED.name] == ("diverged", WHY)

    records = wandb_api_export(RUNS, history=True)
    records[0]["history"][-1].update({"eval/loss": float("nan"), "train/loss": float("nan")})
    records[0]["summary"].update({"eval/loss": None, "train/loss": None})  # as a null
    (tmp_path / "runs.json").write_text(json.dumps(records), encoding="utf-8")
    ingest(tmp_path / "runs.json", store=tmp_path / "b.duckdb")
    assert _stored(tmp_path / "b.duckdb")[DIVERGED.name] == ("diverged", WHY)


def test_a_loss_not_logged_at_the_last_step_is_no_nan(tmp_path: Path) -> None:
    """eval/loss logged every 4th step (null on the training steps between, the last one
    included), and a last row holding only a final evaluation after a training loss logged
    each step: no metric logged with the loss on its own rows was logged there alone."""
    points = wandb_history(RUNS)
    step = points["_step"].to_numpy()
    points.loc[(step // 100) % 4 != 2, "eval/loss"] = np.nan  # steps 200, 600, ..., 1800
    points["eval/acc"] = np.where(points["eval/loss"].notna(), 0.4, np.nan)  # its companion
    final = pd.DataFrame({"run_id": [r.run_key for r in RUNS], "_step": 2100, "test/acc": 0.5})
    both = pd.concat([points, final], ignore_index=True)
    both.to_parquet(tmp_path / "history.parquet")
    frame = wandb_table(RUNS)
    frame.to_csv(tmp_path / "export.csv", index=False)
    for loss in ("eval/loss", "train/loss"):
        store = tmp_path / f"{loss.replace('/', '_')}.duckdb"
        ingest(tmp_path / "export.csv", store=store, history=tmp_path / "history.parquet",
               mapping={"loss": loss})  # fmt: skip
        assert set(_stored(store).values()) == {("finished", "None")}
