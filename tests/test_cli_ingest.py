"""``scalinglab ingest``: the summary, ``--json``, and bad input -> a clear message naming the
file, run or column, a non-zero exit, and a store whose bytes did not change."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._hashes import cli_inputs, unchanged
from tests._ingest_sources import ladder, wandb_history, wandb_table, write_tensorboard

from scalinglab.cli import main
from scalinglab.store import RunStore


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the CLI; every file it was given (the store ingest writes aside) keeps its bytes."""
    with unchanged(*cli_inputs(args)):
        code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, " ".join(err.split())  # messages wrap at the console width


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def export(tmp_path: Path) -> tuple[Path, Path]:
    runs = ladder(n_sizes=3)
    wandb_table(runs).to_csv(tmp_path / "wandb_export.csv", index=False)
    wandb_history(runs).to_parquet(tmp_path / "history.parquet")
    return tmp_path / "wandb_export.csv", tmp_path / "history.parquet"


def test_summary_then_a_second_ingest_is_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    table, history = export
    store = str(tmp_path / "runs.duckdb")
    args = ("ingest", str(table), "--history", str(history), "--store", store, "--final", "min")
    code, out, _ = cli(capsys, *args)
    assert code == 0
    assert f"read 9 run(s) from {table} (wandb) into {store}: 9 added" in out
    assert "│     9 │       0 │         0 │     0 │         0 │       0 │          180 │" in out
    assert "loss <- eval/loss" in out and "minimum of 'eval/loss'" in out
    code, out, _ = cli(capsys, *args, "--json")
    data = json.loads(out)
    assert code == 0 and data["added"] == [] and len(data["unchanged"]) == 9
    code, out, _ = cli(capsys, *args)  # the headline says a no-op is one
    assert code == 0 and f"into {store}: 9 unchanged (nothing new)" in out
    assert data["curve_points"] == 0 and data["final"] == "min" and data["kind"] == "wandb"
    code, out, _ = cli(capsys, "fit", "--store", store, "--bootstrap", "0", "--json")
    assert code == 0 and len(json.loads(out)["runs"]) == 9


def test_the_headline_counts_the_runs_stored_and_skipped(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    table, _ = export
    frame = wandb_table(ladder(n_sizes=3))
    frame.loc[4, "eval/loss"] = np.nan  # a run that logged no loss: read, not stored
    frame.to_csv(table, index=False)
    store = tmp_path / "runs.duckdb"
    code, out, _ = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 0
    assert f"read 9 run(s) from {table} (wandb) into {store}: 8 added, 1 skipped" in out


def test_no_usable_metric_lists_the_columns_and_suggests_map(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    table, _ = export
    frame = wandb_table(ladder(n_sizes=1)).drop(columns=["eval/loss", "train/loss"])
    frame["perplexity"] = 20.0
    frame.to_csv(table, index=False)
    store = tmp_path / "runs.duckdb"
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 2
    assert f"{table}: no loss metric in this wandb source" in err
    assert "'perplexity'" in err and "'model.n_params'" in err
    assert "--map loss=NAME" in err
    assert not store.exists()


def test_map_to_a_missing_name_names_it_and_leaves_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    table, history = export
    store = tmp_path / "runs.duckdb"
    assert cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    before = _digest(store)
    code, _, err = cli(
        capsys, "ingest", str(table), "--history", str(history), "--store", str(store),
        "--map", "params=model/n_param",
    )  # fmt: skip
    assert code == 2
    assert "column 'model/n_param'" in err and "did you mean 'model.n_params'" in err
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store), "--map", "size=x")
    assert code == 2 and "'size' is not a quantity ingest reads" in err
    assert _digest(store) == before


def test_truncated_event_file_exits_2_and_store_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    pytest.importorskip("tensorboard", reason="the tensorboard package is the [trackers] extra")
    table, _ = export
    store = tmp_path / "runs.duckdb"
    assert cli(capsys, "ingest", str(table), "--store", str(store))[0] == 0
    before = _digest(store)
    write_tensorboard(tmp_path / "tb", ladder(n_sizes=2, ratios=(20.0,)))
    event = sorted((tmp_path / "tb").rglob("events.out.tfevents*"))[1]
    event.write_bytes(event.read_bytes()[:-5])
    code, _, err = cli(capsys, "ingest", str(tmp_path / "tb"), "--store", str(store))
    assert code == 2
    assert "truncated or corrupt event file" in err and event.name in err
    garbage = tmp_path / "tb2" / "run" / "events.out.tfevents.1.host"
    garbage.parent.mkdir(parents=True)
    garbage.write_bytes(b"not an event file at all")
    code, _, err = cli(capsys, "ingest", str(tmp_path / "tb2"), "--store", str(store))
    assert code == 2 and "truncated or corrupt event file" in err and garbage.name in err
    assert _digest(store) == before
    assert RunStore(store).counts()["finished"] == 9


def test_corrupt_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    table, _ = export
    store = tmp_path / "runs.duckdb"
    store.write_bytes(b"\x00garbage" * 512)
    before = _digest(store)
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store))
    assert code == 2 and f"{store}: not a readable run store" in err
    assert _digest(store) == before


def test_missing_tracker_client_names_the_extra(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "mlruns" / "0").mkdir(parents=True)
    (tmp_path / "mlruns" / "0" / "meta.yaml").write_text("name: Default\n")
    monkeypatch.setitem(sys.modules, "mlflow", None)  # as if not installed
    monkeypatch.setitem(sys.modules, "mlflow.tracking", None)
    code, _, err = cli(
        capsys, "ingest", str(tmp_path / "mlruns"), "--store", str(tmp_path / "s.duckdb")
    )
    assert code == 2 and 'pip install "scalinglab[trackers]"' in err


def test_unknown_folder_and_bad_final(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, _, err = cli(
        capsys, "ingest", str(tmp_path / "empty"), "--store", str(tmp_path / "s.duckdb")
    )
    assert code == 2 and "no MLflow store, Ray Tune results or TensorBoard event files" in err
    code, _, err = cli(capsys, "ingest", str(tmp_path / "empty"), "--final", "median")
    assert code == 2 and "unknown final-value rule 'median'" in err


def test_a_wandb_local_run_folder_says_which_exports_are_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``ingest wandb/`` (the client's offline runs) pointed at ``--kind wandb``, which then
    failed with "[Errno 21] Is a directory": both now say what ingest reads instead."""
    files = tmp_path / "wandb" / "offline-run-20240101_000000-abc123" / "files"
    files.mkdir(parents=True)
    (files.parent / "run-abc123.wandb").write_bytes(b"\x00")
    (files / "wandb-summary.json").write_text('{"eval/loss": 3.2}')
    store = str(tmp_path / "s.duckdb")
    for kind in ((), ("--kind", "wandb")):
        code, _, err = cli(capsys, "ingest", str(tmp_path / "wandb"), *kind, "--store", store)
        assert code == 2, kind
        assert (
            "a W&B local run folder (offline-run-20240101_000000-abc123/run-abc123.wandb): "
            "ingest reads W&B's exports, not the files a run writes locally"
        ) in err, kind
        assert (
            f"hint: sync the runs (wandb sync {tmp_path / 'wandb'}), then export the run table"
            in err
        )
        assert "Errno" not in err and "--kind" not in err
    (tmp_path / "empty").mkdir()
    code, _, err = cli(capsys, "ingest", str(tmp_path / "empty"), "--kind", "wandb")
    assert code == 2 and "a folder, not a W&B export (a run-table CSV or a JSON list" in err
    code, _, err = cli(capsys, "ingest", str(tmp_path / "empty"), "--store", store)
    assert "name a folder's kind with --kind (mlflow, tensorboard, raytune, lm-eval)" in err
    assert not Path(store).exists()


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


def test_map_to_a_text_column_is_refused_naming_a_run_and_its_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    """``--map params=optimizer`` stored every run without params; now it names the column,
    a run and its value, and what to map instead; numbers with units still read."""
    table, history = export
    store = tmp_path / "runs.duckdb"
    args = ("ingest", str(table), "--history", str(history), "--store", str(store))
    code, _, err = cli(capsys, *args, "--map", "params=optimizer")
    assert code == 2
    assert f"{table}, column 'optimizer': --map params=optimizer: 'optimizer' does not hold " in err
    assert "run 'n0-r0' has 'adamw' (and 8 more run(s)), which would store params as missing" in err
    assert "map params to a numeric metric or config value" in err and "70M" in err
    assert not store.exists()
    frame = pd.read_csv(table)
    frame["size"] = [f"{p / 1e6:g}M" for p in frame["model.n_params"]]
    frame.to_csv(table, index=False)
    code, _, err = cli(capsys, *args, "--map", "params=size", "--json")
    assert code == 0, err
    params = RunStore(store).runs_frame()["params"]
    assert params.notna().all() and set(params) == set(pd.read_csv(table)["model.n_params"])
    # a plain table says the same through read_runs: column, row and value
    plain = tmp_path / "runs.csv"
    plain.write_text("run,params,tokens,loss,opt\na,10M,200M,4.1,adamw\nb,20M,400M,3.9,adamw\n")
    code, _, err = cli(capsys, "ingest", str(plain), "--store", str(store), "--map", "params=opt")
    assert code == 2 and f"{plain}, row 2, column 'opt': 'adamw' is not a number" in err
