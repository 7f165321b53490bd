"""Which N a store's runs are fitted on: the ladder's non-embedding N by default for ladder
rungs, total parameters otherwise, ``--x N=...`` to choose; notes and conventions agree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scalinglab import RunStore
from scalinglab._errors import StoreError
from scalinglab.cli import main
from scalinglab.store import StoredRun


def _store(tmp_path: Path, *, source: str = "ladder:micro") -> Path:
    path = tmp_path / "runs.duckdb"
    runs = []
    for i, (n, emb) in enumerate([(2e4, 1e4), (4e4, 1.5e4), (8e4, 2e4), (1.6e5, 3e4)]):
        tokens = 20 * n
        runs.append(
            StoredRun(
                run_id=f"r{i}",
                name=f"w{i}",
                params=n + emb,
                params_non_embedding=n,
                tokens=tokens,
                flops=8.0 * n * tokens,  # 8/6 = 1.33× 6·N·D with non-embedding N
                flops_6nd=6.0 * n * tokens,
                loss=3.0 * n**-0.1,
                source=source,
            )
        )
    RunStore(path).put_runs([(r, None) for r in runs])
    return path


def test_ladder_store_defaults_to_non_embedding_n(tmp_path: Path) -> None:
    table = RunStore(_store(tmp_path)).to_run_table()
    assert list(table.columns["params"]) == [2e4, 4e4, 8e4, 1.6e5]
    assert (
        "N = params_non_embedding: non-embedding parameters, the convention the ladder"
        in (table.notes[0])
    )
    assert table.flops_convention.endswith(
        "they are 1.33× 6·N·D with N = params_non_embedding (non-embedding parameters)"
    )
    total = RunStore(_store(tmp_path)).to_run_table(params="params")
    assert list(total.columns["params"]) == [3e4, 5.5e4, 1e5, 1.9e5]
    assert "N = params: total parameters, as asked" in total.notes[0]


def test_ingested_store_keeps_total_n_and_refuses_a_missing_count(tmp_path: Path) -> None:
    path = _store(tmp_path, source="csv:runs.csv")
    assert RunStore(path).to_run_table().columns["params"][0] == 3e4
    RunStore(path).put_run(StoredRun(run_id="x", name="x", params=1e6, tokens=1e7, loss=2.0))
    with pytest.raises(StoreError, match=r"1 of 5 runs has no params_non_embedding \(x\)"):
        RunStore(path).to_run_table(params="params_non_embedding")


def test_fit_store_note_and_conventions_agree(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(_store(tmp_path))
    law = ["--law", "power-law:params", "--bootstrap", "0"]
    assert main(["fit", "--store", path, *law, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    conv = out["conventions"]
    assert conv["params"] == "params_non_embedding: non-embedding parameters, as stored"
    assert "1.33× 6·N·D with N = params_non_embedding" in conv["flops"]
    assert any("holds 1.33× 6·N·D" in note for note in out["notes"])  # the same number
    assert main(["fit", "--store", path, *law, "--x", "N=params", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["conventions"]["params"] == "params: total parameters, as stored"
    assert "N = params: total parameters, as asked" in out["notes"][0]
    assert main(["fit", "--store", path, *law, "--x", "N=params_non_embedding"]) == 0
