"""A config key's last part is matched against the usual names of a run's lr and batch, as
a size's is: MLflow's ``optim.lr`` is the lr, as ``optimizer.lr`` was; two keys ending in
one name (``optim.lr``, ``warmup.lr``) leave it unread, and a note says which."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._ingest_sources import ladder, write_mlflow

from scalinglab.ingest import ingest
from scalinglab.store import RunStore


def _mlflow(root: Path, params: dict[str, object]) -> Path:
    pytest.importorskip("mlflow", reason="needs MLflow's client")
    import os

    from mlflow.tracking import MlflowClient

    ids = write_mlflow(root, ladder(2, (20.0,)))
    os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"  # MLflow 3 asks for it on file stores
    try:
        client = MlflowClient(tracking_uri=root.resolve().as_uri())
        for rid in ids.values():
            for key, value in params.items():
                client.log_param(rid, key, value)
    finally:
        os.environ.pop("MLFLOW_ALLOW_FILE_STORE", None)
    return root


@pytest.mark.heavy
def test_optim_lr_and_a_slashed_batch_are_read(tmp_path: Path) -> None:
    src = _mlflow(tmp_path / "mlruns", {"optim.lr": 0.003, "data/global_bs": 256, "trainer/bs": 64})
    result = ingest(src, store=tmp_path / "s.duckdb")
    assert result.mapping["lr"] == "optim.lr"
    assert result.mapping["batch"] == "trainer/bs"
    assert {r.extra.get("lr") for r in RunStore(tmp_path / "s.duckdb").runs()} == {0.003}


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_two_keys_ending_in_lr_leave_it_unread_and_say_which(tmp_path: Path) -> None:
    src = _mlflow(tmp_path / "mlruns", {"optim.lr": 0.003, "warmup.lr": 1e-5})
    result = ingest(src, store=tmp_path / "s.duckdb")
    assert "lr" not in result.mapping
    (note,) = [n for n in result.notes if n.startswith("lr not read")]
    assert note == (
        "lr not read: the config keys 'optim.lr', 'warmup.lr' each end in 'lr'; name the one "
        "meant with --map lr=NAME"
    )


def test_the_readme_says_mlflow_file_stores_need_the_variable_to_write_alone() -> None:
    """MLflow 3.18+ writes a file store only with MLFLOW_ALLOW_FILE_STORE=true; reading one
    (the tests above, with it unset) needs nothing."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    (line,) = [x for x in readme.splitlines() if "MLFLOW_ALLOW_FILE_STORE=true" in x]
    assert "needs nothing set" in line
