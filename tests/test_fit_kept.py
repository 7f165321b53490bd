"""The starts the screening keeps (:func:`scalinglab.fit._kept.lowest_per_group`), the one
rule of ``screened`` and ``screened_on``, against a per-group sort written out plainly."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scalinglab.fit._kept import lowest_per_group


def _reference(
    candidates: list[int], objective: list[float], groups: list[int], keep: int
) -> list[int]:
    """Per group: the candidates by objective (NaN after inf), ties by start index."""
    kept: list[int] = []
    for g in sorted({groups[i] for i in candidates}):
        members = [i for i in candidates if groups[i] == g]
        members.sort(
            key=lambda i: (
                math.isnan(objective[i]),
                0.0 if math.isnan(objective[i]) else objective[i],
                i,
            )
        )
        kept += members[:keep]
    return sorted(kept)


def test_ties_go_by_start_order_and_nan_last() -> None:
    objective = np.array([3.0, 1.0, 1.0, np.nan, np.inf, 2.0, 1.0, 0.5])
    groups = np.array([0, 0, 0, 0, 1, 1, 1, 1])
    got = lowest_per_group(np.arange(8), objective, groups, keep=2)
    assert got.tolist() == [1, 2, 6, 7]  # group 0: the two 1.0 (ties: 1 before 2)
    got = lowest_per_group(np.array([0, 3, 4]), objective, groups, keep=2)
    assert got.tolist() == [0, 3, 4]  # a group of fewer candidates than keep: all of them


@pytest.mark.parametrize("seed", range(20))
def test_random_groups_match_the_plain_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    S = int(rng.integers(1, 60))
    objective = rng.choice([0.1, 0.2, 0.3, np.inf, np.nan], size=S) + rng.choice([0.0, 1.0], size=S)
    groups = rng.integers(0, 5, size=S)
    candidates = np.flatnonzero(rng.random(S) < 0.7)
    keep = int(rng.integers(1, 6))
    got = lowest_per_group(candidates, objective, groups, keep=keep)
    want = _reference(candidates.tolist(), objective.tolist(), groups.tolist(), keep)
    assert got.tolist() == want
