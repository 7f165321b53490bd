"""The exponent diagnostics read the sign the formula raises its variable to: ``N**alpha``
decays where ``alpha < 0``, ``N**-alpha`` and ``A/N**alpha`` where ``alpha > 0``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from scalinglab import fit, get_law
from scalinglab.fit._implausible import value_warnings
from scalinglab.fit._roles import RISING, roles


def _runs(alpha: float) -> pd.DataFrame:
    n = np.geomspace(1e6, 1e9, 16)
    return pd.DataFrame({"params": n, "loss": 2.0 + 50.0 * n**-alpha})


def test_a_decaying_term_written_n_to_the_alpha_is_not_warned_of() -> None:
    result = fit("E + A*N**alpha", _runs(0.25), bootstrap=0)
    assert result.coefs["alpha"] == pytest.approx(-0.25, rel=1e-6)
    assert not any("alpha" in w for w in result.warnings), result.warnings


def test_a_growing_term_written_n_to_the_alpha_is_warned_of() -> None:
    n = np.geomspace(1e6, 1e9, 16)
    runs = pd.DataFrame({"params": n, "loss": 2.0 + 0.05 * n**0.2})
    result = fit("E + A*N**alpha", runs, bootstrap=0)
    alpha = result.coefs["alpha"]
    assert alpha == pytest.approx(0.2, rel=1e-4)
    assert (
        f"alpha = {alpha:.4g} is positive: the formula raises its variable to the power "
        "alpha, so the term grows with scale; the law assumes it decays (alpha < 0)"
    ) in result.warnings


@pytest.mark.parametrize(
    ("formula", "role"),
    [
        ("E + A*N**alpha", RISING),
        ("E + A*exp(alpha*log(N))", RISING),
        ("E + A/N**-alpha", RISING),
        ("E + A*N**-alpha", "exponent"),
        ("E + A/N**alpha", "exponent"),
        ("E + A*exp(-alpha*log(N))", "exponent"),
        ("E + A*N**alpha + B*D**-alpha", "exponent"),  # both signs: judged as before
    ],
)
def test_the_role_follows_the_sign_the_formula_writes(formula: str, role: str) -> None:
    assert roles(get_law(formula))["alpha"] == role


def test_catalog_laws_keep_their_roles_and_messages() -> None:
    assert {k: v for k, v in roles(get_law("chinchilla")).items() if "exponent" in v} == {
        "alpha": "exponent",
        "beta": "exponent",
    }
    assert roles(get_law("kaplan-n"))["alpha_N"] == "exponent"
    assert value_warnings("alpha", -0.3, "exponent") == [
        "alpha = -0.3 is negative: the law assumes the loss decays"
    ]
    assert value_warnings("alpha", 1.5, "exponent") == [
        "alpha = 1.5 is implausible (above 1: published language-model exponents lie in 0.05-0.7)"
    ]
    assert value_warnings("alpha", -1.5, RISING) == [
        "alpha = -1.5 is implausible (-alpha above 1: published language-model exponents lie "
        "in 0.05-0.7)"
    ]
    assert value_warnings("alpha", -0.005, RISING) == [
        "alpha = -0.005 is implausible (~0: its term is a constant, not separable from E)"
    ]
