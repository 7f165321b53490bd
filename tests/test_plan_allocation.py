"""Compute-optimal allocation against closed forms, finite differences and known samples."""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pytest

from scalinglab import ConfigError, FormulaLaw, get_preset
from scalinglab._errors import UnreachableError
from scalinglab.laws import Chinchilla, KaplanN, Law, PowerLaw, Preset
from scalinglab.plan import (
    Allocation,
    FitLike,
    compute_for_loss,
    frontier,
    optimal_allocation,
)
from scalinglab.plan._source import percentile_interval, sample_estimate

HOFFMANN = get_preset("hoffmann2022")
KAPLAN = get_preset("kaplan2020")
CHINCHILLA_FLOPS = 5.76e23  # Chinchilla's (and Gopher's) training budget, Hoffmann et al. 2022
NAMES = ("E", "A", "B", "alpha", "beta")


class NumericChinchilla(Chinchilla):
    """Chinchilla's law, but not exactly the Chinchilla class: planned by the numeric search."""


@dataclass(frozen=True)
class FakeFit:
    """The attributes of a fit result that planning reads."""

    law: Law
    coefs: Mapping[str, float]
    samples: np.ndarray | None = None
    level: float = 0.9
    extra: dict[str, str] = field(default_factory=dict)


def closed_form(values: Mapping[str, float], C: float) -> tuple[float, float]:
    """Hoffmann et al. 2022, eq. 4, written out independently of the library."""
    _, A, B, a, b = (values[n] for n in NAMES)
    G = (a * A / (b * B)) ** (1 / (a + b))
    return G * (C / 6) ** (b / (a + b)), (C / 6) ** (a / (a + b)) / G


def as_preset(law: Law, values: Mapping[str, float]) -> Preset:
    return Preset("test", law, dict(values), "test")


# -- closed form -------------------------------------------------------------------------------


def test_hoffmann_at_chinchilla_budget_matches_eq4() -> None:
    n_opt, d_opt = closed_form(HOFFMANN.coefs, CHINCHILLA_FLOPS)
    alloc = optimal_allocation(HOFFMANN, flops=CHINCHILLA_FLOPS)
    assert alloc.method == "closed form (Hoffmann et al. 2022 eq. 4)"
    assert alloc.flops_rule == "C = 6·N·D"
    assert alloc.flops.value == CHINCHILLA_FLOPS
    assert alloc.params.value == pytest.approx(n_opt, rel=1e-12)
    assert alloc.tokens.value == pytest.approx(d_opt, rel=1e-12)
    assert 6 * alloc.params.value * alloc.tokens.value == pytest.approx(CHINCHILLA_FLOPS, rel=1e-12)
    assert alloc.tokens_per_param.value == pytest.approx(d_opt / n_opt, rel=1e-12)
    E, A, B, a, b = (HOFFMANN.coefs[n] for n in NAMES)
    assert alloc.loss.value == pytest.approx(E + A / n_opt**a + B / d_opt**b, rel=1e-12)
    # With the paper's rounded eq. 10 values this is ~32B parameters on ~3.0T tokens (the
    # paper's Table 3 reports ~40B for Approach 3, from its unrounded fit).
    assert 3.0e10 < alloc.params.value < 3.5e10
    assert 2.8e12 < alloc.tokens.value < 3.2e12
    assert math.isnan(alloc.params.lower) and math.isnan(alloc.params.upper)
    assert alloc.level == 0.9


def test_optimal_exponents_by_finite_differences() -> None:
    h = 1e-3
    up = optimal_allocation(HOFFMANN, flops=CHINCHILLA_FLOPS * math.exp(h))
    down = optimal_allocation(HOFFMANN, flops=CHINCHILLA_FLOPS * math.exp(-h))
    slope_n = (math.log(up.params.value) - math.log(down.params.value)) / (2 * h)
    slope_d = (math.log(up.tokens.value) - math.log(down.tokens.value)) / (2 * h)
    assert slope_n == pytest.approx(0.28 / (0.34 + 0.28), abs=1e-9)  # 0.4516
    assert slope_d == pytest.approx(0.34 / (0.34 + 0.28), abs=1e-9)  # 0.5484
    assert slope_n == pytest.approx(0.4516, abs=1e-4)


@pytest.mark.parametrize("C", [1e18, CHINCHILLA_FLOPS, 1e28])
@pytest.mark.parametrize(
    "law", [NumericChinchilla(), FormulaLaw("E + A*N**-alpha + B*D**-beta")], ids=["sub", "formula"]
)
def test_numeric_search_agrees_with_closed_form(law: Law, C: float) -> None:
    exact = optimal_allocation(HOFFMANN, flops=C)
    numeric = optimal_allocation(as_preset(law, HOFFMANN.coefs), flops=C)
    assert numeric.method == "numeric (golden-section search in log N)"
    for name in ("params", "tokens", "tokens_per_param", "loss"):
        got, want = getattr(numeric, name).value, getattr(exact, name).value
        assert got == pytest.approx(want, rel=1e-6), name
    assert not numeric.notes


def test_numeric_search_on_kaplan_matches_its_own_optimum() -> None:
    # L = [(N_c/N)^p + D_c/D]^alpha_D with D = C/(6N) is least where N_c^p·N^-p + 6·D_c·N/C is,
    # i.e. at N^(1+p) = p·N_c^p·C/(6·D_c), p = alpha_N/alpha_D.
    v = KAPLAN.coefs
    p = v["alpha_N"] / v["alpha_D"]
    for C in (1e19, 1e24):
        n_opt = (p * v["N_c"] ** p * C / (6 * v["D_c"])) ** (1 / (1 + p))
        alloc = optimal_allocation(KAPLAN, flops=C)
        assert alloc.params.value == pytest.approx(n_opt, rel=1e-9)
        assert alloc.tokens.value == pytest.approx(C / (6 * n_opt), rel=1e-9)


def test_optimum_at_the_search_edge_is_noted() -> None:
    # with beta = 0 more tokens never help: the best split puts everything into N (D = 1)
    values = {**HOFFMANN.coefs, "beta": 0.0}
    alloc = optimal_allocation(as_preset(NumericChinchilla(), values), flops=1e21)
    assert alloc.tokens.value == pytest.approx(1.0, rel=1e-6)
    assert any("edge" in note for note in alloc.notes)
    assert "edge" in str(alloc.to_dict()["notes"])


def test_samples_at_the_search_edge_are_noted_with_their_budget() -> None:
    # a plan of several budgets prints every budget's notes together: each names its budget
    samples = np.tile([HOFFMANN.coefs[k] for k in NAMES], (4, 1))
    samples[:3, NAMES.index("beta")] = 0.0  # three samples put everything into N
    fit = FakeFit(NumericChinchilla(), HOFFMANN.coefs, samples)
    notes = optimal_allocation(fit, flops=1e22).notes
    assert "at C = 1e22, 3 of 4 bootstrap samples have their optimum at the search edge" in notes


# -- compute for a target loss -----------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [HOFFMANN, KAPLAN, as_preset(NumericChinchilla(), HOFFMANN.coefs)],
    ids=["closed", "kaplan", "numeric"],
)
@pytest.mark.parametrize("C", [3e20, CHINCHILLA_FLOPS])
def test_compute_for_loss_inverts_optimal_allocation(source: Preset, C: float) -> None:
    forward = optimal_allocation(source, flops=C)
    back = compute_for_loss(source, target_loss=forward.loss.value)
    assert back.flops.value == pytest.approx(C, rel=1e-6)
    assert back.params.value == pytest.approx(forward.params.value, rel=1e-6)
    assert back.loss.value == pytest.approx(forward.loss.value, rel=1e-12)
    assert back.method == forward.method
    assert back.unreachable == 0.0


def test_below_the_irreducible_loss_is_refused() -> None:
    with pytest.raises(ConfigError) as info:
        compute_for_loss(HOFFMANN, target_loss=1.5)
    assert str(info.value.message) == (
        "target loss 1.5 is at or below the irreducible loss E = 1.69 of this law; no compute "
        "reaches it"
    )
    assert "1.69" in info.value.hint
    with pytest.raises(
        UnreachableError, match=r"1\.69 is at or below the irreducible loss E = 1\.69"
    ):
        compute_for_loss(HOFFMANN, target_loss=1.69)
    with pytest.raises(ConfigError, match=r"irreducible loss E = 1\.69"):
        compute_for_loss(as_preset(NumericChinchilla(), HOFFMANN.coefs), target_loss=1.6)


def test_numeric_targets_outside_the_search_are_refused() -> None:
    with pytest.raises(ConfigError, match=r"not reached .* up to 1e50 FLOPs under law 'kaplan'"):
        compute_for_loss(KAPLAN, target_loss=1e-3)
    with pytest.raises(ConfigError, match=r"already reached with 1e6 FLOPs"):
        compute_for_loss(KAPLAN, target_loss=50.0)


# -- intervals ---------------------------------------------------------------------------------


def _draws(n: int, seed: int = 0, scale: float = 0.02) -> np.ndarray:
    rng = np.random.default_rng(seed)
    theta = np.array([HOFFMANN.coefs[k] for k in NAMES])
    return theta * np.exp(scale * rng.standard_normal((n, len(NAMES))))


def test_identical_samples_give_zero_width_intervals() -> None:
    samples = np.tile([HOFFMANN.coefs[k] for k in NAMES], (3, 1))
    fit = FakeFit(Chinchilla(), HOFFMANN.coefs, samples, level=0.8)
    assert isinstance(fit, FitLike)
    alloc = optimal_allocation(fit, flops=1e22)
    assert alloc.level == 0.8
    for name in ("params", "tokens", "tokens_per_param", "loss"):
        e = getattr(alloc, name)
        assert e.lower == pytest.approx(e.value, rel=1e-12) and e.upper == pytest.approx(
            e.value, rel=1e-12
        )


@pytest.mark.parametrize("law", [Chinchilla(), NumericChinchilla()], ids=["closed", "numeric"])
def test_intervals_are_percentiles_of_the_samples(law: Law) -> None:
    samples = _draws(200)
    fit = FakeFit(law, HOFFMANN.coefs, samples)
    alloc = optimal_allocation(fit, flops=1e23)
    per_sample = np.array(
        [closed_form(dict(zip(NAMES, row, strict=True)), 1e23) for row in samples]
    )
    lo, hi = np.percentile(per_sample[:, 0], [5, 95])
    assert alloc.params.lower == pytest.approx(lo, rel=1e-8)
    assert alloc.params.upper == pytest.approx(hi, rel=1e-8)
    for name in ("params", "tokens", "tokens_per_param", "loss"):
        e = getattr(alloc, name)
        assert e.lower < e.value < e.upper, name
    narrow = optimal_allocation(fit, flops=1e23, level=0.5)
    assert alloc.params.lower < narrow.params.lower < narrow.params.upper < alloc.params.upper


def test_compute_for_loss_intervals_and_unreachable_samples() -> None:
    samples = _draws(40, seed=1)
    fit = FakeFit(Chinchilla(), HOFFMANN.coefs, samples)
    ok = compute_for_loss(fit, target_loss=2.0)
    assert ok.unreachable == 0.0
    assert ok.params.lower < ok.params.value < ok.params.upper < math.inf
    # the compute's interval is a run's (the fit's predict, inverted): none without predict
    assert ok.flops_interval_kind == "none" and math.isnan(ok.flops.lower)

    one_out = samples.copy()
    one_out[0, 0] = 2.5  # E above the target: this sample never reaches 2.0
    alloc = compute_for_loss(FakeFit(Chinchilla(), HOFFMANN.coefs, one_out), target_loss=2.0)
    assert alloc.unreachable == pytest.approx(1 / 40)
    assert alloc.params.upper < math.inf  # 2.5% out of reach <= 5% above the 95th percentile
    assert any("never reach loss 2; they count as infinite N* and D*" in n for n in alloc.notes)

    many_out = samples.copy()
    many_out[:4, 0] = 2.5
    alloc = compute_for_loss(FakeFit(Chinchilla(), HOFFMANN.coefs, many_out), target_loss=2.0)
    assert alloc.unreachable == pytest.approx(0.1)
    assert alloc.params.upper == math.inf and alloc.tokens.upper == math.inf
    assert alloc.params.lower < alloc.params.value
    # the unreached samples have no ratio: no interval rather than one over the others
    ratio = alloc.tokens_per_param
    assert math.isfinite(ratio.value) and math.isnan(ratio.lower) and math.isnan(ratio.upper)
    assert any("tokens/param has no 90% interval: 10%" in note for note in alloc.notes)
    one = compute_for_loss(FakeFit(Chinchilla(), HOFFMANN.coefs, one_out), target_loss=2.0)
    assert one.tokens_per_param.lower < one.tokens_per_param.upper  # 2.5% out: kept


def test_numeric_compute_for_loss_with_samples_matches_closed_form() -> None:
    samples = _draws(30, seed=2)
    closed = compute_for_loss(FakeFit(Chinchilla(), HOFFMANN.coefs, samples), target_loss=2.1)
    numeric = compute_for_loss(
        FakeFit(NumericChinchilla(), HOFFMANN.coefs, samples), target_loss=2.1
    )
    assert numeric.flops.value == pytest.approx(closed.flops.value, rel=1e-6)
    for end in ("value", "lower", "upper"):
        assert getattr(numeric.params, end) == pytest.approx(getattr(closed.params, end), rel=1e-6)


def test_percentile_interval_matches_numpy_and_ranks_inf_last() -> None:
    x = np.random.default_rng(3).lognormal(size=57)
    np.testing.assert_allclose(percentile_interval(x, 0.9), np.percentile(x, [5, 95]), rtol=1e-14)
    lo, hi = percentile_interval(np.array([1.0, 2.0, np.nan, np.inf]), 0.5)
    assert lo == pytest.approx(1.5) and hi == math.inf


def test_sample_estimate_is_the_point_with_the_resamples_interval() -> None:
    """Row 0 is the point (a fit's, not the resamples' median); the interval is the rows
    after it, as numpy.percentile gives it; a point alone has no interval."""
    x = np.r_[100.0, np.random.default_rng(4).normal(size=41)]
    est = sample_estimate(x, 0.8)
    assert est.value == 100.0
    np.testing.assert_allclose([est.lower, est.upper], np.percentile(x[1:], [10, 90]), rtol=1e-14)
    alone = sample_estimate(np.array([2.5]), 0.9)
    assert alone.value == 2.5 and math.isnan(alone.lower) and math.isnan(alone.upper)


def test_real_fit_result_plans(chinchilla_fit: FitLike) -> None:
    assert isinstance(chinchilla_fit, FitLike)
    alloc = optimal_allocation(chinchilla_fit, flops=1e22)
    assert alloc.params.lower <= alloc.params.value <= alloc.params.upper
    assert alloc.level == chinchilla_fit.level


@pytest.fixture(scope="module")
def chinchilla_fit() -> FitLike:
    """A real fit with a small bootstrap, on iso-FLOP runs drawn from the Hoffmann law."""
    import pandas as pd

    import scalinglab

    rng = np.random.default_rng(0)
    E, A, B, a, b = (HOFFMANN.coefs[n] for n in NAMES)
    rows = []
    for C in np.geomspace(1e18, 1e21, 6):
        for N in 0.1 * (C / 6) ** 0.45 * np.geomspace(1 / 5, 5, 7):
            D = C / (6 * N)
            loss = (E + A / N**a + B / D**b) * math.exp(0.005 * rng.standard_normal())
            rows.append({"run": f"r{len(rows)}", "params": N, "tokens": D, "loss": loss})
    return scalinglab.fit("chinchilla", pd.DataFrame(rows), bootstrap=20, seed=0)


# -- frontier, to_dict, errors -----------------------------------------------------------------


def test_frontier_and_to_dict() -> None:
    budgets = np.geomspace(1e19, 1e25, 7)
    rows = frontier("hoffmann2022", budgets=budgets)
    assert [r.flops.value for r in rows] == pytest.approx(list(budgets))
    assert all(a.params.value < b.params.value for a, b in itertools.pairwise(rows))
    d = rows[0].to_dict()
    assert set(d) >= {"params", "params_lower", "params_upper", "tokens_per_param", "method"}
    assert d["flops_rule"] == "C = 6·N·D" and d["unreachable"] == 0.0
    assert isinstance(rows[0], Allocation)


def test_allocation_to_dict_is_json_and_says_how_to_get_numbers() -> None:
    a = optimal_allocation("hoffmann2022", flops=1e22)  # a preset: no bootstrap, no interval
    d = a.to_dict()
    assert d["params_lower"] == "nan" and json.loads(json.dumps(d, allow_nan=False)) == d
    assert float(d["params_lower"]) != float(d["params_lower"])  # NaN read back by float()
    assert float(d["params"]) == a.params.value
    doc = " ".join((Allocation.to_dict.__doc__ or "").split())
    assert "for tables" not in doc and "as its JSON holds it" in doc
    assert "read the attributes (``a.params.upper``, ``float(a.params)``)" in doc


@pytest.mark.parametrize(
    ("law", "match"),
    [
        (
            KaplanN(),
            "law 'kaplan-n' depends only on params; compute-optimal planning needs a law in "
            "params and tokens",
        ),
        # a law of flops alone plans compute and loss without an allocation
        # (test_plan_compute_alone.py)
        (PowerLaw(column="tokens"), "law 'power-law' depends only on tokens"),
    ],
)
def test_laws_not_in_params_and_tokens_are_refused(law: Law, match: str) -> None:
    values = dict.fromkeys(law.param_names, 1.0)
    with pytest.raises(ConfigError, match=match) as info:
        optimal_allocation(FakeFit(law, values), flops=1e21)
    assert "chinchilla" in info.value.hint


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"flops": 0.0}, "flops must be positive and finite"),
        ({"flops": -1e21}, "flops must be positive and finite"),
        ({"flops": math.inf}, "flops must be positive and finite"),
        ({"flops": math.nan}, "flops must be positive and finite"),
        ({"flops": "a lot"}, "flops='a lot' is not a number"),
        ({"flops": [1e21, 1e22]}, "flops must be one number"),
        ({"flops": 1e21, "level": 0.0}, "level must be between 0 and 1"),
        ({"flops": 1e21, "level": 1.0}, "level must be between 0 and 1"),
        ({"flops": 1e21, "level": 95}, "level must be between 0 and 1"),
    ],
)
def test_bad_options_are_refused(kwargs: dict[str, object], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        optimal_allocation(HOFFMANN, **kwargs)  # type: ignore[arg-type]


def test_bad_sources_are_refused() -> None:
    for target in (0.0, -2.0, math.nan):
        with pytest.raises(ConfigError, match="target_loss must be positive and finite"):
            compute_for_loss(HOFFMANN, target_loss=target)
    with pytest.raises(ConfigError, match="unknown preset"):
        optimal_allocation("gopher", flops=1e21)
    with pytest.raises(ConfigError, match="cannot plan from int"):
        optimal_allocation(42, flops=1e21)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"bootstrap samples must be an \(R, 5\) array"):
        optimal_allocation(FakeFit(Chinchilla(), HOFFMANN.coefs, np.ones((3, 4))), flops=1e21)
    with pytest.raises(ConfigError, match="lack values for"):
        optimal_allocation(FakeFit(Chinchilla(), {"E": 1.7}), flops=1e21)
    with pytest.raises(ConfigError, match="budgets must be a non-empty list"):
        frontier(HOFFMANN, budgets=[])


def test_frontier_takes_budgets_and_reads_flops_one_release() -> None:
    """Several budgets are budgets=, as write_report and plot_fit name them (flops= is one
    budget, optimal_allocation's); the old flops= still reads, with a warning."""
    budgets = [1e21, 1e23]
    rows = frontier("hoffmann2022", budgets=budgets)
    # Hoffmann et al. eq. 4: N_opt = G (C/6)^(b/(a+b)), G = (a A / (b B))^(1/(a+b))
    A, B, a, b = 406.4, 410.7, 0.34, 0.28
    g = (a * A / (b * B)) ** (1 / (a + b))
    assert [r.params.value for r in rows] == pytest.approx(
        [g * (c / 6) ** (b / (a + b)) for c in budgets], rel=1e-9
    )
    with pytest.warns(DeprecationWarning, match=r"frontier\(flops=\) is deprecated .* budgets="):
        old = frontier("hoffmann2022", flops=budgets)
    assert [r.params.value for r in old] == [r.params.value for r in rows]
    with pytest.raises(ConfigError, match=r"both budgets= and flops="):
        frontier("hoffmann2022", budgets=budgets, flops=budgets)
    with pytest.raises(ConfigError, match=r"needs budgets="):
        frontier("hoffmann2022")
    with pytest.raises(ConfigError, match=r"did you mean budgets="):
        frontier("hoffmann2022", compute=budgets)  # type: ignore[call-arg]


def test_non_finite_samples_are_left_out_with_a_note() -> None:
    samples = _draws(5)
    samples[2, 1] = np.nan
    alloc = optimal_allocation(FakeFit(Chinchilla(), HOFFMANN.coefs, samples), flops=1e21)
    assert any("1 bootstrap samples with non-finite values left out" in n for n in alloc.notes)
    assert math.isfinite(alloc.params.lower)


def test_a_compute_plan_gives_the_loss_a_run_there_will_show() -> None:
    """The loss row of a budget planned from a fit is the fit's prediction interval for one
    run at (N*, D*), as predict gives it there (it was the resamples' spread of the law's mean:
    3x narrower on the Chinchilla points at 5.76e23, where predict's interval is calibrated by
    backtests), and says so; a preset keeps its point estimate."""
    import scalinglab

    result = scalinglab.fit("chinchilla", scalinglab.bundled_runs(), bootstrap=60)
    a = optimal_allocation(result, flops=5.76e23)
    p = result.predict(params=a.params.value, tokens=a.tokens.value)
    assert a.loss_interval_kind == p.interval_kind == "backtest-calibrated"
    assert (a.loss.value, a.loss.lower, a.loss.upper) == pytest.approx(
        (p.loss[0], p.lower[0], p.upper[0]), rel=1e-12
    )
    mean_only = result.predict(params=a.params.value, tokens=a.tokens.value, noise=False)
    assert a.loss.lower != pytest.approx(mean_only.lower[0], rel=1e-6)  # not the old band
    assert a.to_dict()["loss_interval_kind"] == "backtest-calibrated"
    # N*, D*: each resample's own optimum, in the words of a loss interval of that kind
    assert a.to_dict()["allocation_interval_kind"] == "bootstrap-optima"
    preset = optimal_allocation(HOFFMANN, flops=5.76e23)
    assert preset.loss_interval_kind == preset.allocation_interval_kind == "none"  # a point
    point = scalinglab.fit("chinchilla", scalinglab.bundled_runs(), bootstrap=0)
    assert optimal_allocation(point, flops=1e22).loss_interval_kind == "none"
    assert optimal_allocation(point, flops=1e22).allocation_interval_kind == "none"
    assert point.predict(params=1e9, tokens=2e10).interval_kind == "none"


def test_a_loss_interval_past_the_backtests_reach_says_so() -> None:
    """The calibrated loss interval's width is measured up to the farthest backtest
    residual; a row past it says its width there extends the measured growth."""
    import scalinglab

    result = scalinglab.fit("chinchilla", scalinglab.bundled_runs(), bootstrap=40)
    ex = result.extrapolation
    assert ex is not None and ex.calibrated
    assert ex.measured == pytest.approx(float(np.max(ex.distances[ex.scored])))
    assert 0.5 < ex.measured < 5
    near = [optimal_allocation(result, flops=c) for c in (1e20, 1e21, 1e22, 1e23, 1e24, 1e25)]
    for a in near:
        said = any("the farthest its backtests reached" in n for n in a.notes)
        assert said == (a.distance > ex.measured + 0.05), (a.flops.value, a.distance)
    assert near[0].distance < ex.measured < near[-1].distance  # both cases are seen
    assert f"past {ex.measured:.2f} decades" in " ".join(near[-1].notes)
    below = optimal_allocation(result, flops=ex.floor["N*D"] * 6 / 1e3)  # 3 decades below
    assert below.distance > ex.measured  # but downward: the note on below-runs says it all
    assert not any("the farthest its backtests reached" in n for n in below.notes)


def test_several_budgets_are_refused_with_the_loop_that_plans_each() -> None:
    with pytest.raises(ConfigError, match=r"got a list of 2 \(\[1e22, 1e23\]\)") as info:
        optimal_allocation(HOFFMANN, flops=[1e22, 1e23])  # type: ignore[arg-type]
    assert "plans one budget per call" in info.value.message
    assert info.value.hint == (
        "call it once per budget, e.g. [optimal_allocation(fit, flops=c) for c in [1e22, 1e23]]"
    )
    # the loop it says plans each budget
    each = [optimal_allocation(HOFFMANN, flops=c) for c in [1e22, 1e23]]
    assert [a.flops.value for a in each] == [1e22, 1e23]
