"""One rule for a law's irreducible loss: the parameter its formula adds alone. The fit's
diagnostics (``roles``: a floor collapsed to ~0) and the plan's reach (a target at or below
the floor) read it from the same place; a parameter's description or name decides only for
a law with no expression to read."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pytest

import scalinglab as sl
from scalinglab._errors import UnreachableError
from scalinglab.downstream._laws import LossToLoss
from scalinglab.downstream._sigmoid import Sigmoid
from scalinglab.fit._diagnostics import diagnose
from scalinglab.fit._roles import roles
from scalinglab.laws import FormulaLaw, Law, Param, Preset, catalog, get_law
from scalinglab.laws._expr import Expr
from scalinglab.laws._irreducible import irreducible
from scalinglab.plan import compute_for_loss


def _floors(law: Law) -> set[str]:
    return {name for name, kind in roles(law).items() if kind == "irreducible"}


@pytest.mark.parametrize("law", catalog(), ids=lambda law: law.name)
def test_roles_name_the_floor_the_formula_adds(law: Law) -> None:
    """The oracle is what an irreducible loss is: the loss the law tends to as its variables
    grow without end (``0`` for a law without one), entered additively."""
    runs = sl.bundled_runs().columns
    data = {symbol: runs[column] for symbol, column in law.variables.items()}
    values = law.initial_guess(data, runs["loss"])
    floor = irreducible(law)
    assert _floors(law) == ({floor} if floor else set())
    far = law.evaluate(values, {symbol: x * 1e60 for symbol, x in data.items()})
    assert far == pytest.approx(values[floor] if floor else 0.0, abs=1e-3)
    if floor:  # a shift of the floor shifts every loss by as much
        raised = law.evaluate(values | {floor: values[floor] + 0.5}, data)
        assert raised - law.evaluate(values, data) == pytest.approx(0.5, rel=1e-9)


def test_the_broken_power_law_floor_is_a() -> None:
    """Caballero et al. 2022, eq. 1: ``a`` is the limit of the loss; its description says
    so in other words ("limit of the loss"), which the text rule did not read."""
    law = get_law("bnsl-2")
    assert irreducible(law) == "a" and _floors(law) == {"a"}
    values = dict.fromkeys(law.param_names, 0.5) | {"a": 1e-4}
    warned = diagnose(law, values, {}, None, n_runs=100, min_loss=2.5)
    assert warned[0].startswith("a = 0.0001 collapsed to ~0 (the smallest loss is 2.5)")


def test_a_user_floor_of_any_name_is_judged_as_one() -> None:
    """``L0`` was judged as a coefficient (it is a capital): at 1e-4 the fit said nothing,
    while a plan from it refused targets below ``L0``."""
    law = get_law("L0 + A*N**-a")
    assert irreducible(law) == "L0"
    assert roles(law) == {"L0": "irreducible", "A": "coefficient", "a": "exponent"}
    coefs = {"L0": 1.5, "A": 50.0, "a": 0.3}
    assert diagnose(law, coefs, {}, None, n_runs=31, min_loss=2.5) == ()
    assert diagnose(law, coefs | {"L0": 1e-4}, {}, None, n_runs=31, min_loss=2.5) == (
        "L0 = 0.0001 collapsed to ~0 (the smallest loss is 2.5): the law has no floor, and "
        "its exponents absorb the difference",
    )


def test_a_formula_without_a_floor_has_none() -> None:
    law = get_law("A*N**-a")
    assert irreducible(law) is None
    assert roles(law) == {"A": "coefficient", "a": "exponent"}
    assert diagnose(law, {"A": 50.0, "a": 0.3}, {}, None, n_runs=31, min_loss=2.5) == ()
    # its plan: a low target is out of reach for want of compute, not below a floor
    on_flops = Preset("test", FormulaLaw("A*C**-a"), {"A": 1e3, "a": 0.15}, "test")
    with pytest.raises(UnreachableError, match="up to 1e50 FLOPs") as info:
        compute_for_loss(on_flops, target_loss=1e-10)
    assert "irreducible" not in info.value.message


@pytest.mark.parametrize(
    ("formula", "floor"),
    [
        ("E + A*N**-alpha + B*D**-beta", "E"),
        ("A*N**-alpha + E", "E"),  # where it stands in the sum does not matter
        ("e + A*N**-alpha", "e"),  # nor its case
        ("E*(1 + A*N**-alpha)", None),  # a product is not read into
        ("E + A*N**-alpha - B*D**-beta", None),  # nor a difference
    ],
)
def test_the_floor_is_read_from_the_sum(formula: str, floor: str | None) -> None:
    law = get_law(formula)
    assert irreducible(law) == floor
    assert _floors(law) == ({floor} if floor else set())


class _Described(Law):
    """A law written as code without an expression: only its descriptions say its roles."""

    name = "described"

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("L_inf", positive=True, description="irreducible loss"),
            Param("A", positive=True, description="coefficient"),
            Param("alpha", description="exponent"),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"N": "params"}

    def expression(self) -> Expr:
        raise NotImplementedError

    def initial_guess(self, data: Mapping[str, np.ndarray], loss: np.ndarray) -> dict[str, float]:
        return {"L_inf": 1.0, "A": 1.0, "alpha": 0.3}


def test_a_law_without_an_expression_falls_back_to_its_descriptions() -> None:
    law = _Described()
    assert irreducible(law) is None
    assert roles(law) == {"L_inf": "irreducible", "A": "coefficient", "alpha": "exponent"}


def test_loss_to_loss_keeps_the_floor_of_its_variable() -> None:
    """``L_y = K*(L_x - E_x)**kappa + E_y``: ``E_y`` is added alone; ``E_x``, the floor of
    ``L_x``, is one the law declares (its ``floors``), judged against the smallest ``L_x``."""
    law = LossToLoss()
    assert irreducible(law) == "E_y" and _floors(law) == {"E_x", "E_y"}
    # a task's accuracy has no irreducible loss: the sigmoid's added b is chance, no floor
    assert irreducible(Sigmoid()) is None and _floors(Sigmoid()) == set()
