"""A large table's screening steps taken on a spread-out subsample of its runs
(fit/_screen_runs.py), by its start grid, its bootstrap and the law comparison's cut fits:
taken above SCREEN_RUNS runs only, the known law recovered, and the same optimum,
intervals and law choice as screening on every run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalinglab import bundled_runs, fit, read_runs
from scalinglab.fit import _bootstrap, _screen_runs
from scalinglab.fit._screen_runs import screening_runs
from scalinglab.validate import choose_law

TRUE = {"E": 1.7, "A": 400.0, "B": 410.0, "alpha": 0.34, "beta": 0.28}


def _synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` runs of ``L = 1.7 + 400/N^0.34 + 410/D^0.28`` with 0.5% noise."""
    rng = np.random.default_rng(seed)
    N, D = 10 ** rng.uniform(7, 10, n), 10 ** rng.uniform(9, 12, n)
    law = TRUE["E"] + TRUE["A"] / N ** TRUE["alpha"] + TRUE["B"] / D ** TRUE["beta"]
    return pd.DataFrame(
        {"params": N, "tokens": D, "loss": law * (1 + 0.005 * rng.standard_normal(n))}
    )


def test_screening_runs_spread_over_both_variables_and_small_tables_keep_every_run() -> None:
    rng = np.random.default_rng(1)
    data = {"N": rng.uniform(0, 1, 3000), "D": rng.uniform(0, 1, 3000)}
    rows = screening_runs(data, n=1000)
    assert rows is not None and len(rows) == len(set(rows.tolist())) == 1000
    assert np.array_equal(rows, screening_runs(data, n=1000))  # no random draw
    for x in data.values():  # every decile of each variable holds about its tenth
        counts = np.bincount(np.minimum((x[rows] * 10).astype(int), 9), minlength=10)
        assert counts.min() >= 80 and counts.max() <= 120, counts
    assert screening_runs(data, n=3000) is None


def test_small_tables_do_not_take_the_subsample_path() -> None:
    result = fit("chinchilla", bundled_runs(), bootstrap=20, compare=True)
    assert not any("screening steps on" in note for note in result.notes)
    assert result.law_choice is not None and "screening steps" not in result.law_choice.reason


@pytest.mark.heavy
def test_3000_runs_screen_on_1000_and_reach_the_all_runs_screenings_optimum(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = read_runs(_synthetic(3000))
    got = fit("chinchilla", runs, bootstrap=0, compare=False)
    assert (
        "the 4500 starts took their screening steps on 1000 of the 3000 runs (spread over D, "
        "N); the 563 of lowest objective were solved on every run"
    ) in got.notes
    assert got.status == "converged" and got.n_starts_solved == 563
    for name, value in TRUE.items():  # the known law, within the noise's reach
        assert got.coefs[name] == pytest.approx(value, rel=0.03), name
    monkeypatch.setattr(_screen_runs, "SCREEN_RUNS", 10**9)  # screen on every run, as before
    every = fit("chinchilla", runs, bootstrap=0, compare=False)
    assert not any("screening steps on" in note for note in every.notes)
    assert got.objective == pytest.approx(every.objective, rel=1e-12)
    for name in TRUE:
        assert got.coefs[name] == pytest.approx(every.coefs[name], rel=1e-6), name


@pytest.mark.heavy
def test_3000_runs_bootstrap_screens_on_the_same_1000_with_the_all_runs_intervals(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = read_runs(_synthetic(3000))
    monkeypatch.setattr(_bootstrap, "KEEP_OF", 2)  # screened (by default every start is solved)
    got = fit("chinchilla", runs, bootstrap=50, compare=False, extrapolation=False)
    assert (
        "the 50 bootstrap resamples took their screening steps on those 1000 runs too, each on "
        "its draws among them; of each resample's 6 starts the 3 of lowest objective there were "
        "solved on all its draws"
    ) in got.notes
    for name, value in TRUE.items():  # the known law inside each interval, under 15% wide
        low, high = got.intervals[name]
        assert low < value < high and high - low < 0.15 * value, name
    monkeypatch.setattr(_screen_runs, "SCREEN_RUNS", 10**9)  # screen on every run, as before
    every = fit("chinchilla", runs, bootstrap=50, compare=False, extrapolation=False)
    assert not any("screening steps on" in note for note in every.notes)
    assert got.samples is not None and every.samples is not None
    np.testing.assert_allclose(got.samples, every.samples, rtol=1e-6)
    for name in TRUE:
        np.testing.assert_allclose(got.intervals[name], every.intervals[name], rtol=1e-6)


def test_a_bootstrap_of_a_small_grid_names_the_runs_it_screened_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = read_runs(_synthetic(1500, seed=3))
    starts = np.array([[0.5, 6.0, 6.0, 0.3, 0.3], [0.0, 5.0, 5.0, 0.4, 0.2]])
    every = fit("chinchilla", runs, starts=starts, bootstrap=20, compare=False, extrapolation=False)
    assert not any("bootstrap resamples took their screening" in note for note in every.notes)
    monkeypatch.setattr(_bootstrap, "KEEP_OF", 2)  # screened (by default every start is solved)
    got = fit("chinchilla", runs, starts=starts, bootstrap=20, compare=False, extrapolation=False)
    assert not any("starts took their screening steps" in note for note in got.notes)
    assert (
        "the 20 bootstrap resamples took their screening steps on 1000 of the 1500 runs (spread "
        "over D, N), each on its draws among them; of each resample's 6 starts the 3 of lowest "
        "objective there were solved on all its draws"
    ) in got.notes


def test_a_resample_or_cut_without_weight_on_the_subsample_screens_on_every_run() -> None:
    from scalinglab.fit._losses import get_loss
    from scalinglab.fit._objective import Objective
    from scalinglab.fit._screen_runs import screening_subsample
    from scalinglab.laws import get_law

    law, table = get_law("chinchilla"), _synthetic(1200)
    data = {"N": table["params"].to_numpy(), "D": table["tokens"].to_numpy()}
    sub = screening_subsample(law, data)
    assert sub is not None and len(sub.rows) == 1000
    weights = np.ones((2, 1200))
    target = np.log(table["loss"].to_numpy())
    mine = Objective(law.bind(data), target, get_loss("huber"), True, weights)
    restricted = sub.of(mine)
    assert restricted is not None and restricted.weights is not None
    assert restricted.weights.shape == (2, 1000)
    np.testing.assert_array_equal(restricted.target, target[sub.rows])
    weights[1, sub.rows] = 0.0  # the second row weighs only the 200 runs left out
    assert sub.of(Objective(law.bind(data), target, get_loss("huber"), True, weights)) is None


@pytest.mark.heavy  # 2.8 s in the suite on a 2-core AMD EPYC
def test_3000_runs_law_comparison_screens_its_cut_fits_and_chooses_as_on_every_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runs = read_runs(_synthetic(3000))
    got = fit("chinchilla", runs, bootstrap=0, compare=True).law_choice
    assert got is not None and got.fitted == "chinchilla"
    assert got.reason.endswith(
        "; the cut fits took their screening steps on 1000 of the 3000 runs, and the 1/8 of "
        "each cut's starts of lowest objective there were solved on all its runs"
    )
    assert got.chosen == "chinchilla"  # the law the runs were drawn from
    monkeypatch.setattr(_screen_runs, "SCREEN_RUNS", 10**9)  # every start on every run
    every = choose_law(runs)
    assert "screening steps" not in every.reason
    assert every.chosen == got.chosen and every.scores.keys() == got.scores.keys()
    for name, score in every.scores.items():
        assert got.scores[name] == pytest.approx(score, rel=1e-6), name
