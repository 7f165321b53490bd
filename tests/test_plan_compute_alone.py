"""Planning from a law of compute alone, ``L(C)``: ``compute_for_loss`` and ``plan
--target-loss`` give the compute of a target (the law's inverse, its interval the fit's
prediction band at ``C`` inverted), ``optimal_allocation`` and ``plan --compute`` the loss at a
budget with that band; N*, D* and tokens per param are not determined (NaN, and a note).

The references are the test's own: the fitted law inverted in closed form, and
``FitResult.predict(flops=C)`` at the interval's ends.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from tests._cli import cli as _cli
from tests.conftest import chinchilla_runs

from scalinglab import ConfigError, FitResult, fit
from scalinglab._format import format_g
from scalinglab.plan import compute_for_loss, optimal_allocation

NOTE = (
    "N*, D* and tokens/param are not determined: {law} is a law of compute alone, L(C), "
    "which ties the loss to the compute but not the compute to parameters and tokens; fit a "
    "law in params and tokens for an allocation (--law chinchilla, fit('chinchilla', runs))"
)


@pytest.fixture(scope="module")
def runs() -> object:
    return chinchilla_runs(outliers=0)


@pytest.fixture(scope="module")
def plain(runs: object) -> FitResult:
    """``L = A·C^-alpha``, with a bootstrap (and so a backtest-calibrated band)."""
    return fit("power-law:flops", runs, bootstrap=100, seed=0)


@pytest.fixture(scope="module")
def floor(runs: object) -> FitResult:
    """``L = E + A·C^-alpha``."""
    return fit("power-law-plus-constant:flops", runs, bootstrap=100, seed=0)


def _inverse(result: FitResult, target: float) -> float:
    """The compute at which the fitted law's point estimate is ``target``, in closed form."""
    c = result.coefs
    reducible = target - c.get("E", 0.0)
    return float((c["A"] / reducible) ** (1 / c["alpha"]))


def _band(result: FitResult, flops: float, level: float) -> tuple[float, float]:
    p = result.predict(flops=flops, level=level)
    return float(p.lower[0]), float(p.upper[0])


@pytest.mark.parametrize("which", ["plain", "floor"])
@pytest.mark.parametrize("target", [3.0, 2.6])
def test_the_compute_of_a_target_is_the_law_inverted_and_its_band_inverted(
    which: str, target: float, request: pytest.FixtureRequest
) -> None:
    result: FitResult = request.getfixturevalue(which)
    a = compute_for_loss(result, target_loss=target)
    assert a.flops.value == pytest.approx(_inverse(result, target), rel=1e-9)
    assert a.loss.value == pytest.approx(target, rel=1e-9)
    # the interval ends are where the prediction band's bounds reach the target
    assert a.flops_interval_kind == "backtest-calibrated"
    assert 0 < a.flops.lower < a.flops.value < a.flops.upper < math.inf
    assert _band(result, a.flops.lower, a.level)[0] == pytest.approx(target, abs=1e-6)
    assert _band(result, a.flops.upper, a.level)[1] == pytest.approx(target, abs=1e-6)
    # no allocation: NaN, and the note that says why and what to fit
    for est in (a.params, a.tokens, a.tokens_per_param):
        assert math.isnan(est.value) and math.isnan(est.lower) and math.isnan(est.upper)
    assert NOTE.format(law=result.law_spec) in a.notes
    assert a.method == "the law of compute alone, L(C), and its inverse: no allocation"
    assert a.allocation_interval_kind == a.to_dict()["allocation_interval_kind"] == "none"
    assert a.unreachable == 0.0 and a.distance == 0.0  # inside the fitted compute


def test_a_level_moves_the_band_ends_and_a_point_fit_has_none(runs: object) -> None:
    result = fit("power-law:flops", runs, bootstrap=100, seed=0)
    wide, narrow = (compute_for_loss(result, target_loss=2.8, level=v) for v in (0.95, 0.5))
    assert wide.flops.lower < narrow.flops.lower < narrow.flops.upper < wide.flops.upper
    assert _band(result, narrow.flops.upper, 0.5)[1] == pytest.approx(2.8, abs=1e-6)
    point = compute_for_loss(fit("power-law:flops", runs, bootstrap=0), target_loss=2.8)
    assert point.flops.value == pytest.approx(_inverse(result, 2.8), rel=1e-3)
    assert math.isnan(point.flops.lower) and point.flops_interval_kind == "none"


def test_a_target_below_the_floor_is_refused(floor: FitResult) -> None:
    E = floor.coefs["E"]
    # refused as every law refuses a target below its irreducible loss (not "up to 1e50 FLOPs")
    with pytest.raises(ConfigError) as info:
        compute_for_loss(floor, target_loss=1.0)
    assert E > 1.0
    assert info.value.message == (
        f"target loss 1 is at or below the irreducible loss E = {format_g(E)} of this law; "
        "no compute reaches it"
    )


def test_a_budget_gives_the_loss_at_c_with_the_prediction_band(plain: FitResult) -> None:
    a = optimal_allocation(plain, flops=1e22)
    p = plain.predict(flops=1e22)
    assert a.loss.value == pytest.approx(float(p.loss[0]), rel=1e-12)
    assert (a.loss.lower, a.loss.upper) == pytest.approx((float(p.lower[0]), float(p.upper[0])))
    assert a.loss_interval_kind == p.interval_kind == "backtest-calibrated"
    assert a.flops.value == 1e22 and math.isnan(a.params.value) and math.isnan(a.tokens.value)
    assert a.distance == pytest.approx(float(plain.distance(flops=1e22))) and a.distance > 0.5
    assert NOTE.format(law="power-law:flops") in a.notes
    assert a.to_dict()["params"] == "nan"  # as JSON holds it


# -- the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def fit_json(plain: FitResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("alone") / "f.json"
    plain.save(path)
    return path


def test_plan_target_loss_prints_the_compute_and_the_note(
    fit_json: Path, plain: FitResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _cli(capsys, "plan", "--target-loss", "2.6", "--fit", str(fit_json))
    assert code == 0, err
    flat = " ".join(out.split())  # rich wraps long lines at the terminal's width
    assert "compute needed to reach loss 2.6000 (a law of compute alone: no allocation)" in flat
    assert "note: " + NOTE.format(law="power-law:flops") in flat
    for row in ("params N*", "tokens D*", "tokens/param"):
        line = next(ln for ln in out.splitlines() if row in ln)
        assert "—" in line and "not determined by L(C)" in line
    a = compute_for_loss(plain, target_loss=2.6)
    shown = f"[{a.flops.lower:.3g}, {a.flops.upper:.3g}]".replace("e+", "e")
    assert shown in out
    assert "prediction interval for one run at C reaches the loss" in flat
    assert "the other intervals" not in flat


def test_plan_json_and_compute_and_hparams(
    fit_json: Path, plain: FitResult, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _cli(capsys, "plan", "--target-loss", "2.6", "--fit", str(fit_json), "--json")
    data = json.loads(out)["allocation"]
    assert code == 0 and data["params"] == data["tokens"] == data["tokens_per_param"] == "nan"
    assert data["flops"] == pytest.approx(_inverse(plain, 2.6), rel=1e-9)
    assert data["flops_interval_kind"] == "backtest-calibrated"
    code, out, _ = _cli(capsys, "plan", "--compute", "1e22", "--fit", str(fit_json))
    flat = " ".join(out.split())
    assert code == 0 and "loss at C = 1e22 FLOPs (a law of compute alone: no allocation)" in flat
    assert f"{float(plain.predict(flops=1e22).loss[0]):.4f}" in out
    code, _, err = _cli(
        capsys, "plan", "--target-loss", "2.6", "--fit", str(fit_json), "--hparams-preset",
        "steplaw2025",
    )  # fmt: skip
    assert code == 2
    assert "--hparams-preset gives lr* and B* at N*, D*, which law power-law:flops does not " in (
        " ".join(err.split())
    )


def test_frontier_of_budgets_is_the_prediction_at_each(plain: FitResult) -> None:
    budgets = np.geomspace(1e19, 1e23, 3)
    losses = [optimal_allocation(plain, flops=float(c)).loss.value for c in budgets]
    np.testing.assert_allclose(losses, plain.predict(flops=budgets).loss, rtol=1e-12)
