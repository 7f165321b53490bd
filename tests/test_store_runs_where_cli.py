"""``scalinglab runs`` as a new user types it: a tracker's state for --status (W&B's
``crashed``) says which status it is stored as, ``--where params=20M`` selects by the run's
size as a run table writes it, a ``--where`` hint lists the runs' own names, not an ingest's
records, and a ``--history`` file that is not there is named in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests._cli import cli
from tests._ingest_sources import ladder, wandb_table

from scalinglab.store import RunStore, StoredRun


def _store(path: Path) -> RunStore:
    store = RunStore(path)
    ingested = {"ingested_from": "wandb", "final_rule": "last", "wandb_state": "crashed",
                "mapping": {"loss": "eval/loss"}, "metrics": {"eval/loss": 3.0}}  # fmt: skip
    runs = [
        StoredRun(run_id="a", name="small", params=2e7, tokens=4e8, loss=3.5,
                  config={"dataset": "c4"}, extra={"ingested_from": "wandb"}),
        StoredRun(run_id="b", name="small-long", params=2e7, tokens=8e8, loss=3.3,
                  config={"dataset": "c4"}),
        StoredRun(run_id="c", name="big", status="failed", params=1.6e8, tokens=3.2e9,
                  loss=3.0, config={"dataset": "c4"}, extra=ingested),
    ]  # fmt: skip
    store.put_runs((r, None) for r in runs)
    return store


def test_a_trackers_state_says_the_status_it_is_stored_as(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, _, err = cli(capsys, "runs", "--store", str(path), "--status", "crashed")
    assert code == 2 and err.splitlines() == [
        "error: --status crashed: a tracker's run state, which the store keeps as 'failed'",
        "hint: --status failed lists those runs; --where selects by the tracker's own state, "
        "kept beside each: wandb_state=crashed (W&B)",  # MLflow has no CRASHED
    ]
    code, out, err = cli(capsys, "runs", "--store", str(path), "--where", "wandb_state=crashed",
                         "--json")  # fmt: skip
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["big"], err


@pytest.mark.parametrize(
    ("state", "hint"),
    [
        (
            "killed",
            "--status failed lists those runs; --where selects by the tracker's own "
            "state, kept beside each: wandb_state=killed (W&B), mlflow_status=KILLED (MLflow)",
        ),
        (
            "SCHEDULED",
            "--status running lists those runs; --where selects by the tracker's "
            "own state, kept beside each: mlflow_status=SCHEDULED (MLflow)",
        ),
        (
            "preempted",
            "--status failed lists those runs; --where selects by the tracker's own "
            "state, kept beside each: wandb_state=preempted (W&B)",
        ),
        ("done", "--status finished lists those runs (a table's own word is not kept)"),
    ],
)
def test_a_state_hints_only_the_trackers_that_write_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, state: str, hint: str
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, _, err = cli(capsys, "runs", "--store", str(path), "--status", state)
    assert code == 2 and err.splitlines()[1] == f"hint: {hint}", err


def test_where_selects_by_a_size_written_as_a_table_writes_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, out, err = cli(capsys, "runs", "--store", str(path), "--where", "params=20M", "--json")
    assert code == 0, err
    assert [r["name"] for r in json.loads(out)["runs"]] == ["small", "small-long"]
    code, _, err = cli(capsys, "runs", "--store", str(path), "--where", "params=21M")
    assert code == 2 and err.splitlines() == [
        f"error: --where params=21M: no stored run has params = '21M' in {path}",
        "hint: its values are 20M, 160M",
    ]


def test_the_where_hint_lists_the_runs_names_not_an_ingests_records(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _store(tmp_path / "s.duckdb").path
    code, _, err = cli(capsys, "runs", "--store", str(path), "--where", "nope=1", one_line=True)
    assert code == 2 and err == (
        f"error: --where nope=1: no stored run has a value 'nope' in {path} hint: the runs' "
        "values are corpus, dataset, loss, name, params, run, run_id, status, tokens, "
        "wandb_state"
    )


@pytest.mark.parametrize("given", ["table", "wandb"])
def test_a_history_file_not_there_is_named_in_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str
) -> None:
    runs = tmp_path / ("wandb_export.csv" if given == "wandb" else "runs.csv")
    table = wandb_table(ladder(n_sizes=2))
    if given == "table":
        table = table.rename(columns={"Name": "run", "model.n_params": "params",
                                      "tokens_seen": "tokens", "eval/loss": "loss"})  # fmt: skip
        table = table[["run", "params", "tokens", "loss"]]
    table.to_csv(runs, index=False)
    missing = tmp_path / "nonexist.csv"
    store = tmp_path / "s.duckdb"
    code, _, err = cli(
        capsys, "ingest", str(runs), "--history", str(missing), "--store", str(store)
    )
    what = "history export" if given == "wandb" else "loss curves"
    assert code == 2 and err.splitlines() == [
        f"error: {missing}: no such file: the {what} to read with the runs",
        "hint: check the path given with --history (history= in Python), or leave it out to "
        "ingest the runs without their curves",
    ]


def test_where_status_with_a_trackers_word_says_the_status_it_is_stored_as(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Was "its values are failed, finished" with no word that crashed is kept as failed."""
    path = _store(tmp_path / "s.duckdb").path
    code, _, err = cli(capsys, "runs", "--store", str(path), "--where", "status=crashed")
    assert code == 2 and err.splitlines() == [
        "error: --where status=crashed: a tracker's run state, which the store keeps as 'failed'",
        "hint: --where status=failed lists those runs; --where selects by the tracker's own "
        "state, kept beside each: wandb_state=crashed (W&B)",
    ]


def test_where_takes_extra_as_json_nests_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Was refused: ``extra.wandb_state`` is how ``runs --json`` shows the tracker's state."""
    path = _store(tmp_path / "s.duckdb").path
    code, out, err = cli(capsys, "runs", "--store", str(path), "--where",
                         "extra.wandb_state=crashed", "--json")  # fmt: skip
    assert code == 0 and [r["name"] for r in json.loads(out)["runs"]] == ["big"], err
