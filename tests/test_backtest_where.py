"""``where=`` on a backtest keeps the runs before the split: the held-out runs are chosen among
the runs kept, as the fitted ones are (it had narrowed the fitted side alone)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.conftest import chinchilla_runs

from scalinglab import ConfigError
from scalinglab.validate import backtest, compare, rolling_backtest, split_runs


def _two_corpora() -> pd.DataFrame:
    a = chinchilla_runs(seed=2).assign(dataset="c4")
    b = chinchilla_runs(seed=3).assign(dataset="rpj", loss=lambda f: f["loss"] * 1.1)
    b["run"] = [f"rpj-{i}" for i in range(len(b))]
    a["run"] = [f"c4-{i}" for i in range(len(a))]
    return pd.concat([a, b], ignore_index=True)


def test_where_keeps_runs_before_the_split() -> None:
    frame = _two_corpora()
    kept = backtest(frame, law="chinchilla", where="dataset=c4", bootstrap=0,
                    holdout="largest:3")  # fmt: skip
    alone = backtest(frame[frame["dataset"] == "c4"], law="chinchilla", bootstrap=0,
                     holdout="largest:3")  # fmt: skip
    assert [r.run for r in kept.runs] == [r.run for r in alone.runs]
    assert all(r.run.startswith("c4-") for r in kept.runs)
    assert kept.summary.median_are == pytest.approx(alone.summary.median_are, rel=1e-9)
    assert kept.fit.where == {"dataset": "c4"}


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_compare_and_rolling_keep_them_too() -> None:
    frame = _two_corpora()
    cmp = compare(frame, laws=["chinchilla"], where={"dataset": "rpj"}, bootstrap=0,
                  holdout="largest:3")  # fmt: skip
    assert all(r.run.startswith("rpj-") for r in cmp.laws[0].backtest.runs)
    rolled = rolling_backtest(frame, law="chinchilla", where=("dataset", "rpj"), bootstrap=0,
                              holdout="largest:3")  # fmt: skip
    assert all(str(run).startswith("rpj-") for run in rolled.split.held_out.runs)
    assert all(step.n_fitted < len(frame) // 2 for step in rolled.steps)


def test_where_with_a_split_made_already_is_refused() -> None:
    frame = _two_corpora()
    split = split_runs(scalinglab_table(frame), "largest:3")
    with pytest.raises(ConfigError, match="holdout is a Split whose runs it would narrow"):
        backtest(frame, law="chinchilla", where="dataset=c4", bootstrap=0, holdout=split)


def scalinglab_table(frame: pd.DataFrame):  # type: ignore[no-untyped-def]
    import scalinglab

    return scalinglab.read_runs(frame)
