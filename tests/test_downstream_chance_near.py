"""A task with no chance level whose name is a slip of a built-in one (``winogrnade``) is
said, with the level it would have had: its floor is fitted instead, silently, otherwise."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from scalinglab.downstream import read_evals

_FRAME = pd.DataFrame({"run": ["a", "b", "c"], "params": [1e7, 4e7, 1.6e8],
                       "tokens": [2e8, 8e8, 3.2e9], "loss": [4.0, 3.6, 3.2],
                       "acc_winogrnade": [0.52, 0.55, 0.6], "acc_my_task": [0.1, 0.2, 0.3],
                       "acc_hellaswag": [0.3, 0.35, 0.4]})  # fmt: skip


def _near(notes: list[str]) -> list[str]:
    return [n for n in notes if n.startswith("no chance level known")]


def test_a_task_named_near_a_built_in_one_is_said_with_its_level() -> None:
    evals = read_evals(_FRAME)
    assert math.isnan(evals.chance["winogrnade"])  # the level is not guessed
    assert _near(evals.notes) == [
        "no chance level known for task 'winogrnade' (is it winogrande, chance 0.5?): its "
        "floor is fitted, not tied to chance; if it is the task named, rename it so, or give "
        "its level with --chance (chance= in Python)"
    ]
    assert "my_task" not in _near(evals.notes)[0]  # a name near no known task: no note
    assert evals.chance["hellaswag"] == pytest.approx(0.25)


def test_a_level_given_for_the_task_silences_it(tmp_path: Path) -> None:
    chance = tmp_path / "chance.csv"
    chance.write_text("task,chance\nwinogrnade,0.5\n", encoding="utf-8")
    evals = read_evals(_FRAME, chance=chance)
    assert evals.chance["winogrnade"] == pytest.approx(0.5)
    assert _near(evals.notes) == []


def test_tasks_named_right_give_no_such_note() -> None:
    frame = _FRAME.rename(columns={"acc_winogrnade": "acc_winogrande"})
    evals = read_evals(frame)
    assert evals.chance["winogrande"] == pytest.approx(0.5)
    assert _near(evals.notes) == []
