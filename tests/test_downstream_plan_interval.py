"""A target accuracy's compute interval: one model's prediction band (``DownstreamFit.predict``)
inverted along the best fit's compute-optimal path, by the routine that inverts a target
loss's (``plan._invert``), checked against ``predict`` at the ends it returns."""

from __future__ import annotations

import math

import numpy as np
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab.downstream import DownstreamFit, fit_downstream, plan_for_accuracy, read_evals
from scalinglab.plan._invert import invert_band


@pytest.fixture(scope="module")
def chain() -> DownstreamFit:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    return fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=100, seed=0)


def test_the_ends_are_where_the_band_reaches_the_target(chain: DownstreamFit) -> None:
    plan = plan_for_accuracy(chain, "task", 0.45)
    assert plan.flops[1] < plan.flops[0] < plan.flops[2] < math.inf and plan.notes == ()
    # an independent check: predict at the (N, D) returned for each end
    low = chain.predict(params=plan.params[1], tokens=plan.tokens[1])["task"]
    high = chain.predict(params=plan.params[2], tokens=plan.tokens[2])["task"]
    assert low.upper == pytest.approx(0.45, abs=1e-6)  # the upper bound reaches it first
    assert high.lower == pytest.approx(0.45, abs=1e-6)
    # the ends lie on the path: 6·N·D is the compute, the loss is the chain's there
    for k in (1, 2):
        assert 6 * plan.params[k] * plan.tokens[k] == pytest.approx(plan.flops[k], rel=1e-9)
    assert (plan.loss[1], plan.loss[2]) == pytest.approx((high.loss, low.loss), rel=1e-12)
    assert plan.loss[1] < plan.loss[0] < plan.loss[2]
    # compute-optimal there: another split of the same compute has a higher loss
    step = chain.loss_step
    for f in (0.8, 1.25):
        n, d = plan.params[2] * f, plan.tokens[2] / f
        assert step.evaluate(step.theta, {"N": [n], "D": [d]})[0] > high.loss
    # one model's band: wider than the resamples' own compute (the laws' mean) once was
    assert plan.flops_interval_kind == "backtest-calibrated"
    # loss, N and D: the path at the compute ends, not a loss plan's kinds of those keys
    # (one run's prediction interval, the spread of the resamples' optima), and said so
    assert plan.loss_interval_kind == plan.allocation_interval_kind == "path-at-compute-ends"
    shown = plan.to_dict()
    assert shown["flops_interval_kind"] == "backtest-calibrated"
    assert shown["loss_interval_kind"] == "path-at-compute-ends"
    assert shown["allocation_interval_kind"] == "path-at-compute-ends"
    assert shown["interval_note"].startswith(
        "one model's prediction interval (backtest-calibrated, as downstream predict gives it) "
        "inverted along the best fit's compute-optimal (N, D)"
    )
    assert shown["interval_note"].endswith(
        "loss, params and tokens are the best fit's compute-optimal path's at those ends (not "
        "the spread of the bootstrap fits' optima that a loss plan shows)"
    )
    # at another level, the band at that level
    narrow = plan_for_accuracy(chain, "task", 0.45, level=0.5)
    assert plan.flops[1] < narrow.flops[1] < narrow.flops[2] < plan.flops[2]
    at = chain.predict(params=narrow.params[2], tokens=narrow.tokens[2], level=0.5)["task"]
    assert at.lower == pytest.approx(0.45, abs=1e-6)


def test_an_end_never_reached_is_unbounded_with_a_note(chain: DownstreamFit) -> None:
    # 20 models on 4 sizes: the loss law's measured error grows fast beyond them, and the
    # band's lower bound turns back below 0.51 long before the law's 0.85 ceiling
    plan = plan_for_accuracy(chain, "task", 0.7)
    assert math.isfinite(plan.flops[1]) and plan.flops[2] == math.inf
    assert plan.params[2] == plan.tokens[2] == math.inf
    (note,) = plan.notes
    assert note.startswith(
        "task: the prediction interval's lower bound never rises to accuracy 0.7 up to 1e50 "
        f"FLOPs (from {plan.flops[0]:.3g}".replace("e+", "e")
    )
    assert note.endswith("a run may miss the target at any compute, and the compute interval "
                         "has no upper end (∞)")  # fmt: skip
    highest = float(note.split("its highest is ")[1].split(",")[0])
    assert 0.45 < highest < 0.7
    # the loss at the unbounded end: the path's, levelled off at 1e50 FLOPs
    assert plan.loss[1] == pytest.approx(chain.loss_step.coefs["E"], rel=1e-3)
    assert plan.to_dict()["notes"] == [note]
    with pytest.warns(DeprecationWarning, match="AccuracyPlan.note is deprecated"):
        assert plan.note == note  # the old name, one release: the notes joined


def test_a_level_past_what_the_backtests_calibrate_has_no_compute_ends(
    chain: DownstreamFit,
) -> None:
    """Past the loss law's highest calibrated level the band is all of [0, 1] at every
    compute: nothing to invert, so 0 to inf with the loss law's note, not the walk's."""
    ex = chain.extrapolation
    assert ex is not None and ex.calibrated and ex.max_level < 0.999
    plan = plan_for_accuracy(chain, "task", 0.45, level=0.999)
    assert plan.flops[1:] == (0.0, math.inf) and math.isfinite(plan.flops[0])
    assert (plan.params[1], plan.params[2]) == (0.0, math.inf)
    note = ex.level_note(0.999)
    assert plan.notes == (
        f"task: loss law: {note}; so every task's interval runs from its chance level less its evaluation noise to 1; so the compute "
        "interval has no ends",
    )
    assert plan_for_accuracy(chain, "task", 0.45, level=0.9).flops[1] > 0.0  # reachable


def test_a_chain_without_bootstrap_plans_without_an_interval() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    point = fit_downstream(evals, tasks=["task"], law="chinchilla", bootstrap=0)
    plan = plan_for_accuracy(point, "task", 0.45)
    assert math.isfinite(plan.flops[0]) and plan.notes == ()
    for name in ("loss", "flops", "params", "tokens"):
        assert all(math.isnan(x) for x in getattr(plan, name)[1:])
    assert plan.flops_interval_kind == "none" and plan.interval_note == ""
    assert plan.loss_interval_kind == plan.allocation_interval_kind == "none"


@pytest.mark.parametrize("falling", [True, False])
def test_one_inversion_for_a_falling_loss_and_a_rising_accuracy(falling: bool) -> None:
    # a band one unit either side of the law, which moves one unit per unit of log C
    sign = -1.0 if falling else 1.0

    def band(x: float) -> tuple[float, float]:
        return sign * x - 1, sign * x + 1

    found = invert_band(band, target=sign * 50, log_c=50.0, falling=falling, quantity="q")
    assert (found.lower, found.upper) == pytest.approx((49.0, 51.0), abs=1e-9)
    assert found.notes == ()

    def flat(x: float) -> tuple[float, float]:  # a pessimistic bound that stops short
        lower, upper = band(x)
        return (lower, max(upper, -49.5)) if falling else (min(lower, 49.5), upper)

    found = invert_band(flat, target=sign * 50, log_c=50.0, falling=falling, quantity="q")
    assert found.lower == pytest.approx(49.0, abs=1e-9) and math.isnan(found.upper)
    assert found.compute[1] == math.inf
    (note,) = found.notes
    bound, moves, best = ("upper", "falls", "lowest") if falling else ("lower", "rises", "highest")
    assert note.startswith(
        f"the prediction interval's {bound} bound never {moves} to q {sign * 50:g} up to 1e50 "
        f"FLOPs (from 5.18e21 FLOPs on, its {best} is {sign * 49.5:g}"
    )


def test_a_loss_law_of_compute_alone_plans_the_compute_not_the_split() -> None:
    evals = read_evals(models(np.random.default_rng(0), SIZES, MULTS), chance={"task": 0.25})
    chain = fit_downstream(evals, tasks=["task"], law="E + A*C**-alpha", bootstrap=20)
    plan = plan_for_accuracy(chain, "task", 0.45)
    assert all(math.isnan(x) for x in (*plan.params, *plan.tokens))
    (note,) = plan.notes
    assert note.startswith("task: params and tokens are not determined: the loss law ")
    # any split of C reads the same band: its upper bound is the target at the lower end
    for n in (1e6, 1e9):
        at = chain.predict(params=n, tokens=plan.flops[1] / (6 * n))["task"]
        assert at.upper == pytest.approx(0.45, abs=1e-6)
