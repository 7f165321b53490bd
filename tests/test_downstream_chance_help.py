"""``--chance``'s help says what a chance file does: its levels replace the built-in ones
(with a note, ``chance_levels``), not only fill in the tasks without one, as it once said."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.downstream import read_evals

_SAID = (
    "--chance PATH CSV of chance levels (task, chance; 25%, or 25 where the levels are above "
    "1): each replaces the task's built-in level, with a note [default: the levels built in "
    "for common tasks, under a suite's name too (harness|piqa|0 is piqa's); other tasks have "
    "none, and their floor is fitted]."
)


@pytest.mark.parametrize("command", ["downstream fit", "downstream backtest", "report"])
def test_the_chance_help_says_a_file_replaces_the_built_in_levels(
    capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = cli(capsys, *command.split(), "--help")
    assert code == 0
    said = " ".join(out.split())
    assert "for tasks not known built in" not in said
    assert _SAID.replace("--chance PATH ", "") in said


def test_a_chance_file_replaces_a_built_in_level(tmp_path: Path) -> None:
    chance = tmp_path / "chance.csv"
    chance.write_text("task,chance\nhellaswag,0.3\n", encoding="utf-8")
    frame = pd.DataFrame({"run": ["a", "b", "c"], "params": [1e7, 4e7, 1.6e8],
                          "tokens": [2e8, 8e8, 3.2e9], "loss": [4.0, 3.6, 3.2],
                          "acc_hellaswag": [0.3, 0.35, 0.4]})  # fmt: skip
    evals = read_evals(frame, chance=chance)
    assert evals.chance["hellaswag"] == pytest.approx(0.3)  # not the built-in 0.25
    assert f"chance level of hellaswag: 0.3 from {chance}, in place of its built-in 0.25" in (
        evals.notes
    )
