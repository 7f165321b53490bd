"""``ladder plan --store`` marks the rungs the store holds finished and estimates only the
rest, matched as ``ladder run`` skips them (by ``run_id``), where it estimated every rung."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.cli import main
from scalinglab.execute._record import stored_run
from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore


def test_plan_leaves_rungs_finished_in_the_store_out_of_its_estimate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    spec = get_recipe(str(path))
    store = tmp_path / "s.duckdb"
    first = stored_run(spec.rungs[0], ladder=spec.name, backend="local", status="finished")
    RunStore(store).put_run(replace(first, loss=3.0, wall_s=2.0))
    # the same rung under another lr: another run_id, not finished for this ladder
    other = replace(first, run_id="0" * 16, status="finished")
    RunStore(store).put_run(other)
    args = ["ladder", "plan", str(path), "--store", str(store)]
    assert main([*args, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [r["finished"] for r in rows] == [True, False]
    assert rows[0]["est_s"] == 0.0 and rows[1]["est_s"] > 5.0
    assert main(args) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "w16-d1 " in out and " finished " in out
    assert "for the 1 rung left (1 finished in the store)" in out


def test_plan_with_a_store_not_yet_written_plans_every_rung(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    store = tmp_path / "new.duckdb"  # before any `ladder run`: nothing finished
    assert main(["ladder", "plan", str(path), "--store", str(store), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [r["finished"] for r in data["rungs"]] == [False, False]
    assert all(r["est_s"] > 0.0 for r in data["rungs"])
    assert data["estimate_note"].endswith(
        f"; {store} does not exist yet: no rung is finished (`ladder run` creates it)"
    )
    assert not store.exists()  # a plan writes nothing


def test_plan_with_every_rung_finished_says_nothing_is_left_and_what_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # it said "total 0 FLOPs for the 0 rungs left (2 finished in the store), about 0 s"
    path = write_ladder(tmp_path / "l.toml", steps=(10, 20), corpus=make_corpus(tmp_path / "t"))
    spec = get_recipe(str(path))
    store = tmp_path / "s.duckdb"
    for rung in spec.rungs:
        run = stored_run(rung, ladder=spec.name, backend="local", status="finished")
        RunStore(store).put_run(replace(run, loss=3.0, wall_s=2.0))
    assert main(["ladder", "plan", str(path), "--store", str(store)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"all 2 rungs are finished in {store}: nothing is left to train" in out
    assert f"`scalinglab fit --store {store}` fits them" in out
    assert "total 0 FLOPs" not in out and "0 rungs left" not in out
