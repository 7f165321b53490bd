"""Which rolling cuts count: analogs of the full fit (fit/_extrapolation.py, ANALOG_RUNS_PER_PARAM).

Oracle: the same fit measured with the rule out of reach (every cut with 2 runs per
parameter counted, as before). The cut fits are deterministic, so the residuals the rule
keeps must be exactly those of the cuts fitted on 5+ runs per parameter in that
measurement, and where it keeps every cut the two measurements must be identical.
"""

from __future__ import annotations

import numpy as np
import pytest

import scalinglab as sl
from scalinglab.data import bundled_runs
from scalinglab.fit import _extrapolation
from scalinglab.fit._calibrated import Extrapolation
from scalinglab.validate import Scenario, simulate_runs


def _both(runs: object, monkeypatch: pytest.MonkeyPatch) -> tuple[Extrapolation, Extrapolation]:
    """The measurement now, and with every cut counted (the rule out of reach)."""
    now = sl.fit("chinchilla", runs, bootstrap=20, seed=0).extrapolation
    with monkeypatch.context() as patch:
        patch.setattr(_extrapolation, "ANALOG_RUNS_PER_PARAM", 10**9)
        every = sl.fit("chinchilla", runs, bootstrap=20, seed=0).extrapolation
    assert now is not None and every is not None
    return now, every


def test_full_fit_with_the_runs_counts_only_cuts_fitted_on_as_many(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An IsoFLOP ladder of 6 budgets x 7 sizes (42 runs, 8.4 per parameter): the cuts
    fitted on 2-3 budgets (14 and 21 runs) are left out, those on 28 and 35 kept."""
    table = simulate_runs(Scenario(), seed=7)
    runs = table.select(table["flops"] < 1e21)
    assert len(runs) == 42
    now, every = _both(runs, monkeypatch)
    flops = runs["params"] * runs["tokens"]
    below = [int((flops < c * (1 - 1e-9)).sum()) for c in every.cuts]
    assert min(below) < 25 <= max(below)  # the rule has something to leave out
    keep = [c for c, n in zip(every.cuts, below, strict=True) if n >= 25]
    assert now.calibrated and list(now.cuts) == keep and len(keep) >= 2
    start = np.concatenate([[0], np.cumsum(every.sizes)])
    picked = np.concatenate(
        [np.arange(start[i], start[i + 1]) for i, c in enumerate(every.cuts) if c in keep]
    )
    np.testing.assert_array_equal(now.residuals, every.residuals[picked])
    np.testing.assert_array_equal(now.distances, every.distances[picked])
    assert (
        f"{len(every.cuts) - len(keep)} cuts fitted on under 5 distinct (N, D) per parameter"
        in now.reason
    )
    # the cuts of fewer runs missed by more: leaving them out narrows the interval
    assert (
        now.half_width(np.array([0.5]), 0.0, 0.8)[0]
        < every.half_width(np.array([0.5]), 0.0, 0.8)[0]
    )


@pytest.mark.parametrize("largest", [1e12, 4e8])
@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_too_few_analog_cuts_or_runs_keeps_every_cut(
    largest: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled 31 runs (6.2 per parameter) leave one cut with 25 runs below: too few,
    so every cut counts, as before; the 24 under 400M parameters (4.8 per parameter) never
    apply the rule. Either way the measurement is the one with every cut."""
    runs = bundled_runs("overtraining-c4")
    runs = runs.select(runs["params"] < largest)
    assert len(runs) in (31, 24)
    now, every = _both(runs, monkeypatch)
    assert now.calibrated and now.cuts == every.cuts and now.reason == every.reason
    np.testing.assert_array_equal(now.residuals, every.residuals)
    assert now.quantile(0.9) == every.quantile(0.9)
    assert "not counted" not in now.reason
