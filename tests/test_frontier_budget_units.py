"""``scalinglab.plan.frontier(budgets=...)`` reads its budgets as ``optimal_allocation``
reads ``flops=`` and ``write_report`` and ``isoflop`` read ``budgets=``: text with units
(``"1e24 FLOPs"``), a comma-separated string as ``--compute`` writes one, or one budget
alone; a list with ``"1e24 FLOPs"`` raised a bare ``ValueError`` from numpy, and one budget
was refused as "got shape ()"."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab import ConfigError, optimal_allocation
from scalinglab.plan import frontier


def _params(f: object) -> list[float]:
    return [a.params.value for a in f]  # type: ignore[attr-defined]


def test_budgets_take_units_as_optimal_allocation_does() -> None:
    want = [optimal_allocation("hoffmann2022", flops=c).params.value for c in (1e23, 1e24)]
    for budgets in (["1e23", "1e24 FLOPs"], "1e23,1e24", ["1e23 FLOP", "1000000000P"]):
        f = frontier("hoffmann2022", budgets=budgets)
        assert _params(f) == pytest.approx(want, rel=1e-12), budgets


def test_one_budget_is_a_frontier_of_one() -> None:
    want = optimal_allocation("hoffmann2022", flops=1e24).params.value
    for one in (1e24, np.float64(1e24), "1e24 FLOPs"):
        f = frontier("hoffmann2022", budgets=one)
        assert len(f) == 1 and _params(f) == pytest.approx([want], rel=1e-12)


def test_bad_budgets_say_which_in_their_words() -> None:
    with pytest.raises(ConfigError, match=r"budgets='abc' is not a number"):
        frontier("hoffmann2022", budgets=[1e23, "abc"])
    with pytest.raises(ConfigError, match=r"budgets must be positive and finite, got 0"):
        frontier("hoffmann2022", budgets=[1e23, 0])
    with pytest.raises(ConfigError, match=r"non-empty list of compute budgets, got \[\[1e\+23"):
        frontier("hoffmann2022", budgets=[[1e23, 1e24]])
