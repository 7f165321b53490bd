"""fit._bootstrap._distinct (the bootstrap's and the curve fits' seeds: distinct optima, best
first), one pass per kept row, against the row-at-a-time rule it replaced."""

from __future__ import annotations

import numpy as np

from scalinglab.fit._bootstrap import _distinct


def _one_row_at_a_time(theta: np.ndarray, *, limit: int, tol: float = 1e-4) -> np.ndarray:
    kept: list[np.ndarray] = []
    for row in theta:
        if all(np.max(np.abs(row - k) / (1 + np.abs(k))) > tol for k in kept):
            kept.append(row)
            if len(kept) == limit:
                break
    return np.array(kept)


def test_distinct_rows_are_the_row_at_a_time_rules() -> None:
    rng = np.random.default_rng(3)
    optima = rng.normal(size=(6, 5)) * [1, 3, 3, 0.2, 0.2]
    for trial in range(60):
        # mostly copies of a few optima (as a grid's ends are), a little jitter around
        # the tolerance, some exact zeros and a NaN row now and then
        picks = rng.integers(0, 1 + trial % 6, size=rng.integers(1, 400))
        theta = optima[picks] * (1 + rng.choice([0, 0, 0, 5e-5, 2e-4], size=(len(picks), 1)))
        if trial % 7 == 0:
            theta[rng.integers(0, len(theta))] = np.nan
        if trial % 5 == 0:
            theta[:, 0] = 0.0
        for limit in (1, 2, 3, 8):
            expected = _one_row_at_a_time(theta, limit=limit)
            ours = _distinct(theta, limit=limit)
            assert ours.shape == expected.shape and np.array_equal(ours, expected, equal_nan=True)


def test_distinct_keeps_the_order_and_stops_at_the_limit() -> None:
    theta = np.array([[1.0, 2.0], [1.0, 2.00001], [3.0, 1.0], [1.0, 2.0], [5.0, 5.0]])
    assert _distinct(theta, limit=2).tolist() == [[1.0, 2.0], [3.0, 1.0]]
    assert _distinct(theta, limit=5).tolist() == [[1.0, 2.0], [3.0, 1.0], [5.0, 5.0]]
