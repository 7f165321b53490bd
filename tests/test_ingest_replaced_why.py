"""Runs replaced under their key say what changed: the field, old -> new, the --final rule
when it is why, and a curve's first differing step; the same file ingested again does not
get the hint meant for another experiment's file of the same name."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import scalinglab


def _files(tmp_path: Path) -> tuple[Path, Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    steps = np.arange(100, 2100, 100)
    runs, rows = [], []
    for k, n in enumerate((1e7, 3e7, 1e8)):
        # the eval loss dips before the end: the lowest is not the last
        evals = 3 + k / 10 + 50 / steps + 0.01 * (steps >= 1900)
        rows += [{"run": f"m{k}", "step": s, "eval_loss": e, "lr": 1e-3}
                 for s, e in zip(steps, evals, strict=True)]  # fmt: skip
        runs.append({"run": f"m{k}", "params": n, "tokens": 1e9, "loss": evals[-1]})
    table, curves = tmp_path / "runs.csv", tmp_path / "curves.csv"
    pd.DataFrame(runs).to_csv(table, index=False)
    pd.DataFrame(rows).to_csv(curves, index=False)
    return table, curves


def test_a_changed_final_rule_is_named_as_the_reason(tmp_path: Path) -> None:
    table, curves = _files(tmp_path)
    store = tmp_path / "s.duckdb"
    scalinglab.ingest(table, store=store, history=curves, final="last")
    again = scalinglab.ingest(table, store=store, history=curves, final="min")
    assert len(again.written.updated) == 3
    (note,) = [n for n in again.notes if "replaced by other values" in n]
    assert note.startswith(
        "3 stored runs replaced by other values under the same key (the --final rule "
        "changed from last to min): m0 (loss 3.035 -> 3.0278); m1 (loss 3.135 -> 3.1278)"
    ), note
    assert "another experiment" not in note and "rename it" not in note, note


def test_a_changed_curve_names_its_first_differing_step(tmp_path: Path) -> None:
    table, curves = _files(tmp_path)
    store = tmp_path / "s.duckdb"
    scalinglab.ingest(table, store=store, history=curves)
    frame = pd.read_csv(curves)
    frame.loc[(frame["run"] == "m1") & (frame["step"] >= 1200), "lr"] = 5e-4
    frame.to_csv(curves, index=False)
    again = scalinglab.ingest(table, store=store, history=curves)
    (note,) = [n for n in again.notes if "replaced by other values" in n]
    assert note == (
        "1 stored run replaced by other values under the same key: m1 (curve from step "
        "1200: lr 0.001 -> 0.0005)"
    )


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_a_table_ingested_again_without_its_curves_is_unchanged(tmp_path: Path) -> None:
    table, curves = _files(tmp_path)
    store = tmp_path / "s.duckdb"
    scalinglab.ingest(table, store=store, history=curves)
    for history in (None, curves, None):  # with or without --history: nothing changed
        again = scalinglab.ingest(table, store=store, history=history)
        assert len(again.written.unchanged) == 3 and not again.written.updated, again.notes
    assert len(scalinglab.RunStore(store).curve(_id(store, "m0"))) == 20


def _id(store: Path, name: str) -> str:
    return next(r.run_id for r in scalinglab.RunStore(store).runs() if r.name == name)


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_a_loss_given_without_curves_that_leaves_its_curve_s_end_is_noted(
    tmp_path: Path,
) -> None:
    table, curves = _files(tmp_path)
    store = tmp_path / "s.duckdb"
    scalinglab.ingest(table, store=store, history=curves)
    frame = pd.read_csv(table)
    frame.loc[frame["run"] == "m2", "loss"] = 3.1
    frame.loc[frame["run"] == "m1", "params"] = 4e7  # another change: its curve still ends so
    frame.to_csv(table, index=False)
    again = scalinglab.ingest(table, store=store)
    assert sorted(again.written.updated) == sorted([_id(store, "m1"), _id(store, "m2")])
    (note,) = [n for n in again.notes if "replaced by other values" in n]
    assert note == (
        "2 stored runs replaced by other values under the same key: m1 (params 30M -> 40M); "
        "m2 (loss 3.23 -> 3.1, its stored curve, kept (none given), ends at eval_loss 3.235, "
        "unlike the new loss)"
    )
    # the updated runs keep their curves, and are unchanged when given with them again
    frame = pd.read_csv(curves)
    assert len(scalinglab.RunStore(store).curve(_id(store, "m2"))) == 20
    again = scalinglab.ingest(table, store=store)
    assert len(again.written.unchanged) == 3


def test_a_moved_table_given_again_with_its_curves_is_unchanged(tmp_path: Path) -> None:
    """A table moved and ingested without its curves is moved, its stored row hashed with
    the curve it keeps: given again with that curve, it is unchanged (it was "updated")."""
    table, curves = _files(tmp_path / "a")
    store = tmp_path / "s.duckdb"
    scalinglab.ingest(table, store=store, history=curves)
    (tmp_path / "a").rename(tmp_path / "b")
    table, curves = tmp_path / "b" / table.name, tmp_path / "b" / curves.name
    assert len(scalinglab.ingest(table, store=store).written.moved) == 3
    again = scalinglab.ingest(table, store=store, history=curves)
    assert len(again.written.unchanged) == 3 and not again.written.updated, again.notes
