"""A downstream backtest's repr shows the errors of the tasks it scored, first, and how many
it scored: it showed the first four tasks read, which on the over-training models were tasks
at chance (``{agi_eval_lsat_ar: nan, agi_eval_lsat_rc: nan, ...}``), saying nothing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

import scalinglab
from scalinglab.downstream import read_evals


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_the_scored_tasks_come_first_and_are_counted() -> None:
    table = models(np.random.default_rng(0), SIZES, MULTS)
    assert isinstance(table, pd.DataFrame)
    # the unscored tasks (at chance, flat) read first, the scored one last
    accs = ["acc_flat", "acc_hellaswag", "acc_task"]
    table = table[[*(c for c in table.columns if c not in accs), *accs]]
    evals = read_evals(table, chance={"task": 0.25})
    assert evals.tasks == ("flat", "hellaswag", "task")
    bt = scalinglab.backtest_downstream(
        evals, holdout="params>=2e8", bootstrap=20, max_backtest_error=None
    )
    errors = {name: t.abs_error for name, t in bt.tasks.items()}
    assert np.isnan(errors["flat"]) and np.isnan(errors["hellaswag"])
    points = f"{100 * errors['task']:.3g} pts"  # the error in accuracy points, 3 digits
    assert repr(bt) == (
        f"DownstreamBacktest(holdout='params>=2e8', 5 held out, abs error {{task: {points}}} "
        "(1 of 3 tasks scored))"
    )
