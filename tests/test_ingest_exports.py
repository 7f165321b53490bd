"""The same W&B runs from two exports (the UI's CSV, the API's JSON): one run each, unchanged
by the other export's spelling of its config (nested or dotted keys, integers or floats,
``"1e-3"`` or 0.001); a changed value is still an update, and a moved export still moved."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests._ingest_sources import ladder, wandb_api_export, wandb_history, wandb_table

from scalinglab import DataError
from scalinglab.cli import main
from scalinglab.ingest import ingest
from scalinglab.ingest._convert import ingest_run_id
from scalinglab.ingest._wandb import read_wandb
from scalinglab.store import RunStore, StoredRun
from scalinglab.store._respelled import normal_form

RUNS = ladder(n_sizes=3)  # 9 runs


def _exports(folder: Path, records: list[dict[str, Any]] | None = None) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    csv, api = folder / "export.csv", folder / "export.json"
    wandb_table(RUNS).to_csv(csv, index=False)
    api.write_text(json.dumps(records or wandb_api_export(RUNS)))
    return csv, api


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return " ".join(out.split())


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_the_json_export_after_the_csv_is_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv, api = _exports(tmp_path)
    store = str(tmp_path / "s.duckdb")
    assert "│ 9 │ 0 │ 0 │ 0 │ 0 │ 0 │ 0 │" in _run(capsys, "ingest", str(csv), "--store", store)
    out = _run(capsys, "ingest", str(api), "--store", store)
    assert "│ 0 │ 0 │ 9 │ 0 │ 0 │ 0 │ 0 │" in out  # was: 9 updated
    assert (
        f"note: unchanged runs: stored already from {csv}, the same values in another "
        "export's spelling (left as stored)"
    ) in out
    assert {r.source for r in RunStore(store).runs()} == {str(csv)}  # the stored runs stay
    out = _run(capsys, "ingest", str(csv), "--store", store)
    assert "│ 0 │ 0 │ 9 │ 0 │ 0 │ 0 │ 0 │" in out and "another export" not in out
    other = str(tmp_path / "t.duckdb")  # the other order
    _run(capsys, "ingest", str(api), "--store", other)
    out = _run(capsys, "ingest", str(csv), "--store", other)
    assert "│ 0 │ 0 │ 9 │ 0 │ 0 │ 0 │ 0 │" in out and f"stored already from {api}," in out


def test_a_changed_value_in_the_other_export_is_an_update(tmp_path: Path) -> None:
    records = wandb_api_export(RUNS)
    records[0]["summary"]["eval/loss"] += 0.01  # a final loss
    records[1]["config"]["optimizer"] = "lion"  # a label
    records[2]["config"]["model"]["n_params"] += 1  # a size, by one parameter
    records[3]["state"] = "crashed"  # a status
    csv, api = _exports(tmp_path, records)
    store = tmp_path / "s.duckdb"
    ingest(csv, store=store)
    written = ingest(api, store=store).written
    ids = [ingest_run_id("wandb", r["id"]) for r in records]
    assert sorted(written.updated) == sorted(ids[:4])
    assert sorted(written.unchanged) == sorted(ids[4:])


def test_a_number_written_as_text_is_the_same_number(tmp_path: Path) -> None:
    """The CSV reads ``1e-3`` as a float; an API config may hold the text."""
    csv, api = _exports(tmp_path)
    pd.read_csv(csv).assign(lr=0.001).to_csv(csv, index=False)
    records = wandb_api_export(RUNS)
    for record in records:
        record["config"]["lr"] = "1e-3"
    api.write_text(json.dumps(records))
    store = tmp_path / "s.duckdb"
    ingest(csv, store=store)
    assert len(ingest(api, store=store).written.unchanged) == len(RUNS)
    for record in records:
        record["config"]["lr"] = "3e-3"
    api.write_text(json.dumps(records))
    assert len(ingest(api, store=store).written.updated) == len(RUNS)


def test_a_size_written_with_units_is_unchanged_in_the_other_export(tmp_path: Path) -> None:
    """A config value with a unit (``"6.8B"``) is text in both exports, while the run table
    also lists it among the run's metrics as the number: the two are one value, not two
    (which made the run compared exactly, so every run was "updated")."""
    csv, api = _exports(tmp_path)
    sizes = [f"{run.params / 1e6:.6g}M" for run in RUNS]
    pd.read_csv(csv).assign(**{"model.n_params": sizes}).to_csv(csv, index=False)
    records = wandb_api_export(RUNS)
    for record, size in zip(records, sizes, strict=True):
        record["config"]["model"]["n_params"] = size
    api.write_text(json.dumps(records))
    store = tmp_path / "s.duckdb"
    assert len(ingest(csv, store=store).written.added) == len(RUNS)
    written = ingest(api, store=store).written
    assert len(written.unchanged) == len(RUNS) and written.updated == ()
    records[0]["config"]["model"]["n_params"] = "1B"  # another size is still an update
    api.write_text(json.dumps(records))
    assert ingest(api, store=store).written.updated == (ingest_run_id("wandb", records[0]["id"]),)


def test_curves_count_as_content(tmp_path: Path) -> None:
    """The same points logged in the JSON are unchanged; other points are an update."""
    csv, api = _exports(tmp_path, wandb_api_export(RUNS, history=True))
    history = tmp_path / "history.parquet"
    wandb_history(RUNS).to_parquet(history)
    store = tmp_path / "s.duckdb"
    assert ingest(csv, store=store, history=history).written.curve_points == 20 * len(RUNS)
    written = ingest(api, store=store).written
    assert len(written.unchanged) == len(RUNS) and written.curve_points == 0
    records = wandb_api_export(RUNS, history=True)
    records[0]["history"][5]["train/loss"] += 0.5
    api.write_text(json.dumps(records))
    written = ingest(api, store=store).written
    assert written.updated == (ingest_run_id("wandb", records[0]["id"]),)


def test_a_moved_export_is_still_moved(tmp_path: Path) -> None:
    csv, api = _exports(tmp_path / "a")
    store = tmp_path / "s.duckdb"
    ingest(api, store=store)
    moved = tmp_path / "b" / "export.json"
    moved.parent.mkdir()
    api.rename(moved)
    written = ingest(moved, store=store).written
    assert len(written.moved) == len(RUNS) and not written.updated
    assert {r.source for r in RunStore(store).runs()} == {str(moved)}
    assert len(ingest(csv, store=store).written.unchanged) == len(RUNS)  # and the CSV: same


def test_the_normal_form_drops_only_the_spelling() -> None:
    def run(config: dict[str, Any], **extra: Any) -> StoredRun:
        return StoredRun(run_id="r", name="a", loss=3.0, config=config, extra=extra,
                         source="x")  # fmt: skip

    base = normal_form(run({"model.n_params": 1e7, "lr": 0.001}, metrics={"eval/loss": 3.0}))
    assert base is not None
    same = run({"model/n_params": 10_000_000, "lr": "1e-3", "eval/loss": 3})
    assert normal_form(same) == base
    assert normal_form(run({"model.n_params": 1e7, "lr": 0.002, "eval/loss": 3.0})) != base
    assert normal_form(run({"model.n_params": 1e7, "lr": "fast", "eval/loss": 3.0})) != base
    assert normal_form(run({"model.n_params": "10M", "lr": 1e-3, "eval/loss": 3.0})) == base
    # two names that become one, with two values: no normal form (compared exactly)
    assert normal_form(run({"a.b": 1, "a/b": 2})) is None


@pytest.mark.parametrize("run_key", ["name", "run_name"])
def test_wandb_json_lines_ingest_as_the_json_list_does(tmp_path: Path, run_key: str) -> None:
    """JSON lines of API run objects (nested config, ``summary``'s ``eval/loss``) read as
    the JSON list's records, a run named by ``run_name`` as by ``name``."""
    records = [
        {
            run_key: f"r{k}",
            "config": {"model": {"n_params": n}, "n_tokens": 20 * n},
            "summary": {"eval/loss": 2.0 + k / 10},
        }
        for k, n in enumerate((1e7, 2e7, 4e7))
    ]
    path = tmp_path / "nested.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    source = read_wandb(path)
    assert [r.name for r in source.runs] == ["r0", "r1", "r2"]
    assert source.runs[1].summary["eval/loss"] == 2.1
    assert source.runs[2].config["model/n_params"] == 4e7


def test_a_wandb_run_object_without_a_name_names_its_keys(tmp_path: Path) -> None:
    path = tmp_path / "runs.jsonl"
    path.write_text('{"name": "a", "summary": {"loss": 2}}\n{"summary": {"loss": 3}}\n')
    with pytest.raises(DataError) as caught:
        read_wandb(path)
    assert str(caught.value) == (
        f"{path}, row 2: a run object without a name (none of the keys 'name', 'display_name', "
        "'run_name', 'run', 'exp_name') (give each run object its name: \"name\": \"...\")"
    )


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_exports_without_history_after_one_with_it_are_unchanged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ingested with its history, a run records ``final_rule`` ``last`` and ``lr <- lr``;
    the CSV again without ``--history``, or the JSON, record ``summary`` and no lr, with the
    same final values (the summary is the curve's last point): unchanged, not updated."""
    csv, api = _exports(tmp_path)
    history = tmp_path / "history.parquet"
    wandb_history(RUNS).to_parquet(history)
    store = str(tmp_path / "s.duckdb")
    _run(capsys, "ingest", str(csv), "--history", str(history), "--store", store)
    for again in ([str(csv)], [str(api)], [str(csv), "--history", str(history)]):
        out = _run(capsys, "ingest", *again, "--store", store)
        assert "│ 0 │ 0 │ 9 │ 0 │ 0 │ 0 │ 0 │" in out, out  # was: 9 updated
        assert "replaced" not in out, out
    stored = RunStore(store).runs()
    assert {r.extra["final_rule"] for r in stored} == {"last"}  # as first stored
    assert {r.extra["mapping"]["lr"] for r in stored} == {"lr"}
    assert all(len(RunStore(store).curve(r.run_id)) == 20 for r in stored)


def test_another_final_value_without_history_is_still_an_update(tmp_path: Path) -> None:
    """The stored rule is kept only for the same final values: a summary loss that is not
    the curve's last point replaces the run, recording the rule it was taken by."""
    history = tmp_path / "history.parquet"
    wandb_history(RUNS).to_parquet(history)
    records = wandb_api_export(RUNS)
    records[0]["summary"]["eval/loss"] += 0.01
    records[1]["config"]["optimizer"] = "lion"  # the same losses, another value
    csv, api = _exports(tmp_path, records)
    store = tmp_path / "s.duckdb"
    ingest(csv, store=store, history=history)
    result = ingest(api, store=store)
    ids = [ingest_run_id("wandb", r["id"]) for r in records]
    assert sorted(result.written.updated) == sorted(ids[:2])
    (note,) = [n for n in result.notes if "replaced by other values" in n]
    assert "(the --final rule changed from last to summary)" in note, note
    rules = {r.run_id: r.extra["final_rule"] for r in RunStore(store).runs()}
    assert [rules[i] for i in ids[:3]] == ["summary", "summary", "last"]
