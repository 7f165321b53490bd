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


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_summary_then_a_second_ingest_is_unchanged(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, export: tuple[Path, Path]
) -> None:
    table, history = export
    store = str(tmp_path / "runs.duckdb")
    args = ("ingest", str(table), "--history", str(history), "--store", store, "--final", "min")
    code, out, _ = cli(capsys, *args)
    assert code == 0
    assert f"read 9 runs from {table} (wandb) into {store}: 9 added" in out
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
    assert f"read 9 runs from {table} (wandb) into {store}: 8 added, 1 skipped" in out


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
    assert "run 'n0-r0' has 'adamw' (and 8 more runs), which would store params as missing" in err
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


def test_a_misspelt_map_onto_a_stored_column_names_the_nearest_quantity(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--map los=loss`` on a table was refused without the "did you mean" that
    ``--map paramz=...`` gets: misspelt quantities are named for trackers and tables alike."""
    table = tmp_path / "runs.csv"
    table.write_text("name,params,tokens,loss\na,1e7,1e9,3.1\nb,2e7,1e9,2.9\n")
    store = tmp_path / "x.duckdb"
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store), "--map", "los=loss")
    assert code == 2 and not store.exists()
    assert (
        "error: --map los=loss reads column 'loss' as 'los', which the store does not keep" in err
    )
    assert "hint: did you mean 'loss'? map onto params, tokens, flops, loss" in err
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store), "--map", "size=params")
    assert code == 2 and "did you mean" not in err  # no quantity is near 'size'
    code, _, err = cli(capsys, "ingest", str(table), "--store", str(store), "--map", "lr=loss")
    assert code == 2 and "did you mean" not in err  # lr is a quantity, not a misspelling
