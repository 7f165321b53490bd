"""What each parameter of a law is, for the fit's diagnostics: from where it stands in the
law, not from the case of its name (a lowercase floor ``e`` was judged as an exponent)."""

from __future__ import annotations

import pytest

import scalinglab as sl
from scalinglab.fit._diagnostics import diagnose, roles
from scalinglab.fit._roles import RISING
from scalinglab.laws import catalog, get_law

#: The catalog laws' roles as they were when formulas' roles came from the case of a name,
#: but for the broken power law's ``a``: the loss's limit, which its formula adds alone.
CATALOG = {
    "chinchilla": {"E": "irreducible", "A": "coefficient", "B": "coefficient",
                   "alpha": "exponent", "beta": "exponent"},
    "overtraining": {"E": "irreducible", "A": "coefficient", "B": "coefficient",
                     "alpha": "exponent"},
    "kaplan": {"N_c": "", "alpha_N": "exponent", "D_c": "", "alpha_D": "exponent"},
    "kaplan-n": {"N_c": "", "alpha_N": "exponent"},
    "power-law": {"A": "coefficient", "alpha": "exponent"},
    "power-law-plus-constant": {"E": "irreducible", "A": "coefficient", "alpha": "exponent"},
    "bnsl": {"a": "irreducible", "b": "coefficient", "c0": "exponent",
             "c1": "", "d1": "", "f1": ""},
}  # fmt: skip


def test_catalog_roles_are_unchanged() -> None:
    assert {law.name: roles(law) for law in catalog()} == CATALOG


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_a_lowercase_floor_is_no_exponent() -> None:
    """`fit --law "e + A*N**-alpha + B*D**-beta"` warned "e = 1.137 is implausible (above 1:
    published language-model exponents ...)": e is the floor, judged as one."""
    law = get_law("e + A*N**-alpha + B*D**-beta")
    assert roles(law) == {"e": "irreducible", "A": "coefficient", "alpha": "exponent",
                          "B": "coefficient", "beta": "exponent"}  # fmt: skip
    assert law.params[0].description == "offset"
    result = sl.fit(law, sl.bundled_runs(), bootstrap=0, extrapolation=False)
    assert result.coefs["e"] == pytest.approx(1.1366, abs=1e-4)
    assert result.warnings == ()


def test_a_parameter_inside_exp_is_no_exponent() -> None:
    """`--law "E + exp(a)*N**-alpha"` warned "a = 6.661 is implausible"."""
    law = get_law("E + exp(a)*N**-alpha")
    assert roles(law) == {"E": "irreducible", "a": "", "alpha": "exponent"}
    coefs = {"E": 1.5, "a": 6.661, "alpha": 0.35}
    assert diagnose(law, coefs, {}, None, n_runs=31, min_loss=2.5) == ()
    # the same law with its exponent out of range: still judged as an exponent
    warned = diagnose(law, coefs | {"alpha": 1.7}, {}, None, n_runs=31, min_loss=2.5)
    assert warned == ("alpha = 1.7 is implausible (above 1: published language-model "
                      "exponents lie in 0.05-0.7)",)  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "exponent", "role"),
    [
        ("E + exp(a - alpha*log(N))", "alpha", "exponent"),  # N**-alpha through exp and log
        ("E + A*(N/N_c)**-k", "k", "exponent"),
        # a capital in a power is an exponent too; written N**Gamma, it decays for Gamma < 0
        ("E + A*N**Gamma", "Gamma", RISING),
        ("E + exp(a + alpha*log(N))", "alpha", RISING),
    ],
)
def test_an_exponent_is_found_where_it_stands(formula: str, exponent: str, role: str) -> None:
    kinds = roles(get_law(formula))
    assert [name for name, kind in kinds.items() if kind in ("exponent", RISING)] == [exponent]
    assert kinds[exponent] == role


def test_a_formula_of_a_catalog_law_has_its_roles() -> None:
    formula = get_law("E + A*N**-alpha + B*D**-beta")
    assert roles(formula) == CATALOG["chinchilla"]
