"""``report --store`` says on stderr the runs it left out, as ``fit --store`` does, and its
card's "which loss" names the tracker metric ingest read the stored loss from."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun

_FROM = {"ingested_from": "mlflow", "mapping": {"loss": "eval/loss", "params": "model.n"}}


def _store(path: Path) -> Path:
    """Twelve finished runs of a Chinchilla-like law ingested from MLflow, one diverged."""
    runs = []
    for k, (n, d) in enumerate((n, r * n) for n in (1e7, 3e7, 1e8, 3e8) for r in (5, 20, 80)):
        loss = 1.7 + 400.0 / n**0.34 + 410.0 / d**0.28
        runs.append(StoredRun(run_id=f"id{k}", name=f"r{k}", params=n, tokens=d, loss=loss,
                              source="mlruns", extra=_FROM))  # fmt: skip
    runs.append(StoredRun(run_id="idx", name="blown", params=1e8, tokens=2e9, loss=np.nan,
                          status="diverged", source="mlruns", extra=_FROM))  # fmt: skip
    store = RunStore(path)
    store.put_runs((r, None) for r in runs)
    return store.path


@pytest.mark.heavy  # 4.7 s in the suite on a 2-core AMD EPYC
def test_report_says_what_fit_says_of_runs_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store(tmp_path / "ml.duckdb")
    out = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", "--store", str(store), "--out", str(out),
                       "--no-validate", "--bootstrap", "0", one_line=True)  # fmt: skip
    assert code == 0, err
    assert "note: left out 1 stored run that is not finished: 1 diverged (blown)" in err
    page = out.read_text()
    assert "ingested from the mlflow metric &#x27;eval/loss&#x27; (column &#x27;loss&#x27;)" in page


def test_fit_records_the_ingested_loss_as_its_convention(tmp_path: Path) -> None:
    import scalinglab

    table = RunStore(_store(tmp_path / "ml.duckdb")).to_run_table()
    result = scalinglab.fit("chinchilla", table, bootstrap=0)
    assert result.conventions.loss == "ingested from the mlflow metric 'eval/loss'"
