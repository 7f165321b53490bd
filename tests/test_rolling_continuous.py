"""Sizes drawn from a range roll over quantile bins however sparse they are, grids keep their
chained scales, and a rolling step fits on at least twice the law's parameters (300 runs
over 1e7-1e9 params rolled over 18 chained scales, the first step 9 runs missing by 83%)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, rolling_backtest
from scalinglab._scales import size_scales
from scalinglab.data import read_runs
from scalinglab.validate import split_runs


def _sweep(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    params = 10 ** rng.uniform(7, 9, n)
    tokens = params * 10 ** rng.uniform(0.5, 2.5, n)
    loss = (1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28) * np.exp(rng.normal(0, 0.01, n))
    return pd.DataFrame({"params": params, "tokens": tokens, "loss": loss})


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_a_sweep_rolls_over_bins_of_enough_runs() -> None:
    roll = rolling_backtest(_sweep(300, 0), law="chinchilla", bootstrap=0)
    assert [s.scales for s in roll.steps] == [2, 3, 4, 5, 6]
    assert min(s.n_fitted for s in roll.steps) >= 10
    assert all(s.summary.median_are < 0.02 for s in roll.steps)
    assert any("no size is shared by runs (each run has its own, and its own params and "
               "tokens)" in n for n in roll.notes)  # fmt: skip


def test_sparse_log_uniform_sizes_run_together() -> None:
    flops = 10 ** np.random.default_rng(0).uniform(17, 24, 400)  # 7 decades, 57 a decade
    found = size_scales(flops)
    assert found.count == 6
    assert found.run_together is not None and found.run_together.startswith(
        "no size is shared by runs (each run has its own) and "
    )


def test_a_ladder_of_single_runs_stays_a_grid() -> None:
    # sizes all distinct but spaced apart (0.1 decades, twice the chaining tolerance), or too
    # few to be drawn from a range: a scale per size, as six model sizes of one run each are
    ladder = size_scales(10 ** (17 + 0.1 * np.arange(60)))
    assert ladder.run_together is None and ladder.count == 60
    few = size_scales(10 ** np.random.default_rng(0).uniform(17, 18, 39))
    assert few.run_together is None
    drawn = size_scales(10 ** np.random.default_rng(0).uniform(17, 18, 40))
    assert drawn.count == 6 and str(drawn.run_together).startswith("no size is shared by runs")


def test_exactly_counted_budgets_stay_a_grid() -> None:
    # 6 budgets of 7 runs, flops within ±5% of each budget, params and tokens all distinct
    rng = np.random.default_rng(1)
    flops = 10 ** (np.repeat(18 + 0.5 * np.arange(6), 7) + rng.normal(0, 0.02, 42))
    params = 10 ** rng.uniform(7, 9, 42)
    found = size_scales(flops, design={"params": params, "tokens": flops / (6 * params)})
    assert found.run_together is None
    np.testing.assert_array_equal(np.bincount(found.index), [7] * 6)


def test_few_runs_per_step_are_skipped_with_a_note() -> None:
    # a ladder of 4 sizes x 3 token counts: steps at 1 and 2 scales fit 3 and 6 runs
    params = np.repeat([1e7, 3e7, 1e8, 3e8, 1e9], 3)
    tokens = params * np.tile([10.0, 30.0, 100.0], 5)
    loss = 1.69 + 406.4 / params**0.34 + 410.7 / tokens**0.28
    frame = pd.DataFrame({"params": params, "tokens": tokens, "loss": loss})
    roll = rolling_backtest(frame, law="chinchilla", holdout="params>=1e9", min_scales=1,
                            bootstrap=0)  # fmt: skip
    assert min(s.n_fitted for s in roll.steps) >= 10
    assert any(n.startswith("steps at 1 to ") and "a step fits on at least 10 runs, 2x the 5 "
               "parameters of chinchilla" in n for n in roll.notes)  # fmt: skip


def test_near_best_is_refused_on_sizes_with_no_budgets() -> None:
    with pytest.raises(ConfigError) as err:
        split_runs(read_runs(_sweep(300, 0)), "near-best:1.5")
    assert (
        "near-best:1.5 keeps, at each compute budget, the runs near its lowest-loss run's "
        "params, but these runs' flops form no budgets (no size is shared by runs"
        in err.value.message
    )
    assert err.value.hint is not None and "drop near-best" in err.value.hint
