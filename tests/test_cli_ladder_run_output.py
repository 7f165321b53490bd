"""What ``ladder run`` says when it ends: where the rungs' work folders are (once, in the
summary), and in ``--json`` each rung's size, compute, steps, time and ``workdir`` under the
names ``runs --json`` and ``ladder status --json`` give them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.cli import main
from scalinglab.ladder import get_recipe, rung_counts
from scalinglab.store import RunStore


@pytest.fixture(autouse=True)
def _env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SCALINGLAB_CACHE", str(tmp_path_factory.getbasetemp() / "cli-ladder-cache"))
        mp.setenv("COLUMNS", "300")
        yield


@pytest.mark.heavy  # 5.8 s in the suite on a 2-core AMD EPYC
def test_run_names_its_work_folders_and_json_carries_the_stored_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)
    path = write_ladder(tmp_path / "mini.toml", steps=(10, 12), corpus=make_corpus(tmp_path / "t"))
    args = ["ladder", "run", str(path), "--store", "runs.duckdb", "--backend", "in-process"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.count("runs.duckdb.wd/<run_id>/") == 1
    assert (
        "ladder mini: 2 trained, 0 skipped, 0 failed; runs in runs.duckdb, work folders in "
        "runs.duckdb.wd/<run_id>/ (checkpoints, worker.log)" in out
    )
    assert main([*args, "--json"]) == 0  # all skipped: still their stored values
    data = json.loads(capsys.readouterr().out)
    spec = get_recipe(str(path))
    stored = {r.run_id: r for r in RunStore(tmp_path / "runs.duckdb").runs()}
    assert main(["runs", "--store", "runs.duckdb", "--json"]) == 0
    listed = {r["run_id"]: r for r in json.loads(capsys.readouterr().out)["runs"]}
    for row, rung in zip(data["rungs"], spec.rungs, strict=True):
        assert (row["rung"], row["status"]) == (rung.name, "skipped")
        assert row["steps"] == rung_counts(rung).steps
        assert row["workdir"] == str((tmp_path / "runs.duckdb.wd").resolve())
        assert (tmp_path / "runs.duckdb.wd" / row["run_id"]).is_dir()
        for key in ("params", "tokens", "flops", "wall_s"):
            assert row[key] == listed[row["run_id"]][key] == getattr(stored[row["run_id"]], key)
        assert row["wall_s"] > 0
