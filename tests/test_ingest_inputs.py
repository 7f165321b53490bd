"""Ingest never writes a file it was given: every input (a tracker store, an export, a
history file) is hashed, file by file, before and after each command, whether the command
succeeds or is refused; tracker databases that are not MLflow's are refused untouched."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from tests._hashes import tree_digest
from tests._ingest_sources import ladder, wandb_history, wandb_table, write_mlflow

from scalinglab.cli import main


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, err


@pytest.fixture(scope="module")
def mlruns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    root = tmp_path_factory.mktemp("mlflow") / "mlruns"
    write_mlflow(root, ladder(n_sizes=2, ratios=(20.0,)))
    return root


def test_an_mlflow_file_store_is_read_without_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mlruns: Path
) -> None:
    source = tmp_path / "mlruns"
    shutil.copytree(mlruns, source)
    shutil.rmtree(source / ".trash", ignore_errors=True)  # as a fresh user store may be
    before = tree_digest(source)
    code, err = run_cli(capsys, "ingest", str(source), "--store", str(tmp_path / "s.duckdb"))
    assert code == 0, err
    assert tree_digest(source) == before


def test_an_experiment_without_meta_yaml_is_named_not_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mlruns: Path
) -> None:
    source = tmp_path / "mlruns"
    shutil.copytree(mlruns, source)
    experiment = next(p for p in source.iterdir() if p.is_dir() and p.name not in (".trash", "0"))
    (experiment / "meta.yaml").unlink()
    before = tree_digest(source)
    code, err = run_cli(capsys, "ingest", str(source), "--store", str(tmp_path / "s.duckdb"))
    assert code == 2 and "has no meta.yaml" in err and experiment.name in err
    assert [line[:5] for line in err.strip().splitlines()] == ["error", "hint:"]
    assert tree_digest(source) == before
    assert not (tmp_path / "s.duckdb").exists()


@pytest.mark.parametrize("kind", ["foreign", "empty", "text"])
def test_a_database_that_is_not_mlflows_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    db = tmp_path / "mlflow.db"
    if kind == "foreign":
        con = sqlite3.connect(db)
        con.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        con.execute("INSERT INTO invoices VALUES (1, 9.5)")
        con.commit()
        con.close()
    else:
        db.write_bytes(b"" if kind == "empty" else b"name,value\nx,1\n")
    before = tree_digest(db)
    code, err = run_cli(capsys, "ingest", str(db), "--kind", "mlflow",
                        "--store", str(tmp_path / "s.duckdb"))  # fmt: skip
    assert code == 2 and str(db) in err and "MLflow database" in err, err
    assert tree_digest(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mlflow.db"]  # no -journal, no store


def test_wandb_exports_are_read_without_a_change(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = ladder()
    export, history = tmp_path / "export.csv", tmp_path / "history.parquet"
    wandb_table(runs).to_csv(export, index=False)
    wandb_history(runs).to_parquet(history)
    before = tree_digest(export) | tree_digest(history)
    store = str(tmp_path / "s.duckdb")
    for _ in range(2):  # the second run finds everything unchanged
        code, err = run_cli(capsys, "ingest", str(export), "--history", str(history),
                            "--store", store)  # fmt: skip
        assert code == 0, err
    assert tree_digest(export) | tree_digest(history) == before


@pytest.mark.slow
def test_an_mlflow_database_is_read_from_a_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sqlalchemy", reason="MLflow's SQLite store needs SQLAlchemy")
    from mlflow.tracking import MlflowClient

    db = tmp_path / "mlflow.db"
    client = MlflowClient(tracking_uri=f"sqlite:///{db}")
    experiment = client.create_experiment("sq")
    rid = client.create_run(experiment, run_name="r").info.run_id
    client.log_param(rid, "n_params", 1e6)
    client.log_metric(rid, "loss", 3.0, step=1)
    con = sqlite3.connect(db)  # an older MLflow's revision: a reader that migrates would bump it
    con.execute("UPDATE alembic_version SET version_num = 'acf3f17fdcc7'")
    con.commit()
    con.close()
    before = tree_digest(db)
    run_cli(capsys, "ingest", str(db), "--store", str(tmp_path / "s.duckdb"))
    assert tree_digest(db) == before


def test_a_metric_file_cut_short_is_refused_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], mlruns: Path
) -> None:
    source = tmp_path / "mlruns"
    shutil.copytree(mlruns, source)
    metric = sorted(source.glob("*/*/metrics/eval/loss"))[0]
    data = metric.read_bytes()
    metric.write_bytes(data[:-7])  # the last line loses its step, as a killed writer leaves it
    before = tree_digest(source)
    code, err = run_cli(capsys, "ingest", str(source), "--store", str(tmp_path / "s.duckdb"))
    lines = data.count(b"\n")
    assert code == 2 and f"row {lines}" in err and "cut off" in err, err
    assert tree_digest(source) == before


def test_runs_without_sizes_are_warned_at_ingest_and_refused_at_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs = ladder()
    export = tmp_path / "export.csv"
    wandb_table(runs).drop(columns=["model.n_params", "tokens_seen"]).to_csv(export, index=False)
    store = str(tmp_path / "s.duckdb")
    code = main(["ingest", str(export), "--store", store])
    out, err = capsys.readouterr()
    assert code == 0 and f"warning: {len(runs)} runs have no params, tokens or flops" in out
    code, err = run_cli(capsys, "fit", "--store", store, "--bootstrap", "0")
    assert code == 2 and err.startswith("error: ")


def test_an_empty_event_file_counts_as_a_skipped_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tensorboard", reason="TensorBoard's reader is the [trackers] extra")
    from tests._ingest_sources import write_tensorboard

    root = tmp_path / "tb"
    write_tensorboard(root, ladder(n_sizes=1, ratios=(20.0,)))
    (root / "crashed").mkdir()
    (root / "crashed" / "events.out.tfevents.1700000000.host.1.0").write_bytes(b"")
    before = tree_digest(root)
    code = main(["ingest", str(root), "--store", str(tmp_path / "s.duckdb"), "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    summary = json.loads(out)
    assert summary["skipped"] == [{"run": "crashed", "reason": "no scalars in its event files"}]
    assert tree_digest(root) == before
