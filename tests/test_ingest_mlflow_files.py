"""Ingest of an MLflow file store reads a private copy of it: the copy leaves out the runs'
artifacts (checkpoints can be gigabytes) and MLflow 3's traces and logged models, and a broken
``meta.yaml`` is refused naming the file and the place."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from tests._ingest_sources import ladder, write_mlflow

from scalinglab import DataError
from scalinglab.ingest import _mlflow_copy, ingest
from scalinglab.store import RunStore

_CHECKPOINT = 3_000_000  # bytes: far more than every metric, param and tag of the store


@pytest.fixture(scope="module")
def mlruns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    root = tmp_path_factory.mktemp("mlflow_files") / "mlruns"
    return root, write_mlflow(root, ladder(n_sizes=2))


def _run_folder(root: Path, run_id: str) -> Path:
    (folder,) = root.glob(f"*/{run_id}")
    return folder


def _size(root: Path) -> int:
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def test_the_copy_leaves_out_artifacts_and_keeps_what_mlflow_reads(
    mlruns: tuple[Path, dict[str, str]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, ids = mlruns
    run = _run_folder(root, ids["n1-r1"])
    (run / "artifacts" / "ckpt").mkdir(parents=True, exist_ok=True)
    (run / "artifacts" / "ckpt" / "model.bin").write_bytes(b"\0" * _CHECKPOINT)
    # a metric whose name makes an artifacts/ folder under metrics/ is still copied
    (run / "metrics" / "artifacts").mkdir()
    (run / "metrics" / "artifacts" / "count").write_text("1767225600000 3.0 0\n")
    copies: list[Path] = []
    real = _mlflow_copy.private_copy

    def kept(path: Path, folder: Path) -> Path:
        copy = real(path, folder)
        copies.append(tmp_path / "seen")
        _mlflow_copy.shutil.copytree(copy, copies[-1], symlinks=True)  # before it is deleted
        return copy

    monkeypatch.setattr(importlib.import_module("scalinglab.ingest._mlflow"), "private_copy", kept)
    result = ingest(root, store=tmp_path / "s.duckdb")
    assert len(result.written.added) == 6
    (seen,) = copies
    assert _size(root) > _CHECKPOINT > 50 * _size(seen)
    copied = seen / run.relative_to(root)
    assert (copied / "artifacts").is_dir() and not any((copied / "artifacts").iterdir())
    assert (copied / "meta.yaml").is_file() and (copied / "params" / "optimizer").is_file()
    assert (copied / "metrics" / "eval" / "loss").is_file()
    assert (copied / "metrics" / "artifacts" / "count").is_file()


@pytest.mark.parametrize("depth", ["experiment", "run"])
def test_a_broken_meta_yaml_is_named_with_its_line_and_column(
    mlruns: tuple[Path, dict[str, str]], tmp_path: Path, depth: str
) -> None:
    root = tmp_path / "mlruns"
    _mlflow_copy.shutil.copytree(mlruns[0], root)
    run = _run_folder(root, mlruns[1]["n0-r1"])
    meta = run.parent / "meta.yaml" if depth == "experiment" else run / "meta.yaml"
    meta.write_text("x: [\n")
    with pytest.raises(DataError) as caught:
        ingest(root, store=tmp_path / "s.duckdb")
    assert str(caught.value).startswith(
        f"{meta}: the MLflow file is not valid YAML at line 2, column 1 "
        "(did not find expected node content) (restore this meta.yaml from the tracking "
        "server or a backup"
    )


def test_the_copy_leaves_out_traces_and_logged_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """MLflow 3 keeps traces (every span's inputs and outputs) and logged models (their
    weights as artifacts) beside an experiment's runs; reading runs opens neither, so the
    copy holds neither, and the runs read are the same."""
    mlflow = pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    from mlflow.tracking import MlflowClient

    # a store of its own: a trace is written where its experiment's artifact location says
    root = tmp_path / "mlruns"
    ids = write_mlflow(root, ladder(n_sizes=2))
    before = ingest(root, store=tmp_path / "before.duckdb")
    run = _run_folder(root, ids["n1-r1"])
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    monkeypatch.setenv("MLFLOW_ENABLE_ASYNC_TRACE_LOGGING", "false")  # written on return
    client = MlflowClient(tracking_uri=root.resolve().as_uri())
    experiment = run.parent.name
    model = client.create_logged_model(experiment, name="ckpt", source_run_id=run.name)
    weights = tmp_path / "weights.bin"
    weights.write_bytes(b"\0" * _CHECKPOINT)
    client.log_model_artifact(model.model_id, str(weights))
    previous = mlflow.get_tracking_uri()
    mlflow.set_tracking_uri(root.resolve().as_uri())  # traces go where the global URI says
    try:
        span = client.start_trace("chat", inputs={"prompt": "x" * _CHECKPOINT},
                                  experiment_id=experiment)  # fmt: skip
        client.end_trace(span.trace_id, outputs={"answer": "y"})
    finally:
        mlflow.set_tracking_uri(previous)
    assert {p.name for p in run.parent.iterdir()} >= {"models", "traces"}
    assert _size(run.parent / "traces") > _CHECKPOINT and _size(run.parent / "models") > (
        _CHECKPOINT
    )
    copies: list[Path] = []
    real = _mlflow_copy.private_copy

    def kept(path: Path, folder: Path) -> Path:
        copy = real(path, folder)
        copies.append(tmp_path / "seen")
        _mlflow_copy.shutil.copytree(copy, copies[-1], symlinks=True)  # before it is deleted
        return copy

    monkeypatch.setattr(importlib.import_module("scalinglab.ingest._mlflow"), "private_copy", kept)
    after = ingest(root, store=tmp_path / "after.duckdb")
    (seen,) = copies
    assert sorted(p.name for p in (seen / experiment).iterdir()) == sorted(
        [*(p.name for p in run.parent.iterdir() if p.name not in ("models", "traces"))]
    )
    assert 50 * _size(seen) < _CHECKPOINT
    assert len(after.written.added) == len(before.written.added) == 6
    frames = [RunStore(tmp_path / name).runs_frame() for name in ("before.duckdb", "after.duckdb")]
    assert frames[0][["name", "loss"]].equals(frames[1][["name", "loss"]])
