"""A target loss outside what a law plans is refused the same way for every law: reached
already with the least compute planned (1e6 FLOPs), or at or below its irreducible loss."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pytest
from tests._cli import cli
from tests.test_plan_allocation import FakeFit

from scalinglab import ConfigError, FormulaLaw, get_preset
from scalinglab._errors import UnreachableError
from scalinglab._format import format_g
from scalinglab.laws import Law, Preset, get_law
from scalinglab.plan import compute_for_loss
from scalinglab.plan._search import C_MIN

HOFFMANN = get_preset("hoffmann2022")


def _chinchilla_loss_at(values: Mapping[str, float], C: float) -> float:
    """Hoffmann et al. 2022, eq. 4: the compute-optimal loss at ``C``, written out here."""
    E, A, B, a, b = (values[n] for n in ("E", "A", "B", "alpha", "beta"))
    G = (a * A / (b * B)) ** (1 / (a + b))
    n, d = G * (C / 6) ** (b / (a + b)), (C / 6) ** (a / (a + b)) / G
    return E + A / n**a + B / d**b


def _refused_below(source: object, target: float, law: str, least: float) -> None:
    with pytest.raises(ConfigError) as info:
        compute_for_loss(source, target_loss=target)  # type: ignore[arg-type]
    assert not isinstance(info.value, UnreachableError)
    shown = format_g(least, 4)
    assert info.value.message == (
        f"target loss {format_g(target)} is already reached with 1e6 FLOPs under law {law!r}, "
        f"the least compute planned (1e6 to 1e50 FLOPs): its compute-optimal loss there is "
        f"{shown}"
    )
    assert info.value.hint == f"choose a target loss below {shown}"


def test_a_chinchilla_target_reached_below_1e6_flops_is_refused() -> None:
    # the closed form gave 4.8e-7 FLOPs here, where the bisected laws refused
    least = _chinchilla_loss_at(HOFFMANN.coefs, C_MIN)
    assert 100 < least < 1e4
    _refused_below("hoffmann2022", 1e4, "chinchilla", least)
    _refused_below(HOFFMANN, least, "chinchilla", least)  # exactly there: reached at 1e6
    assert compute_for_loss(HOFFMANN, target_loss=least * 0.999).flops.value > C_MIN


@pytest.mark.heavy  # 3.0 s in the suite on a 2-core AMD EPYC
def test_a_bisected_law_says_the_same_with_its_loss_at_1e6_flops() -> None:
    formula = Preset("test", FormulaLaw("E + A*N**-alpha + B*D**-beta"), HOFFMANN.coefs, "test")
    least = _chinchilla_loss_at(HOFFMANN.coefs, C_MIN)
    _refused_below(formula, 1e4, "E + A*N**-alpha + B*D**-beta", least)
    kaplan = get_preset("kaplan2020")
    with pytest.raises(ConfigError) as info:
        compute_for_loss(kaplan, target_loss=50.0)
    at_1e6 = float(info.value.message.rsplit(" ", 1)[1])
    _refused_below(kaplan, 50.0, "kaplan", at_1e6)
    assert compute_for_loss(kaplan, target_loss=at_1e6 * 0.99).flops.value > C_MIN


def test_closed_form_samples_below_1e6_flops_are_planned_there_with_a_note() -> None:
    names = ("E", "A", "B", "alpha", "beta")
    point = np.array([HOFFMANN.coefs[n] for n in names])
    low = point.copy()
    low[1] /= 1e3  # A and B a thousandth: the target is reached with far less compute
    low[2] /= 1e3
    fit = FakeFit(get_law("chinchilla"), HOFFMANN.coefs, np.array([point, point, low]))
    target = _chinchilla_loss_at(HOFFMANN.coefs, 1e8)
    plan = compute_for_loss(fit, target_loss=target)
    assert plan.flops.value == pytest.approx(1e8, rel=1e-9)
    assert any(
        n.startswith("1 of 3 bootstrap samples reach the target with less than 1e6")
        for n in plan.notes
    )


@pytest.mark.parametrize(
    ("law", "values", "name"),
    [
        (get_law("overtraining"), {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.3}, "E"),
        (FormulaLaw("L0 + A*N**-alpha + B*D**-beta"), {**HOFFMANN.coefs, "L0": 1.69}, "L0"),
        (get_law("power-law-plus-constant:flops"), {"E": 1.69, "A": 1e3, "alpha": 0.15}, "E"),
        (get_law("chinchilla"), HOFFMANN.coefs, "E"),
    ],
    ids=["overtraining", "formula", "compute-alone", "chinchilla"],
)
@pytest.mark.parametrize("target", [1.5, 1.69])
def test_a_target_at_or_below_the_irreducible_loss_is_refused_alike(
    law: Law, values: Mapping[str, float], name: str, target: float
) -> None:
    values = {k: v for k, v in values.items() if k in law.param_names}
    with pytest.raises(UnreachableError) as info:
        compute_for_loss(Preset("test", law, values, "test"), target_loss=target)
    assert info.value.message == (
        f"target loss {format_g(target)} is at or below the irreducible loss {name} = 1.69 of "
        "this law; no compute reaches it"
    )
    assert info.value.hint == "choose a target above 1.69"


def test_plan_target_loss_refuses_it_too(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "plan", "--preset", "hoffmann2022", "--target-loss", "1e4")
    least = format_g(_chinchilla_loss_at(HOFFMANN.coefs, C_MIN), 4)
    assert (code, out) == (2, "")
    assert " ".join(err.split()) == (
        "error: target loss 10000 is already reached with 1e6 FLOPs under law 'chinchilla', "
        f"the least compute planned (1e6 to 1e50 FLOPs): its compute-optimal loss there is "
        f"{least} hint: choose a target loss below {least}"
    )
    assert math.isfinite(float(least))
