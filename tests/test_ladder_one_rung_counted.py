"""A ladder of one rung is counted as one: ``ladder plan`` titled it "ladder big: 1 rungs"
and ``ladder run`` began "ladder div: 1 rungs, 1 to train"."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console
from tests._cli import cli

from scalinglab.execute._events import ConsoleEvents
from scalinglab.ladder import get_recipe

_ONE = 'name = "one"\n[rules]\ntokens_per_param = 5\n[[rungs]]\nwidth = 16\ndepth = 1\nheads = 1\n'


def test_plan_titles_a_one_rung_ladder_in_the_singular(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "one.toml"
    path.write_text(_ONE, encoding="utf-8")
    code, out, _ = cli(capsys, "ladder", "plan", str(path))
    assert code == 0
    assert out.splitlines()[0] == "ladder one: 1 rung"
    code, out, _ = cli(capsys, "ladder", "plan", "tiny")
    assert out.splitlines()[0] == "ladder tiny: 3 rungs"


def test_run_starts_a_one_rung_ladder_in_the_singular(tmp_path: Path) -> None:
    path = tmp_path / "one.toml"
    path.write_text(_ONE, encoding="utf-8")
    said = io.StringIO()
    events = ConsoleEvents(Console(file=said, width=200))
    events.ladder_started(get_recipe(str(path)), todo=1, skipped=0)
    events.ladder_started(get_recipe("tiny"), todo=1, skipped=2)
    assert said.getvalue().splitlines() == [
        "ladder one: 1 rung, 1 to train",
        "ladder tiny: 3 rungs, 1 to train, 2 finished before",
    ]
