"""Runs whose curve diverged (a loss that turns NaN or inf, or whose median over its last 5
points is above 1.5x its lowest, as ``curves`` screens them: a tracker's history or a run table's ``--history`` curves) or whose
tracker reported an ``inf`` loss: stored with status ``diverged`` and a warning naming them,
not as finished with their last finite loss."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_history, wandb_table
from tests.test_ingest_table_history import _curves, _table

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

RUNS = ladder(n_sizes=2)  # 6 runs, 20 points each at steps 100 ... 2000
RULE = (
    "a loss that turns inf, or NaN and stays so, or whose median over its last 5 points is "
    "above 1.5x its lowest median over 5 consecutive ones, counts as diverged"
)


def _export(tmp_path: Path) -> tuple[Path, Path]:
    export, history = tmp_path / "export.csv", tmp_path / "history.csv"
    wandb_table(RUNS).to_csv(export, index=False)
    points = wandb_history(RUNS)
    nan_tail = (points["run_id"] == RUNS[0].run_key) & (points["_step"] >= 1300)
    points.loc[nan_tail, "eval/loss"] = np.nan  # the eval loss turns NaN at step 1300
    inf_end = (points["run_id"] == RUNS[1].run_key) & (points["_step"] == 2000)
    points.loc[inf_end, "train/loss"] = np.inf  # the training loss ends in inf
    points.to_csv(history, index=False)
    return export, history


def test_a_curve_that_turns_nan_or_inf_is_stored_as_diverged(tmp_path: Path) -> None:
    export, history = _export(tmp_path)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path, history=history)
    stored = {r.name: r for r in store.runs()}
    nan_run, inf_run = stored[RUNS[0].name], stored[RUNS[1].name]
    assert nan_run.status == "diverged" and inf_run.status == "diverged"
    assert nan_run.extra["diverged"] == (
        "'eval/loss': its loss is NaN or missing from step 1300 on (its last 8 rows), after "
        f"{RUNS[0].eval_curve()[11]:.4g} at step 1200"
    )
    assert inf_run.extra["diverged"] == "'train/loss': its loss is inf at step 2000"
    assert nan_run.loss == pytest.approx(RUNS[0].eval_curve()[11], rel=1e-12)  # last finite
    assert {r.status for r in stored.values() if r not in (nan_run, inf_run)} == {"finished"}
    (note,) = [n for n in result.notes if "diverged" in n]
    assert note == (
        "warning: 2 runs stored with status 'diverged', which fit --store leaves out "
        f"('{RUNS[0].name}': {nan_run.extra['diverged']}; '{RUNS[1].name}': "
        f"{inf_run.extra['diverged']}); {RULE}"
    )
    assert len(store.to_run_table()) == len(RUNS) - 2


def test_a_diverged_run_is_not_also_said_to_disagree_with_its_history(tmp_path: Path) -> None:
    """A diverged curve ends early by nature: its reported loss unlike the curve's last
    finite point is no sign of a cut export (one warning, not two); a run whose history is
    cut short still is."""
    export, history = _export(tmp_path)
    points = pd.read_csv(history)
    cut = (points["run_id"] == RUNS[2].run_key) & (points["_step"] > 1500)
    points[~cut].to_csv(history, index=False)
    result = ingest(export, store=tmp_path / "s.duckdb", history=history)
    (note,) = [n for n in result.notes if "differs from the last point" in n]
    assert note.startswith(
        "warning: 1 run whose reported 'eval/loss' differs from the last point of its "
        f"history by more than 0.1% ('{RUNS[2].name}': reported {RUNS[2].loss:.6g}, "
        f"history's last {RUNS[2].eval_curve()[14]:.6g}): "
    )


def test_a_curve_that_ends_far_above_its_lowest_is_diverged(tmp_path: Path) -> None:
    export, history = tmp_path / "export.csv", tmp_path / "history.csv"
    wandb_table(RUNS).to_csv(export, index=False)
    points = wandb_history(RUNS)
    tail = (points["run_id"] == RUNS[2].run_key) & (points["_step"] >= 1500)
    points.loc[tail, "eval/loss"] = 11.0  # back near the initial loss: too high a rate
    points.to_csv(history, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    ingest(export, store=store.path, history=history)
    (run,) = [r for r in store.runs() if r.status == "diverged"]
    assert run.name == RUNS[2].name
    assert run.extra["diverged"].startswith("'eval/loss': its loss ends at 11, ")


def test_a_reported_inf_loss_without_a_curve_is_diverged(tmp_path: Path) -> None:
    frame = wandb_table(RUNS)
    frame.loc[3, "train/loss"] = np.inf
    export = tmp_path / "export.csv"
    frame.to_csv(export, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(export, store=store.path)
    stored = {r.name: r for r in store.runs()}
    assert stored[RUNS[3].name].status == "diverged"
    assert stored[RUNS[3].name].extra["diverged"] == "its reported 'train/loss' is inf"
    assert any(n.startswith("warning: 1 run stored with status 'diverged'") for n in result.notes)
    assert sum(r.status == "finished" for r in stored.values()) == len(RUNS) - 1


@pytest.mark.parametrize("final", [None, "min"])
def test_a_run_tables_curve_that_diverged_is_stored_as_diverged(
    tmp_path: Path, final: str | None
) -> None:
    """``ingest RUNS.csv --history CURVES.csv`` screens each curve as a tracker's history is
    screened: the same status, reason and warning, with or without --final."""
    table, curves = _table(tmp_path, RUNS), _curves(RUNS)
    nan_tail = (curves["run"] == RUNS[0].name) & (curves["step"] >= 1300)
    curves.loc[nan_tail, "eval_loss"] = np.nan  # the eval loss turns NaN at step 1300
    inf_end = (curves["run"] == RUNS[1].name) & (curves["step"] == 2000)
    curves.loc[inf_end, "loss"] = np.inf  # the training loss ends in inf
    curves.to_csv(tmp_path / "curves.csv", index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(table, store=store.path, history=tmp_path / "curves.csv", final=final)
    stored = {r.name: r for r in store.runs()}
    nan_run, inf_run = stored[RUNS[0].name], stored[RUNS[1].name]
    assert nan_run.status == "diverged" and inf_run.status == "diverged"
    assert nan_run.extra["diverged"] == (
        "'eval_loss': its loss is NaN or missing from step 1300 on (its last 8 rows), after "
        f"{RUNS[0].eval_curve()[11]:.4g} at step 1200"
    )
    assert inf_run.extra["diverged"] == "'loss': its loss is inf at step 2000"
    assert {r.status for r in stored.values() if r not in (nan_run, inf_run)} == {"finished"}
    (note,) = [n for n in result.notes if "diverged" in n]
    assert note == (
        "warning: 2 runs stored with status 'diverged', which fit --store leaves out "
        f"('{RUNS[0].name}': {nan_run.extra['diverged']}; '{RUNS[1].name}': "
        f"{inf_run.extra['diverged']}); {RULE}"
    )
    assert len(store.to_run_table()) == len(RUNS) - 2
    assert not [n for n in result.notes if "differs from the last point" in n]


def test_a_reported_inf_eval_loss_is_diverged_not_skipped(tmp_path: Path) -> None:
    """The loss itself reported as inf (W&B's CSV or its API's JSON, ``Infinity`` as Python
    writes it): the run is stored as diverged, not skipped as having 'no value of
    'eval/loss'', nor the whole JSON refused ('the number inf is beyond float64's range')."""
    import json

    from tests._ingest_sources import wandb_api_export

    frame = wandb_table(RUNS)
    frame.loc[2, "eval/loss"] = np.inf
    records = wandb_api_export(RUNS)
    records[2]["summary"]["eval/loss"] = float("inf")
    records[3]["summary"]["eval/loss"] = "Infinity"  # as text, as some exports write it
    frame.to_csv(tmp_path / "export.csv", index=False)
    (tmp_path / "api.json").write_text(json.dumps(records))  # writes Infinity, bare
    for export, diverged in (("export.csv", [2]), ("api.json", [2, 3])):
        store = RunStore(tmp_path / f"{export}.duckdb")
        result = ingest(tmp_path / export, store=store.path)
        assert len(result.written.added) == len(RUNS) and not result.skipped
        stored = {r.name: r for r in store.runs()}
        for k in diverged:
            run = stored[RUNS[k].name]
            assert run.status == "diverged" and run.loss is None
            assert run.extra["diverged"] == "its reported 'eval/loss' is inf"
            assert run.extra["non_finite"] == {"eval/loss": "inf"}
        assert len(store.to_run_table()) == len(RUNS) - len(diverged)


def test_a_run_table_s_inf_loss_is_stored_as_diverged(tmp_path: Path) -> None:
    path = _table(tmp_path, RUNS)
    frame = pd.read_csv(path)
    frame.loc[4, "loss"] = np.inf
    frame.to_csv(path, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(path, store=store.path)
    run = {r.name: r for r in store.runs()}[RUNS[4].name]
    assert run.status == "diverged" and run.loss is None
    assert run.extra["diverged"] == "its reported 'loss' is inf"
    assert run.extra["non_finite"] == {"loss": "inf"}
    assert (
        "warning: 1 run stored with status 'diverged', which fit --store leaves out "
        f"('{RUNS[4].name}': its reported 'loss' is inf); {RULE}"
    ) in result.notes
    assert len(store.to_run_table()) == len(RUNS) - 1


def test_a_w_b_csv_s_nan_loss_is_diverged_and_a_blank_one_skipped(tmp_path: Path) -> None:
    """A run whose CSV cell says NaN logged a NaN loss: stored as diverged, as the JSON
    export's NaN is (pandas reads 'NaN' and a blank alike; the text tells them apart). A
    blank cell is no value: that run is skipped, as before."""
    frame = wandb_table(RUNS)
    frame["eval/loss"] = frame["eval/loss"].astype(object)
    frame.loc[2, "eval/loss"] = "NaN"  # written so
    frame.loc[3, "eval/loss"] = None  # a blank cell
    frame.to_csv(tmp_path / "export.csv", index=False)
    assert ",NaN," in (tmp_path / "export.csv").read_text()
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(tmp_path / "export.csv", store=store.path)
    assert result.skipped == ((RUNS[3].name, "no value of 'eval/loss'"),)
    run = {r.name: r for r in store.runs()}[RUNS[2].name]
    assert run.status == "diverged" and run.loss is None
    assert run.extra["diverged"] == "its reported 'eval/loss' is nan"
    assert run.extra["non_finite"] == {"eval/loss": "nan"}
    assert (
        "warning: 1 run stored with status 'diverged', which fit --store leaves out "
        f"('{RUNS[2].name}': its reported 'eval/loss' is nan); {RULE}"
    ) in result.notes
