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
    batched, _ = fit_cuts(law, runs, masks, starts, max_iter=300)
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
    out, _ = fit_cuts(law, runs, [below, ~below], [bad, good])
    assert out[0] is None and out[1] is not None


def test_one_array_of_starts_per_mask() -> None:
    runs = sl.bundled_runs()
    with pytest.raises(ValueError, match="one array of starts per mask"):
        fit_cuts(get_law("chinchilla"), runs, [runs["params"] > 0], [])


def test_a_cut_that_cannot_be_fitted_is_named_in_the_reason() -> None:
    """A rolling cut whose fit fails is left out and the interval's reason counts it (it used
    to vanish: 4 cuts said, 5 made, on one CPU build only)."""
    from scalinglab.fit._extrapolation import measure

    rng = np.random.default_rng(0)
    c = np.repeat(np.geomspace(1e17, 1e22, 11), 6)
    n = np.sqrt(c / 6) * np.tile(np.geomspace(0.3, 3, 6), 11)
    d = c / (6 * n)
    law = 1.7 + 400 * n**-0.34 + 410 * d**-0.28
    loss = law * np.exp(0.01 * rng.standard_normal(len(c)))
    calls: list[int] = []

    def refit(mask: np.ndarray) -> object:
        calls.append(int(mask.sum()))
        if len(calls) == 1:
            return None  # the first cut's fit fails

        def predictor(held: dict[str, np.ndarray]) -> tuple[np.ndarray, ...]:
            mean = 1.7 + 400 * held["N"] ** -0.34 + 410 * held["D"] ** -0.28
            return mean, np.zeros(len(mean)), np.zeros(len(mean))

        return predictor

    data = {"N": n, "D": d}
    ex = measure(data, loss, n_params=5, sigma=0.01, log_space=True, refit=refit)  # type: ignore[arg-type]
    assert ex.kind == "backtest-calibrated"
    assert len(ex.cuts) == len(calls) - 1 >= 2
    assert f"{len(ex.cuts)} rolling-origin cuts" in ex.reason
    assert ", 1 cut that could not be fitted left out" in ex.reason


def test_a_large_tables_cuts_of_64_starts_screen_on_1000_runs_and_reach_the_same_fits(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Above SCREEN_RUNS runs a cut's 64 starts take their screening steps on the cut's runs
    among 1,000 and its 8 lowest are solved on all its runs (fit/_screen_runs.py); 10 starts
    (the law choice's Kaplan cuts) are all solved, on every run."""
    import pandas as pd

    from scalinglab.fit import _screen_runs

    rng = np.random.default_rng(7)
    N, D = 10 ** rng.uniform(7, 10, 2500), 10 ** rng.uniform(9, 12, 2500)
    loss = (1.7 + 400 / N**0.34 + 410 / D**0.28) * (1 + 0.005 * rng.standard_normal(2500))
    runs = sl.read_runs(pd.DataFrame({"params": N, "tokens": D, "loss": loss}))
    law = get_law("chinchilla")
    compute = N * D
    masks = [compute < np.quantile(compute, q) for q in (0.5, 0.7, 0.9)]
    grid = law.start_grid({"N": N, "D": D}, loss)
    starts = [grid[rng.choice(len(grid), size=64, replace=False)] for _ in masks]
    got, on = fit_cuts(law, runs, masks, starts, max_iter=100)
    assert on == 1000
    few, on_few = fit_cuts(law, runs, masks, [s[:10] for s in starts], max_iter=100)
    assert on_few is None
    monkeypatch.setattr(_screen_runs, "SCREEN_RUNS", 10**9)  # every start on every run
    every, on_every = fit_cuts(law, runs, masks, starts, max_iter=100)
    few_every, _ = fit_cuts(law, runs, masks, [s[:10] for s in starts], max_iter=100)
    assert on_every is None
    for below, theta, alone in zip(masks, got, every, strict=True):
        assert theta is not None and alone is not None
        np.testing.assert_allclose(theta, alone, rtol=1e-6)
        # above the cut, the law the runs were drawn from, within the noise (0.5%)
        above = {"N": N[~below], "D": D[~below]}
        truth = 1.7 + 400 / above["N"] ** 0.34 + 410 / above["D"] ** 0.28
        np.testing.assert_allclose(law.evaluate(theta, above), truth, rtol=5e-3)
    for theta, alone in zip(few, few_every, strict=True):
        np.testing.assert_array_equal(theta, alone)  # not screened either way: the same bits
