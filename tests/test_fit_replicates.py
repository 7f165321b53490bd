"""Replicate runs (seeds at one (N, D)) count once in the runs-per-parameter rules."""

from __future__ import annotations

import numpy as np
import pandas as pd

import scalinglab as sl
from scalinglab.fit._extrapolation import rolling_cuts
from scalinglab.fit._points import distinct_points
from scalinglab.validate import choose_law


def _grid(copies: int, sizes: int = 7) -> pd.DataFrame:
    """7 sizes x 5 tokens per parameter (35 (N, D)), each ``copies`` times with its own noise."""
    n = np.repeat([20e6, 50e6, 100e6, 200e6, 400e6, 800e6, 1.3e9][:sizes], 5)
    d = n * np.tile([5, 10, 20, 40, 80], sizes)
    n, d = np.tile(n, copies), np.tile(d, copies)
    truth = 1.7 + 400 * n**-0.34 + 1500 * d**-0.30
    noise = np.exp(0.01 * np.random.default_rng(5).standard_normal(len(n)))
    return pd.DataFrame({"params": n, "tokens": d, "loss": truth * noise})


def test_distinct_points_groups_equal_rows() -> None:
    ids = distinct_points({"N": [1.0, 2.0, 1.0, 1.0], "D": [5.0, 5.0, 5.0, 6.0]})
    assert ids[0] == ids[2] and len(set(ids.tolist())) == 3


def test_rolling_cuts_count_distinct_points_not_rows() -> None:
    axis = np.log10(np.repeat(np.geomspace(1e15, 1e20, 11), 2))  # 22 rows, 11 points
    points = distinct_points({"C": axis})
    assert rolling_cuts(axis, need=10) != []  # rows: the 50% cut leaves 10 below
    assert rolling_cuts(axis, need=10, points=points) == rolling_cuts(axis[::2], need=10)


def test_replicates_do_not_add_cuts_to_the_calibration() -> None:
    once = sl.fit("chinchilla", _grid(1), bootstrap=30, seed=0).extrapolation
    twice = sl.fit("chinchilla", _grid(2), bootstrap=30, seed=0).extrapolation
    assert once is not None and twice is not None
    # before: the doubled runs admitted 5 cuts, the first fitted on 11 distinct (N, D)
    assert len(twice.cuts) == len(once.cuts) == 2
    assert "(70 runs at 35 distinct (N, D))" in twice.reason
    assert "3 cuts fitted on under 5 distinct (N, D) per parameter not counted" in twice.reason


def test_too_few_runs_counts_distinct_points() -> None:
    runs = _grid(2).iloc[np.r_[0:11, 35:46]]  # 22 rows at 11 distinct (N, D)
    result = sl.fit("chinchilla", runs, bootstrap=0)
    assert any(
        w.startswith("too few runs: 11 distinct (N, D) from 22 runs for 5 parameters (2.2 per")
        for w in result.warnings
    )


def _below(runs: pd.DataFrame, cuts: tuple[float, ...]) -> list[int]:
    """Distinct (N, D) below each cut."""
    nd = runs["params"] * runs["tokens"]
    return [
        len(set(runs.loc[nd < c * (1 - 1e-9), ["params", "tokens"]].itertuples(index=False)))
        for c in cuts
    ]


def test_law_choice_cuts_ignore_replicates() -> None:
    # 30 (N, D): the 5-per-parameter rule applies to the law choice's cuts, doubled or not
    # (before: the doubled runs' 60 rows admitted cuts on 14, 16 and 19 distinct points)
    once, twice = _grid(1, sizes=6), _grid(2, sizes=6)
    assert _below(once, choose_law(once).cuts) == [21, 26]
    assert _below(twice, choose_law(twice).cuts) == [21, 26]
