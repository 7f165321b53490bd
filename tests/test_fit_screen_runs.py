"""A large table's start grid screened on a spread-out subsample of its runs
(fit/_screen_runs.py): taken above SCREEN_RUNS runs only, the known law recovered, and the
same optimum as screening on every run."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalinglab import bundled_runs, fit, read_runs
from scalinglab.fit import _screen_runs
from scalinglab.fit._screen_runs import screening_runs

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
    result = fit("chinchilla", bundled_runs(), bootstrap=0, compare=False)
    assert not any("screening steps on" in note for note in result.notes)


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
