"""``--final`` says what it did: applied to a curve where there is one (a W&B history, a run
table's ``--history``), and where there is none, the header and a note say the values are
the source's own, not the rule's."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._ingest_sources import expected, ladder, wandb_table
from tests.test_cli_ingest import cli
from tests.test_ingest_table_history import _curves, _table

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

RUNS = ladder(n_sizes=2)  # 6 runs


def test_a_table_without_curves_says_final_was_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = _table(tmp_path, RUNS)
    store = str(tmp_path / "s.duckdb")
    code, out, err = cli(capsys, "ingest", str(table), "--store", store, "--final", "min")
    assert code == 0, err
    assert "final values: the run table's (a table holds final values)" in out
    assert (
        "note: --final min not applied: a run table holds one final value per run; give its "
        "curves with --history for --final to take each final loss from its curve"
    ) in out
    code, out, _ = cli(capsys, "ingest", str(table), "--store", store, "--json")
    assert code == 0 and '"final": "table"' in out and "not applied" not in out


def test_a_table_with_curves_takes_final_from_them(tmp_path: Path) -> None:
    table = _table(tmp_path, RUNS)
    frame = _curves(RUNS[1:])  # the first run has no curve: it keeps the table's loss
    curves = tmp_path / "curves.csv"
    frame.to_csv(curves, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(table, store=store.path, history=curves, final="min")
    assert result.final == "min"
    stored = {r.name: r for r in store.runs()}
    assert stored[RUNS[0].name].loss == pytest.approx(RUNS[0].loss, rel=1e-12)
    assert "final_rule" not in stored[RUNS[0].name].extra
    for run in RUNS[1:]:
        assert stored[run.name].loss == pytest.approx(expected(run, "min"), rel=1e-12)
        assert stored[run.name].extra["final_rule"] == "min"
    assert "final loss = minimum of 'eval_loss' over the curve, as --final min asks" in (
        result.notes
    )
    assert (
        "1 run has no 'eval_loss' curve: its final loss is the table's, not --final min"
        in result.notes
    )
    # without --final, the table's values stay
    again = ingest(table, store=tmp_path / "t.duckdb", history=curves)
    assert again.final == "table"
    kept = {r.name: r.loss for r in RunStore(tmp_path / "t.duckdb").runs()}
    assert kept == pytest.approx({r.name: r.loss for r in RUNS}, rel=1e-12)


@pytest.mark.parametrize("column", ["loss", "val_loss"])
def test_a_table_loss_unlike_its_curve_is_said(tmp_path: Path, column: str) -> None:
    """The note names the table's own column and the curve it is held to."""
    runs = RUNS[:2]
    table = _table(tmp_path, runs)
    frame = pd.read_csv(table)
    frame.loc[0, "loss"] = runs[0].loss + 1.0
    frame.rename(columns={"loss": column}).to_csv(table, index=False)
    curves = tmp_path / "curves.csv"
    _curves(runs).to_csv(curves, index=False)
    result = ingest(table, store=tmp_path / "s.duckdb", history=curves, final="last")
    (note,) = [n for n in result.notes if "differs from the last point" in n]
    assert note.startswith(
        f"warning: 1 run whose table {column!r} differs from the last point of its "
        f"history of 'eval_loss' by more than 0.1% ('{runs[0].name}': table "
        f"{runs[0].loss + 1:.6g}, history's last {runs[0].loss:.6g}): stored the last logged "
        "value of 'eval_loss'"
    )
    assert note.endswith("(without --final, the table's value is stored)")


def test_a_training_loss_curve_sets_train_loss_never_the_loss(tmp_path: Path) -> None:
    """Curves of a training loss only: --final takes train_loss from them and leaves the
    table's eval loss stored as it is; a table's train_loss is held to that curve."""
    runs = RUNS[:2]
    table = _table(tmp_path, runs)
    frame = pd.read_csv(table)
    frame["train_loss"] = [runs[0].loss - 0.1 + 1.0, runs[1].loss - 0.1]  # the first is off
    frame.to_csv(table, index=False)
    curves = tmp_path / "curves.csv"
    _curves(runs).drop(columns="eval_loss").to_csv(curves, index=False)
    store = RunStore(tmp_path / "s.duckdb")
    result = ingest(table, store=store.path, history=curves, final="min")
    assert result.final == "table"
    for run in RUNS[:2]:
        got = {r.name: r for r in store.runs()}[run.name]
        assert got.loss == run.loss  # the table's, not the training curve's
        assert got.train_loss == pytest.approx(run.train_curve().min(), rel=1e-12)
        assert "final_rule" not in got.extra
    assert (
        "final loss = the table's: curves.csv has no eval-loss curve, and its training loss "
        "sets train_loss, not the loss (--final min applies to train_loss only)"
    ) in result.notes
    assert "final train_loss = minimum of 'train_loss' over the curve, as --final min asks" in (
        result.notes
    )
    (note,) = [n for n in result.notes if "differs from the last point" in n]
    assert note.startswith(
        "warning: 1 run whose table 'train_loss' differs from the last point of its "
        f"history by more than 0.1% ('{runs[0].name}': table {runs[0].loss + 0.9:.6g}, "
        f"history's last {runs[0].loss - 0.1:.6g}): stored the minimum of 'train_loss'"
    )


def test_a_tracker_without_history_says_final_was_not_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export.csv"
    wandb_table(RUNS).to_csv(export, index=False)
    args = ("ingest", str(export), "--store", str(tmp_path / "s.duckdb"), "--final", "min")
    code, out, err = cli(capsys, *args)
    assert code == 0, err
    assert "final values: the tracker's reported values (no curve of the loss)" in out
    assert "note: --final min not applied: no run has a curve of 'eval/loss'" in out
    assert "final values: min" not in out
