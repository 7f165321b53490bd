"""The compute interval of a target loss: the fit's prediction band for one run, inverted.

The references here are the test's own: the Hoffmann law and its compute-optimal split written
out (Hoffmann et al. 2022, eq. 4), a prediction band the test sets, and the crossings found on
a dense grid in log C (or, for a band of constant width, in closed form).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest

import scalinglab
from scalinglab import get_preset
from scalinglab.laws import Chinchilla, Law
from scalinglab.plan import compute_for_loss, optimal_allocation

HOFFMANN = get_preset("hoffmann2022")
NAMES = ("E", "A", "B", "alpha", "beta")
E, A, B, ALPHA, BETA = (HOFFMANN.coefs[n] for n in NAMES)
LEVEL = 0.9


def optimal_split(C: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """N*(C), D*(C) of the Hoffmann law under C = 6·N·D (eq. 4), independently of the library."""
    G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    x = C / 6
    return G * x ** (BETA / (ALPHA + BETA)), x ** (ALPHA / (ALPHA + BETA)) / G


def law_loss(N: np.ndarray, D: np.ndarray) -> np.ndarray:
    return E + A / N**ALPHA + B / D**BETA


@dataclass(frozen=True)
class BandFit:
    """A fit whose prediction interval for one run the test sets: the Hoffmann law's loss
    times ``exp(±half(log10(N·D)))``."""

    half: Callable[[np.ndarray], np.ndarray]
    kind: str = "backtest-calibrated"
    law: Law = field(default_factory=Chinchilla)
    coefs: Mapping[str, float] = field(default_factory=lambda: dict(HOFFMANN.coefs))
    samples: np.ndarray = field(
        default_factory=lambda: np.array([[HOFFMANN.coefs[n] for n in NAMES]] * 5)
    )
    level: float = LEVEL

    def band(self, N: np.ndarray, D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        loss, h = law_loss(N, D), self.half(np.log10(N * D))
        return loss * np.exp(-h), loss * np.exp(h)

    def predict(self, *, level: float | None = None, **columns: Any) -> Any:
        assert level == LEVEL  # the plan's level
        N, D = (
            np.atleast_1d(np.asarray(columns[k], dtype=np.float64)) for k in ("params", "tokens")
        )
        lower, upper = self.band(N, D)
        return SimpleNamespace(
            loss=law_loss(N, D), lower=lower, upper=upper, interval_kind=self.kind
        )

    def _predict_symbols(
        self, at: Mapping[str, Any], *, level: float | None = None, notes: str = "all"
    ) -> Any:
        """As FitResult's: by the law's symbols (planning asks so; its band search asks for
        no notes, and this band has none)."""
        return self.predict(params=at["N"], tokens=at["D"], level=level)


def grid_band(fit: BandFit) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """log C on a dense grid (1e6 to 1e50 FLOPs) and the band along the compute-optimal path."""
    log_c = np.linspace(math.log(1e6), math.log(1e50), 1_000_001)  # steps of 1e-4
    lower, upper = fit.band(*optimal_split(np.exp(log_c)))
    return log_c, lower, upper


def crossings(log_c: np.ndarray, values: np.ndarray, target: float) -> np.ndarray:
    """Every C where ``values`` crosses ``target`` on the grid, linearly interpolated."""
    gap = values - target
    k = np.flatnonzero(np.sign(gap[:-1]) != np.sign(gap[1:]))
    t = gap[k] / (gap[k] - gap[k + 1])
    return np.exp(log_c[k] + t * (log_c[k + 1] - log_c[k]))


def point_compute(target: float) -> float:
    """C* where the Hoffmann law's compute-optimal loss is ``target``, by the grid."""
    log_c = np.linspace(math.log(1e6), math.log(1e50), 400_001)
    return float(crossings(log_c, law_loss(*optimal_split(np.exp(log_c))), target)[0])


def growing(slope: float, start: float = 21.0, base: float = 0.01) -> Callable[[Any], Any]:
    """A half-width that grows by ``slope`` per decade of N·D beyond ``start``."""
    return lambda x: base + slope * np.maximum(0.0, x - start)


def shrinking(slope: float, start: float, base: float = 0.03) -> Callable[[Any], Any]:
    """A half-width that grows by ``slope`` per decade of N·D below ``start``."""
    return lambda x: base + slope * np.maximum(0.0, start - x)


def test_a_band_of_constant_width_inverts_in_closed_form() -> None:
    """L*(C) = E + K·(C/6)^-gamma; the lower bound L*·e^-h reaches the target where
    L* = target·e^h, the upper bound where L* = target·e^-h."""
    h, target = 0.03, 2.0
    a = compute_for_loss(BandFit(lambda x: h + 0 * x, kind="bootstrap"), target_loss=target)
    gamma = ALPHA * BETA / (ALPHA + BETA)
    K = (law_loss(*optimal_split(np.array(1e23)))[()] - E) * (1e23 / 6) ** gamma

    def inverse(loss: float) -> float:
        return 6 * ((loss - E) / K) ** (-1 / gamma)

    assert a.flops.value == pytest.approx(inverse(target), rel=1e-9)
    assert a.flops.lower == pytest.approx(inverse(target * math.exp(h)), rel=1e-9)
    assert a.flops.upper == pytest.approx(inverse(target * math.exp(-h)), rel=1e-9)
    assert (
        a.flops_interval_kind == "bootstrap" and a.to_dict()["flops_interval_kind"] == "bootstrap"
    )
    assert not any("prediction interval" in n for n in a.notes)  # monotone: nothing to say


def test_the_ends_are_where_the_band_reaches_the_target_on_a_brute_force_grid() -> None:
    """A band that widens beyond 1e21 in N·D: each end is the band's crossing nearest C*,
    and the band there is the target to 1e-6."""
    fit, target = BandFit(growing(0.02)), 2.0
    a = compute_for_loss(fit, target_loss=target)
    log_c, lower, upper = grid_band(fit)
    star = point_compute(target)
    assert a.flops.value == pytest.approx(star, rel=1e-6)
    down, up = crossings(log_c, lower, target), crossings(log_c, upper, target)
    assert a.flops.lower == pytest.approx(max(down[down < star]), rel=1e-6)
    assert a.flops.upper == pytest.approx(min(up[up > star]), rel=1e-6)
    at_lower = fit.band(*optimal_split(np.array(a.flops.lower)))[0]
    at_upper = fit.band(*optimal_split(np.array(a.flops.upper)))[1]
    assert at_lower == pytest.approx(target, rel=1e-6)
    assert at_upper == pytest.approx(target, rel=1e-6)
    assert a.flops.lower < 0.5 * star and a.flops.upper > 3 * star  # not the mean's interval
    assert a.flops_interval_kind == "backtest-calibrated"
    # far out the band widens faster than the law falls: its upper bound crosses back, but
    # 3.8 decades past the end, where nothing is tested: not noted (within 3 it would be)
    again = up[up > a.flops.upper * 1.001]
    assert len(again) == 1 and math.log10(again[0] / a.flops.upper) > 3
    assert not any("rises above it again" in n for n in a.notes)


def test_an_upper_bound_that_never_reaches_the_target_is_an_unbounded_end() -> None:
    """E·e^h > target for every C: no compute makes a run sure to reach it."""
    fit, target = BandFit(growing(0.02, base=0.05)), 1.75  # 1.69·e^0.05 = 1.777
    a = compute_for_loss(fit, target_loss=target)
    log_c, lower, upper = grid_band(fit)
    assert a.flops.upper == math.inf
    assert a.flops.lower == pytest.approx(crossings(log_c, lower, target)[-1], rel=1e-6)
    (note,) = [n for n in a.notes if "never falls to loss 1.75" in n]
    star = point_compute(target)
    lowest = float(np.min(upper[log_c > math.log(star)]))  # the grid's, from C* on
    assert f"its lowest is {lowest:.3f}" in note
    assert "the compute interval has no upper end (∞)" in note


def test_a_lower_bound_below_the_target_at_every_compute_is_an_unbounded_end() -> None:
    """A band that widens below C* faster than the law rises: a run could reach the target
    with any compute down to 1e6 FLOPs."""
    star = point_compute(2.0)
    N, D = optimal_split(np.array(star))
    fit = BandFit(shrinking(1.0, start=math.log10(N * D)))
    a = compute_for_loss(fit, target_loss=2.0)
    log_c, lower, _ = grid_band(fit)
    assert not np.any(lower[log_c < math.log(star)] > 2.0)  # the grid agrees
    assert a.flops.lower == 0.0
    assert any("lower bound stays below loss 2 down to 1e6 FLOPs" in n for n in a.notes)


@pytest.mark.parametrize(("start", "noted"), [(20.0, True), (19.0, False)])
def test_a_lower_bound_that_crosses_back_says_so_within_3_decades(
    start: float, noted: bool
) -> None:
    fit = BandFit(shrinking(1.0 if noted else 0.5, start=start))
    a = compute_for_loss(fit, target_loss=2.0)
    log_c, lower, _ = grid_band(fit)
    down = crossings(log_c, lower, 2.0)
    assert len(down) == 2  # above the target between them
    assert a.flops.lower == pytest.approx(down[1], rel=1e-6)
    assert (math.log10(down[1] / down[0]) <= 3) == noted  # 1.9 decades; 3.5
    assert any("falls below it again" in n for n in a.notes) == noted


def test_without_a_prediction_interval_there_is_no_compute_interval() -> None:
    preset = compute_for_loss(HOFFMANN, target_loss=2.0)
    assert preset.flops_interval_kind == "none" and math.isnan(preset.flops.lower)
    no_bootstrap = BandFit(growing(0.02), samples=np.empty((0, 5)))
    a = compute_for_loss(no_bootstrap, target_loss=2.0)
    assert a.flops_interval_kind == "none" and math.isnan(a.flops.upper)
    # a budget is given: it has no interval
    assert optimal_allocation(BandFit(growing(0.02)), flops=1e23).flops_interval_kind == "none"


@pytest.mark.parametrize("calibrated", [True, False])
def test_a_real_fits_compute_interval_is_where_its_plans_loss_interval_holds_the_target(
    calibrated: bool,
) -> None:
    """A budget plan at each end prints the target as its loss interval's bound (the same
    predict, at the same (N*, D*)); the kind is predict's: calibrated, or bootstrap + noise."""
    result = scalinglab.fit(
        "chinchilla", scalinglab.bundled_runs(), bootstrap=30, extrapolation=calibrated
    )
    target = 2.6
    a = compute_for_loss(result, target_loss=target)
    kind = "backtest-calibrated" if calibrated else "bootstrap"
    assert a.flops_interval_kind == kind
    at_lower = optimal_allocation(result, flops=a.flops.lower)
    at_upper = optimal_allocation(result, flops=a.flops.upper)
    assert at_lower.loss_interval_kind == at_upper.loss_interval_kind == kind
    assert at_lower.loss.lower == pytest.approx(target, rel=1e-9)
    assert at_upper.loss.upper == pytest.approx(target, rel=1e-9)
    assert a.flops.lower < a.flops.value < a.flops.upper


def test_a_law_searched_numerically_gives_the_closed_forms_interval() -> None:
    class NumericChinchilla(Chinchilla):
        """Chinchilla's law, but not exactly the class: planned by the numeric search."""

    half = growing(0.02)
    closed = compute_for_loss(BandFit(half), target_loss=2.1)
    numeric = compute_for_loss(BandFit(half, law=NumericChinchilla()), target_loss=2.1)
    assert numeric.method.startswith("numeric")
    for end in ("value", "lower", "upper"):
        assert getattr(numeric.flops, end) == pytest.approx(getattr(closed.flops, end), rel=1e-6)


@pytest.mark.heavy  # 1.3 s in the suite on a 2-core AMD EPYC
def test_a_level_past_what_the_backtests_calibrate_has_no_compute_interval_and_says_why() -> None:
    """Past the fit's ``max_level`` its calibrated band is [0, inf) at every compute, so the
    compute interval is 0 to inf, with the fit's own note on the level (``level_note``),
    not a walk's "its lowest is inf"."""
    from dataclasses import replace

    from tests.conftest import chinchilla_runs

    from scalinglab.fit._extrapolation import Extrapolation

    r = np.linspace(0.01, 0.09, 9)  # 9 equal residuals from 3 cuts: levels up to 90%
    ex = Extrapolation(
        "backtest-calibrated", "", {"N": 1e12, "D": 1e13, "N*D": 1e25}, np.zeros(9), r,
        np.zeros(9), 0.01, 0.0, cuts=(1.0, 2.0, 3.0), sizes=(3, 3, 3),
    )  # fmt: skip
    fit = scalinglab.fit("chinchilla", chinchilla_runs(seed=3), bootstrap=20, seed=0)
    fit = replace(fit, extrapolation=ex)
    target = float(fit.predict(params=1e10, tokens=2e11).loss[0])
    a = compute_for_loss(fit, target_loss=target, level=0.95)
    assert (a.flops.lower, a.flops.upper) == (0.0, math.inf)
    note = ex.level_note(0.95)
    assert note is not None and f"{note}; so the compute interval has no ends (0 to ∞)" in a.notes
    assert not any("its lowest is" in n or "stays below" in n for n in a.notes)
    bounded = compute_for_loss(fit, target_loss=target, level=0.9)
    assert 0 < bounded.flops.lower < bounded.flops.upper < math.inf
    assert not any("unbounded" in n for n in bounded.notes)
    # a plan at a budget says why its loss interval is [0, inf) too (it printed no note)
    at_budget = optimal_allocation(fit, flops=1e21, level=0.95)
    assert (at_budget.loss.lower, at_budget.loss.upper) == (0.0, math.inf)
    assert note in at_budget.notes
