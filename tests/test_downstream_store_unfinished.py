"""``downstream --store`` reads the finished runs' scores; a run with stored scores that is
not finished (a failed run the harness evaluated) is left out with a note naming it and
its status, in the words ``fit --store`` uses (it was dropped unsaid)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.downstream import read_store_evals
from scalinglab.ingest import ingest, ingest_evals

SAID = "left out 1 stored run that is not finished: 1 failed (m3)"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    n = np.geomspace(1e7, 1e9, 8)
    loss = 1.8 + 400 * n**-0.34 + 2000 * (20 * n) ** -0.37
    runs = pd.DataFrame(
        {
            "run": [f"m{k}" for k in range(8)],
            "params": n,
            "tokens": 20 * n,
            "loss": loss,
            "status": ["failed" if k == 3 else "finished" for k in range(8)],
        }
    )
    runs.to_csv(tmp_path / "runs.csv", index=False)
    evals = pd.DataFrame(
        {"run": runs["run"], "task": "piqa", "metric": "acc", "value": 0.5 + 0.6 / (1 + loss)}
    )
    evals.to_csv(tmp_path / "evals.csv", index=False)
    path = tmp_path / "s.duckdb"
    ingest(tmp_path / "runs.csv", store=path)
    ingest_evals(tmp_path / "evals.csv", store=path)
    return path


def test_a_scored_run_not_finished_is_named(store: Path) -> None:
    evals = read_store_evals(store)
    assert sorted(evals.runs.runs) == ["m0", "m1", "m2", "m4", "m5", "m6", "m7"]
    said = [n for n in evals.notes if n.startswith(SAID)]
    assert len(said) == 1, evals.notes
    assert f"`scalinglab runs --store {store} --status failed` lists it" in said[0]
    assert read_store_evals(store, status="failed").runs.runs == ("m3",)


def test_on_the_command_line(capsys: pytest.CaptureFixture[str], store: Path) -> None:
    code, out, err = cli(
        capsys, "downstream", "fit", "--store", str(store), "--law", "power-law",
        "--bootstrap", "0", "--max-backtest-error", "inf",
    )  # fmt: skip
    assert code == 0, err
    assert SAID in " ".join((out + err).split())
