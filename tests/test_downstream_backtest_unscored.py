"""``downstream backtest`` when some held-out models have no score for a task: the errors and
the coverage are over the scored ones, the table and the JSON say how many, and a task with
no held-out score says so instead of printing NaN."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_cli_downstream import run
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import backtest_downstream, read_evals

HOLDOUT = "params>=400M"  # the 5 models of the largest size
SIZES_ = np.append(SIZES, 4e8)


def _frame(unscored: int) -> pd.DataFrame:
    """Two predictable tasks; ``task2`` has no score for the first ``unscored`` held-out models."""
    frame = models(np.random.default_rng(0), SIZES_, MULTS)
    frame["acc_task2"] = frame["acc_task"] + np.random.default_rng(1).normal(0, 0.01, len(frame))
    held = np.flatnonzero(frame["params"] >= 4e8)
    frame.loc[held[:unscored], "acc_task2"] = math.nan
    return frame.drop(columns=["acc_flat", "acc_hellaswag"])


def test_errors_and_coverage_are_over_the_scored_models() -> None:
    evals = read_evals(_frame(2), chance={"task": 0.25, "task2": 0.25})
    result = backtest_downstream(
        evals, holdout=HOLDOUT, law="chinchilla", bootstrap=30, max_backtest_error=None
    )
    t = result.tasks["task2"]
    assert not t.reason and t.scored == 3 and len(t.actual) == 5
    has = np.isfinite(t.actual)
    assert t.abs_error == pytest.approx(float(np.mean(np.abs(t.predicted - t.actual)[has])))
    inside = (t.lower <= t.actual) & (t.actual <= t.upper)
    assert t.coverage == pytest.approx(float(np.mean(inside[has])))
    assert t.scoring == "scored on 3 of 5 held-out models"
    assert result.tasks["task"].scoring == ""  # every held-out model scored
    average = result.average()
    assert average.scored == 3 and math.isfinite(average.abs_error)
    assert average.scoring == "scored on 3 of 5 held-out models (those with all 2 tasks scored)"


@pytest.mark.heavy  # 2.6 s in the suite on a 2-core AMD EPYC
def test_the_cli_says_which_models_were_scored(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for unscored, said in ((2, "scored on 3 of 5 held-out models"), (5, "no held-out scores")):
        path = tmp_path / f"evals{unscored}.csv"
        _frame(unscored).to_csv(path, index=False)
        args = ["downstream", "backtest", str(path), "--holdout", HOLDOUT, "--bootstrap", "30"]
        args += ["--law", "chinchilla", "--max-backtest-error", "inf"]
        code, out, err = run(capsys, *args)
        assert code == 0, err
        row = next(line for line in out.splitlines() if "task2" in line)
        assert said in row and "nan" not in out
        code, out, err = run(capsys, *args, "--json")
        data = json.loads(out)
        assert data["tasks"]["task2"]["scored"] == 5 - unscored
        assert data["tasks"]["task2"]["scoring"] == said
        assert data["average"]["scored"] == 5 - unscored
    # none scored: no error, no coverage, and the average row says none had every task
    assert data["tasks"]["task2"]["abs_error"] == "nan"  # the JSON's NaN, as elsewhere
    assert data["average"]["scoring"] == "no held-out scores (none with all 2 tasks scored)"
