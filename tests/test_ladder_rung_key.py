"""A rung's name is ``rung`` in every ladder JSON, as ``ladder status --json`` and every
ladder table name it: ``ladder plan --json``'s and ``ladder run --json``'s rows (they said
``name``, kept beside it one release) and ``RungOutcome.rung`` (``RungOutcome.name`` and
``RungOutcome(name=...)`` warn for one release, as every renamed field does)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from scalinglab.cli import main
from scalinglab.cli._ladder_run_views import run_json
from scalinglab.execute import LadderReport, RungOutcome
from scalinglab.ladder import get_recipe


def test_plan_json_names_each_rung_rung_and_keeps_name_one_release(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["ladder", "plan", "tiny", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rungs"]
    assert [row["rung"] for row in rows] == [rung.name for rung in get_recipe("tiny").rungs]
    assert all(row["name"] == row["rung"] for row in rows)


def test_plan_out_file_names_each_rung_rung(tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    assert main(["ladder", "plan", "tiny", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())["rungs"]
    assert [row["rung"] for row in rows] == [row["name"] for row in rows]
    assert rows[0]["rung"] == get_recipe("tiny").rungs[0].name


def test_run_json_names_each_rung_rung_and_keeps_name_one_release(tmp_path: Path) -> None:
    report = LadderReport(
        "tiny",
        (RungOutcome("w32-d2", "id-a", "finished", 3.1), RungOutcome("w48-d2", "id-b", "pending")),
    )
    rows = run_json(report, store=tmp_path / "runs.duckdb", stored={})["rungs"]
    assert [(row["rung"], row["status"]) for row in rows] == [
        ("w32-d2", "finished"),
        ("w48-d2", "pending"),
    ]
    assert all(row["name"] == row["rung"] for row in rows)
    assert list(rows[0])[:2] == ["rung", "name"]  # the rung's name leads, as in status


def test_rung_outcome_field_is_rung_and_name_warns() -> None:
    outcome = RungOutcome("w32-d2", "id-a", "finished", 3.1)
    assert outcome.rung == "w32-d2"
    assert dataclasses.fields(RungOutcome)[0].name == "rung"
    with pytest.warns(
        DeprecationWarning, match=r"RungOutcome\.name is deprecated.*RungOutcome\.rung"
    ):
        assert outcome.name == "w32-d2"  # type: ignore[deprecated]


def test_rung_outcome_old_keyword_reads_as_rung_and_warns() -> None:
    with pytest.warns(DeprecationWarning, match=r"RungOutcome\(name=\) is deprecated"):
        outcome = RungOutcome(name="w32-d2", run_id="id-a", status="finished")  # type: ignore[call-arg]
    assert outcome == RungOutcome("w32-d2", "id-a", "finished")
    with pytest.raises(TypeError, match="both rung= and name="):
        RungOutcome(rung="a", name="b", run_id="id-a", status="finished")  # type: ignore[call-arg]
