"""``fit --store`` reads the runs table once: the runs it fits, and those of other statuses
its note names, come from the same read (it read the table a second time for the note)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.store import RunStore, StoredRun
from scalinglab.store._reader import StoreReader


@pytest.mark.heavy  # 2.1 s in the suite on a 2-core AMD EPYC
def test_a_fit_of_the_store_reads_the_runs_table_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "s.duckdb"
    store = RunStore(path)
    sizes = [(n, d) for n in (1e7, 3e7, 1e8, 3e8) for d in (2e8, 2e9)]
    for k, (n, d) in enumerate(sizes):
        loss = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
        store.put_run(StoredRun(run_id=f"id{k}", name=f"r{k}", params=n, tokens=d, loss=loss))
    store.put_run(StoredRun(run_id="f0", name="bad0", status="failed", params=1e7, tokens=2e8,
                            loss=6.0))  # fmt: skip
    reads: list[str | None] = []
    original = StoreReader.runs_frame

    def counted(self: StoreReader, *, status: str | None = None) -> pd.DataFrame:
        reads.append(status)
        return original(self, status=status)

    monkeypatch.setattr(StoreReader, "runs_frame", counted)
    code, out, err = cli(capsys, "fit", "--store", str(path), "--bootstrap", "0")
    assert code == 0, err
    assert "bad0" in " ".join(out.split())  # the note on the failed run, from the same read
    assert reads == [None]


def test_status_none_takes_every_run(tmp_path: Path) -> None:
    """``to_run_table(status=None)`` reads every stored run, as ``runs_frame(status=None)``
    does (the one-read change filtered on ``status == None`` and found none)."""
    store = RunStore(tmp_path / "s.duckdb")
    for k, n in enumerate((1e7, 3e7, 1e8)):
        store.put_run(StoredRun(run_id=f"id{k}", name=f"r{k}", params=n, tokens=20 * n,
                                loss=1.7 + 400 * n**-0.34))  # fmt: skip
    store.put_run(StoredRun(run_id="f0", name="bad0", status="failed", params=1e7, tokens=2e8,
                            loss=6.0))  # fmt: skip
    assert len(store.to_run_table()) == 3
    assert sorted(store.to_run_table(status=None).runs) == ["bad0", "r0", "r1", "r2"]
