"""What a rolling backtest's scales are: a grid's sizes as before; for sizes drawn from a
continuous range, the bins between the fit's calibration cuts (they chained into one scale
holding nearly every run: a 5,000-run table was refused with "1 distinct scale of flops",
and a 1,000-run one gave scales of 5/987/5/3 runs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError, bundled_runs, rolling_backtest
from scalinglab._scales import quantile_cuts, size_scales
from scalinglab.data import RunTable, read_runs, simulate_ladder
from scalinglab.fit._extrapolation import rolling_cuts
from scalinglab.validate import split_runs
from scalinglab.validate._scale_words import fitted_scales

CHINCHILLA = Path(__file__).resolve().parents[2] / "shared/data/chinchilla/svg_extracted_data.csv"


def _log_uniform(n: int, seed: int) -> pd.DataFrame:
    """``n`` runs, each its own size: params and tokens log-uniform (Chinchilla's law, 0.5%
    noise), as a sweep draws them."""
    rng = np.random.default_rng(seed)
    params, tokens = 10 ** rng.uniform(7, 9.5, n), 10 ** rng.uniform(9, 11.5, n)
    loss = (1.7 + 400 / params**0.34 + 410 / tokens**0.28) * (1 + 0.005 * rng.normal(size=n))
    return pd.DataFrame({"params": params, "tokens": tokens, "loss": loss})


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_log_uniform_sizes_roll_over_quantile_bins() -> None:
    frame = _log_uniform(400, seed=3)
    roll = rolling_backtest(frame, law="chinchilla", holdout="top-decile", bootstrap=0)
    # 360 fitted: every step fits 60%+ of them and predicts the same 40 held-out runs
    assert [s.scales for s in roll.steps] == [2, 3, 4, 5, 6]
    assert [s.n_fitted for s in roll.steps] == [215, 251, 287, 323, 360]
    assert [s.summary.n for s in roll.steps] == [40] * 5
    assert all(s.unidentified is None and s.summary.median_are < 0.01 for s in roll.steps)
    assert [n for n in roll.notes if n.startswith("scales:")] == [
        "scales: the 360 runs fitted do not cluster into scales of flops (350 of the 360 runs "
        "chain into one scale over 3.07 decades, each within 0.05 decades of the next), so a "
        "scale here is the runs between two of the 50, 60, 70, 80 and 90% quantiles of log "
        "flops, the cuts fit calibrates its intervals by"
    ]


@pytest.mark.parametrize(("n", "seed"), [(300, 0), (600, 1), (1000, 2)])
def test_scale_bins_start_at_the_fits_calibration_cuts(n: int, seed: int) -> None:
    """One notion: where sizes run together, each scale above the first starts at one of the
    cuts the fit's calibration backtests cut at (on log N·D; flops = 6·N·D orders alike)."""
    frame = _log_uniform(n, seed)
    axis = np.log10(frame["params"].to_numpy() * frame["tokens"].to_numpy())
    found = size_scales(6 * 10**axis)
    assert found.run_together is not None and found.count == 6
    cuts = rolling_cuts(axis, need=10)
    assert cuts == quantile_cuts(axis) and len(cuts) == 5
    for k, cut in enumerate(cuts, start=1):
        np.testing.assert_array_equal(found.index >= k, axis >= cut)
    # the smallest scale holds half the runs, each other a tenth
    assert np.bincount(found.index)[0] == (n - 1) // 2


def test_grids_keep_their_scales() -> None:
    ladder = simulate_ladder(seed=0)  # 7 IsoFLOP budgets
    found = fitted_scales(split_runs(ladder, "flops>=1e21"))
    assert found.run_together is None
    np.testing.assert_array_equal(np.bincount(found.index), [7] * 6)
    # one budget holding most runs is still a grid point: it spans no width
    flops = np.r_[np.full(30, 1e20), np.logspace(18, 19, 5)]
    assert size_scales(flops).run_together is None and size_scales(flops).count == 6


@pytest.mark.skipif(not CHINCHILLA.exists(), reason="needs ../shared/data/chinchilla")
def test_chinchilla_points_and_bundled_runs_keep_their_scales() -> None:
    """Neither grid nor continuous, these chain into scales as before (the README's rolling
    tables): the widest chain holds a minority of the runs."""
    chinchilla = read_runs(CHINCHILLA, drop_outliers=True)
    for runs, count in ((chinchilla, 15), (bundled_runs(), 17)):
        found = fitted_scales(split_runs(runs, "top-decile"))
        assert found.run_together is None and found.count == count


def test_more_min_scales_than_bins_says_what_the_scales_are() -> None:
    table: RunTable = read_runs(_log_uniform(300, seed=0))
    with pytest.raises(ConfigError) as err:
        rolling_backtest(table, law="chinchilla", holdout="top-decile", min_scales=7)
    assert err.value.message.startswith(
        "rolling_backtest(min_scales=7): the 270 runs fitted (held out: the top 10% by flops: "
        "flops >= "
    )
    assert err.value.message.endswith(
        "lie at 6 scales of flops, the bins between the 50, 60, 70, 80 and 90% quantiles of "
        "log flops (167 of the 270 runs chain into one scale over 1.67 decades, each within "
        "0.05 decades of the next), fewer than min_scales"
    )
    assert err.value.hint == "pass min_scales=6 or fewer, or hold out fewer runs"
