"""An exponent is an exponent by where it stands in a formula, whatever its case."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest

from scalinglab import fit
from scalinglab.fit._center import centering_for
from scalinglab.laws import FormulaLaw, Param


def _runs() -> pd.DataFrame:
    """40 runs of ``L = 2 + 50 N^-0.25`` with 0.3% noise (the sweep's pN.csv)."""
    rng = np.random.default_rng(0)
    n = np.geomspace(2e7, 2e9, 40)
    loss = (2.0 + 50.0 * n**-0.25) * np.exp(rng.normal(0.0, 0.003, n.size))
    return pd.DataFrame({"params": n, "tokens": 20 * n, "loss": loss})


def test_a_capital_exponent_gives_the_same_coefficients_as_a_lowercase_one() -> None:
    runs = _runs()
    want = fit("E + A*N**-alpha", runs, bootstrap=0).coefs
    assert 25.0 < want["A"] < 100.0  # E and A trade off along a valley: 67 on these runs
    assert want["alpha"] == pytest.approx(0.25, abs=0.03)
    for name in ("ALPHA", "Alpha", "Q", "P", "Z"):
        got = fit(f"E + A*N**-{name}", runs, bootstrap=0).coefs
        assert got["E"] == pytest.approx(want["E"], rel=1e-5), name
        assert got["A"] == pytest.approx(want["A"], rel=1e-4), name
        assert got[name] == pytest.approx(want["alpha"], rel=1e-4), name


def test_a_capital_exponent_is_fitted_as_itself_from_exponent_starts() -> None:
    law = FormulaLaw("E + A*N**-ALPHA + B*(D/D0)**Beta")
    params = {p.name: p for p in law.params}
    for name in ("ALPHA", "Beta"):
        assert not params[name].positive, name
        assert params[name].grid == params["ALPHA"].grid == (0.05, 0.2, 0.5, 1.0)
        assert params[name].description == "exponent"
    assert params["A"].positive and params["D0"].positive
    assert params["D0"].description == "coefficient"


@dataclass(frozen=True)
class _LogExponent(FormulaLaw):
    """A law whose exponent is fitted as its log (no formula does this; a law class may)."""

    @property
    def params(self) -> tuple[Param, ...]:
        return tuple(replace(p, positive=True) if p.name == "alpha" else p for p in super().params)


@pytest.mark.parametrize(
    ("law", "centred"),
    [
        # coefficient as a log, exponent as itself, offset, other parameter: centred
        (FormulaLaw("E + A*N**-alpha + e"), {("A", "alpha")}),
        (FormulaLaw("E + A*N**-ALPHA + B*D**-beta*c"), {("A", "ALPHA"), ("B", "beta")}),
        # an exponent fitted as its log: a' = a - exp(t) log N0 is not linear, left alone
        (_LogExponent("E + A*N**-alpha + B*D**-beta"), {("B", "beta")}),
    ],
)
def test_centring_round_trips_for_every_kind_of_parameter(
    law: FormulaLaw, centred: set[tuple[str, str]]
) -> None:
    runs = _runs()
    data = {"N": runs["params"].to_numpy(), "D": runs["tokens"].to_numpy()}
    data = {s: v for s, v in data.items() if s in law.variables}
    center = centering_for(law, data)
    names = law.param_names
    assert {(names[c], names[e]) for c, e, _ in center.terms} == centred
    rng = np.random.default_rng(1)
    theta = rng.uniform(-1.0, 3.0, size=(25, len(names)))
    np.testing.assert_allclose(center.from_solver(center.to_solver(theta)), theta, atol=1e-12)
    # the solver's law on the centred data is the same function as the law on the raw data
    raw = law.bind(data).value(theta)
    solver = law.bind(center.data(data)).value(center.to_solver(theta))
    np.testing.assert_allclose(solver, raw, rtol=1e-10)
