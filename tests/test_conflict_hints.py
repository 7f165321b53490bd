"""Errors for options given together (or a count out of range) that said what was wrong
and not what to do: each now has a hint line naming the command line meant."""

from __future__ import annotations

import pytest
from tests._cli import refused


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (["plan", "--target-accuracy", "hellaswag=0.7", "--downstream", "ds.json", "--fit",
          "fit.json"],
         "error: --target-accuracy plans from the --downstream chain alone; drop --fit",
         "hint: e.g. scalinglab plan --target-accuracy hellaswag=0.75 --downstream ds.json; "
         "for a loss law's plan, drop --target-accuracy and keep --fit"),
        (["downstream", "fit", "evals.csv", "--task", "a", "--task", "c", "--tasks", "b"],
         "error: give --task or --tasks, not both",
         "hint: one of them with every task: --task a,c,b"),
        (["curves", "predict", "--fit", "c.json", "--schedule", "cosine", "--schedule-file",
          "lr.csv"],
         "error: give exactly one of --schedule and --schedule-file",
         "hint: a kind with its settings (--schedule wsd:decay=0.2,steps=24000) or a file of "
         "lr per step (--schedule-file lr.csv), not both and not neither"),
        (["ladder", "run", "tiny", "--parallel", "0", "--backend", "slurm"],
         "error: --parallel must be at least 1, got 0",
         "hint: --parallel 1 trains one rung at a time; leave it out for the backend's default"),
    ],
)  # fmt: skip
def test_each_says_what_to_do(
    capsys: pytest.CaptureFixture[str], args: list[str], error: str, hint: str
) -> None:
    assert refused(capsys, args) == (error, hint)
