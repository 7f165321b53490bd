"""A running rung's progress bar writes its losses to a loss's 4 decimals, as the top rung's
prediction lines write theirs (``predicted loss of w80-d2: 1.2520``); the bar wrote 3."""

from __future__ import annotations

import io

from rich.console import Console

from scalinglab.execute._events import ConsoleEvents
from scalinglab.ladder import TrainProgress, get_recipe

_RUNG = get_recipe("tiny").rungs[0]


def test_the_progress_bar_writes_a_loss_as_the_prediction_does() -> None:
    events = ConsoleEvents(Console(file=io.StringIO(), width=200))
    events.rung_started(_RUNG)
    progress = TrainProgress(
        run_id=_RUNG.run_id, step=10, steps=100, tokens=1000, train_loss=2.82701,
        eval_loss=2.9, tokens_per_s=111_800.0, wall_s=1.0,
    )  # fmt: skip
    events.rung_progress(_RUNG, progress)
    (task,) = events.bars.tasks
    assert task.fields["info"] == "loss 2.8270 eval 2.9000 112K tok/s"
