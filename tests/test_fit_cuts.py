"""Backtest cuts fitted in one batched solve: each cut's optimum is the one a separate fit
to that cut's runs reaches (the objective is the same function; only the solver's centring
and batching differ)."""

from __future__ import annotations

import numpy as np
import pytest

import scalinglab as sl
from scalinglab.fit._cuts import fit_cuts
from scalinglab.laws import get_law


@pytest.mark.parametrize("name", ["chinchilla", "overtraining", "kaplan"])
def test_each_cut_reaches_the_optimum_of_its_own_fit(name: str) -> None:
    runs = sl.bundled_runs()
    law = get_law(name)
    compute = np.log10(runs["params"] * runs["tokens"])
    masks = [compute < np.quantile(compute, q) for q in (0.6, 0.8)]
    starts = []
    for below in masks:
        part = runs.select(below)
        grid = law.start_grid({"N": part["params"], "D": part["tokens"]}, part["loss"])
        starts.append(grid[:: max(1, len(grid) // 24)])
    batched = fit_cuts(law, runs, masks, starts, max_steps=300)
    for below, grid, theta in zip(masks, starts, batched, strict=True):
        alone = sl.fit(law, runs.select(below), starts=grid, extrapolation=False, bootstrap=0)
        assert theta is not None
        np.testing.assert_allclose(theta, alone.theta, rtol=1e-4)
        # the prediction above the cut (what a backtest scores) agrees more tightly still
        above = runs.select(~below)
        at = {"N": above["params"], "D": above["tokens"]}
        np.testing.assert_allclose(
            law.evaluate(theta, at), law.evaluate(alone.theta, at), rtol=1e-6
        )


def test_a_cut_whose_every_start_fails_is_none() -> None:
    runs = sl.bundled_runs()
    law = get_law("E + A*N**-alpha")
    below = runs["params"] < np.median(runs["params"])
    bad = np.array([[0.0, 800.0, 0.5]])  # A = e^800: beyond float64, the law is not finite
    good = law.start_grid({"N": runs["params"]}, runs["loss"])
    out = fit_cuts(law, runs, [below, ~below], [bad, good])
    assert out[0] is None and out[1] is not None


def test_one_array_of_starts_per_mask() -> None:
    runs = sl.bundled_runs()
    with pytest.raises(ValueError, match="one array of starts per mask"):
        fit_cuts(get_law("chinchilla"), runs, [runs["params"] > 0], [])
