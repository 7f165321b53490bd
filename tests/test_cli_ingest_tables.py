"""``scalinglab ingest`` of a plain run table: a store without tokens says to ingest them,
and a file of loss curves given as a run table is named as curves, with the command that
stores them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_history
from tests.test_cli_ingest import cli

from scalinglab.store import RunStore


def test_a_store_without_tokens_says_to_ingest_them_not_to_map_d(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A law needing D over a store whose runs have no tokens: the fix is at ingest (--map
    tokens=COLUMN), not --x D= onto the loss, lr or params the hint used to list."""
    table = tmp_path / "runs.csv"
    table.write_text(
        "name,params,loss,ntok\n"
        + "".join(
            f"r{k},{n}M,{3 + 1 / (k + 1):.3f},{20 * n}M\n"
            for k, n in enumerate((10, 30, 90, 270, 810, 2430))
        )
    )
    store = str(tmp_path / "s.duckdb")
    assert cli(capsys, "ingest", str(table), "--store", store)[0] == 0
    code, _, err = cli(capsys, "fit", "--store", store)
    assert code == 2 and "needs column 'tokens' for D" in err
    assert (
        f"hint: no stored run has tokens: ingest the runs again with the column that holds it, "
        f"scalinglab ingest SOURCE --store {store} --map tokens=COLUMN"
    ) in err
    assert "--x D=" not in err
    code, out, _ = cli(capsys, "ingest", str(table), "--store", store, "--map", "tokens=ntok")
    assert code == 0 and "updated" in out


def test_a_curve_file_given_as_a_run_table_is_named_as_curves(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A long file of curves (run, step, loss: many rows per run) is not 'a run id appears
    twice': ingest says it holds curves, and the command its hint gives stores them."""
    runs = ladder(n_sizes=3)
    history = wandb_history(runs).rename(columns={"_step": "step", "eval/loss": "loss"})
    curves = tmp_path / "curves.csv"
    history[["run_id", "step", "loss"]].assign(params=history["run_id"].map(
        {r.run_key: r.params for r in runs}
    )).to_csv(curves, index=False)  # fmt: skip
    store = tmp_path / "runs.duckdb"
    code, _, err = cli(capsys, "ingest", str(curves), "--store", str(store))
    assert code == 2 and "appears twice" not in err
    assert f"{curves}, column 'step': this looks like loss curves, not a run table" in err
    assert "180 rows for 9 runs (run 'id00x' has 20 rows, steps 100 to 2000)" in err
    assert "scalinglab ingest RUNS.csv --history curves.csv (a table without a loss" in err
    assert "add --kind wandb --final last, min or mean:K" in err
    assert "scalinglab envelope curves.csv" in err and not store.exists()
    # the hinted command: a run table of one row per run, the curves as its history
    table = tmp_path / "RUNS.csv"
    frame = pd.DataFrame(
        {"name": [r.run_key for r in runs], "params": [r.params for r in runs],
         "tokens": [r.tokens for r in runs], "loss": [r.loss for r in runs]}
    )  # fmt: skip
    frame.to_csv(table, index=False)
    args = ("ingest", str(table), "--history", str(curves), "--json")
    code, out, err = cli(capsys, *args, "--store", str(tmp_path / "t.duckdb"))
    assert code == 0, err
    data = json.loads(out)
    assert len(data["added"]) == 9 and data["curve_points"] == 180 and data["kind"] == "table"
    # a table without a loss column, as a W&B export: each final loss from its curve
    frame.drop(columns="loss").to_csv(table, index=False)
    args = ("ingest", str(table), "--kind", "wandb", "--history", str(curves), "--final", "min")
    code, out, err = cli(capsys, *args, "--store", str(store), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert len(data["added"]) == 9 and data["curve_points"] == 180 and data["final"] == "min"
    # a genuine duplicate (no step column, or the same step twice) keeps its own message
    for extra in ("", ",step"):
        dup = tmp_path / f"dup{len(extra)}.csv"
        rows = ["a,10M,200M,4.1", "a,10M,200M,4.0", "b,20M,400M,3.9"]
        step = [",100", ",100", ",100"] if extra else ["", "", ""]
        dup.write_text(
            f"run,params,tokens,loss{extra}\n"
            + "\n".join(r + s for r, s in zip(rows, step, strict=True))
        )
        code, _, err = cli(capsys, "ingest", str(dup), "--store", str(tmp_path / "d.duckdb"))
        assert code == 2 and "run id 'a' appears twice, at rows 2 and 3" in err
        assert "loss curves" not in err


def test_a_misspelt_map_quantity_on_a_run_table_is_refused_as_for_a_tracker(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--map los=other`` stored the loss from 'loss' and 'other' as a column 'los': now
    refused with the nearest quantity, in the tracker's words; a quantity or the run-id
    column by any of its names still maps."""
    table = tmp_path / "t4.csv"
    table.write_text("run,params,tokens,loss,other\na,10M,200M,4.0,9\nb,20M,400M,3.6,9\n")
    store = tmp_path / "s.duckdb"
    code, _, err = cli(capsys, "ingest", str(table), "--map", "los=other", "--store", str(store))
    assert code == 2 and not store.exists()
    assert (
        "error: --map los=... (mapping={'los': ...} in Python): 'los' is not a quantity "
        "ingest reads hint: did you mean 'loss'? map one of params, params_non_embedding, "
        "tokens, flops, loss, train_loss, lr, batch, run, e.g. --map loss=eval/loss"
    ) in err
    args = ("--map", "lr=other", "--map", "name=run", "--store", str(store))
    code, _, err = cli(capsys, "ingest", str(table), *args)
    assert code == 0, err
    assert {r.extra["lr"] for r in RunStore(store).runs()} == {9.0}
