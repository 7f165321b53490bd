"""The downstream page's backtest table says a task's evaluation noise where it exceeds the
tolerance, as ``downstream backtest`` does (the page's note cell was empty for copa's
±4.8 points over 100 examples)."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np

from scalinglab.downstream._task import TaskFit
from scalinglab.downstream._task_backtest import TaskBacktest
from scalinglab.report._downstream import _backtest_section


def _scored(task: str) -> TaskBacktest:
    """One held-out model, predicted 0.6 in [0.5, 0.7], measured 0.6895: 8.95 points off."""
    return TaskBacktest(task, *(np.array([x]) for x in (0.6, 0.5, 0.7, 0.6895)))


def test_the_page_names_the_evaluation_noise_the_cli_names() -> None:
    noisy = TaskFit("copa", 0.5, None, examples=100.0, eval_noise=0.048, notes=("noisy",))
    quiet = TaskFit("piqa", 0.5, None, examples=1838.0, eval_noise=0.011)
    assert noisy.noise_text == "±4.8 pts evaluation noise per model (100 examples)"
    assert quiet.noise_text == ""
    assert TaskFit("x", 0.5, None, notes=("noisy",), eval_noise=0.05).noise_text == (
        "±5.0 pts evaluation noise per model"
    )
    tasks = {"copa": _scored("copa"), "piqa": _scored("piqa")}
    result = SimpleNamespace(
        tasks=tasks,
        average=lambda: _scored("average"),
        rows=lambda: {**tasks, "average": _scored("average")},  # DownstreamBacktest.rows
        chain=SimpleNamespace(
            tasks={"copa": noisy, "piqa": quiet},
            level=0.9,
            n_bootstrap=20,
            loss_step=SimpleNamespace(samples=np.ones((20, 3))),  # the page counts those kept
        ),
        held_out_runs=("m1",),
        holdout_description="the largest models",
        coverage_note=None,
    )
    body = _backtest_section(result).body  # type: ignore[arg-type]
    assert body.count("evaluation noise per model") == 1
    assert "±4.8 pts evaluation noise per model (100 examples)" in body
    assert not math.isnan(noisy.eval_noise)
