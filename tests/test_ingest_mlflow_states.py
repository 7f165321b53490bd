"""Ingest of an MLflow store whose runs did not all finish: the runs stored as not finished
(MLflow's RUNNING, FAILED, KILLED) are counted in a note, as a W&B export's are, and where
the store's one status holds several of MLflow's (``failed``: FAILED, KILLED) the note says
what each run was."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests._ingest_sources import ladder, write_mlflow

from scalinglab.ingest import ingest
from scalinglab.store import RunStore

#: Runs that did not finish, by name: None stays RUNNING; the other six end FINISHED.
STATUSES = {"n0-r0": "FAILED", "n0-r2": None, "n1-r1": "KILLED", "n2-r0": "FAILED"}


@pytest.fixture(scope="module")
def mlruns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    root = tmp_path_factory.mktemp("mlflow_states") / "mlruns"
    write_mlflow(root, ladder(n_sizes=3), statuses=STATUSES)
    return root


def test_the_runs_not_finished_are_counted_with_mlflows_words(
    capsys: pytest.CaptureFixture[str], mlruns: Path, tmp_path: Path
) -> None:
    store = tmp_path / "s.duckdb"
    code, out, err = cli(capsys, "ingest", str(mlruns), "--store", str(store))
    assert code == 0, err
    # MLflow lists the runs latest first: n2-r0 was started last of the four
    assert (
        "note: stored 4 runs as not finished, as the runs' MLflow status says: 3 failed (2 "
        "failed, 1 killed: n2-r0, n1-r1, n0-r0); 1 running (n0-r2); a fit of the store leaves "
        f"them out (`scalinglab runs --store {store} --status failed` and `scalinglab runs "
        f"--store {store} --status running` list them)"
    ) in " ".join(out.split())
    stored = {r.name: r for r in RunStore(store).runs()}
    assert len(stored) == 9
    assert {n: stored[n].status for n in STATUSES} == {
        "n0-r0": "failed", "n0-r2": "running", "n1-r1": "failed", "n2-r0": "failed",
    }  # fmt: skip
    assert stored["n1-r1"].extra["mlflow_status"] == "KILLED"


def test_every_run_finished_says_nothing(tmp_path: Path) -> None:
    pytest.importorskip("mlflow", reason="the mlflow client is the [trackers] extra")
    root = tmp_path / "mlruns"
    write_mlflow(root, ladder(n_sizes=2))
    result = ingest(root, store=tmp_path / "s.duckdb")
    assert len(result.written.added) == 6
    assert not [n for n in result.notes if "not finished" in n]
