"""Python takes tasks as ``--tasks`` does ("all", "hellaswag,piqa"), and the Python
``downstream plan`` is top-level."""

from __future__ import annotations

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab
from scalinglab import ConfigError
from scalinglab.downstream import Evals, fit_downstream, read_evals
from scalinglab.downstream._plan import plan_for_accuracy


@pytest.fixture(scope="module")
def evals() -> Evals:
    return read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})


def _tasks(evals: Evals, tasks: str | None) -> list[str]:
    chain = fit_downstream(
        evals, tasks=tasks, law="chinchilla", bootstrap=0, max_backtest_error=None
    )
    return list(chain.tasks)


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_all_and_comma_separated_tasks_read_as_the_cli_reads_them(evals: Evals) -> None:
    every = _tasks(evals, None)
    assert every == ["task", "flat", "hellaswag"]
    assert _tasks(evals, "all") == every
    assert _tasks(evals, "task, hellaswag") == ["task", "hellaswag"]
    assert _tasks(evals, "task") == ["task"]
    with pytest.raises(ConfigError, match="unknown task 'nope'"):
        _tasks(evals, "task,nope")


def test_backtest_takes_them_too(evals: Evals) -> None:
    bt = scalinglab.backtest_downstream(
        evals, holdout="params>=200M", tasks="task,flat", law="chinchilla", bootstrap=0,
        max_backtest_error=None,
    )  # fmt: skip
    assert list(bt.tasks) == ["task", "flat"]


def test_plan_for_accuracy_is_public() -> None:
    assert scalinglab.plan_for_accuracy is plan_for_accuracy
    assert "plan_for_accuracy" in scalinglab.__all__
