"""The closed-form batched refits of power laws agree with the solver they replace."""

from __future__ import annotations

import numpy as np
import pytest

from scalinglab.data import RunTable
from scalinglab.hparams._laws import fit_law_draws
from scalinglab.hparams._loglinear import loglinear_design, loglinear_refit
from scalinglab.hparams._refit import CLOSED_FORM, solver_refit
from scalinglab.laws import get_law


def _cells() -> tuple[dict[str, np.ndarray], np.ndarray]:
    n = np.repeat([2.15e8, 2.68e8, 4.29e8, 5.37e8], 3)
    d = np.tile([4e9, 2e10, 1e11], 4)
    lr = 1.79 * n**-0.713 * d**0.307
    return {"params": n, "tokens": d, "flops": 6 * n * d}, lr


@pytest.mark.parametrize(
    "formula", ["A * N**alpha * D**beta", "B * D**gamma", "A * C**alpha", "B*N**delta*D**gamma"]
)
def test_closed_form_refits_match_the_solver(formula: str) -> None:
    columns, lr = _cells()
    law = get_law(formula)
    rng = np.random.default_rng(1)
    reps = lr * np.exp(rng.normal(0, 0.1, size=(40, len(lr))))
    reps[3, :2] = np.nan  # a refit with cells missing
    weights = rng.uniform(0.5, 2.0, len(lr))
    design = loglinear_design(law, columns)
    assert design is not None
    fast = loglinear_refit(law, design, reps, weights)
    table = RunTable(
        columns={**columns, "loss": lr},
        runs=tuple(map(str, range(len(lr)))),
        rows=tuple(range(1, 13)),
        source="<cells>",
    )
    theta = law.to_fitted(fast[:1])[0]
    slow, ran = solver_refit(law, table, theta, reps, weights, "squared", 0.1, 300)
    assert np.all(np.isfinite(fast))
    np.testing.assert_allclose(fast, slow, rtol=1e-6, atol=1e-8)
    assert ran is not None and ran != CLOSED_FORM  # the solver ran, said by fit's name


def test_other_shapes_and_losses_go_to_the_solver() -> None:
    columns, lr = _cells()
    assert loglinear_design(get_law("A * N**alpha + E"), columns) is None
    assert loglinear_design(get_law("A * (N/1e9)**alpha"), columns) is None
    # huber refits still work (the solver path), and agree with squared on exact data
    law, draws = fit_law_draws(
        "A * N**alpha * D**beta",
        "lr",
        columns,
        lr,
        lr[None, :] * np.ones((3, 1)),
        robust_loss="huber",
    )
    assert draws is not None
    np.testing.assert_allclose(draws[:, 1], -0.713, atol=1e-5)
    assert law.coefs["beta"] == pytest.approx(0.307, abs=1e-5)


def test_a_coefficient_past_exp_range_goes_to_the_solver_without_a_warning() -> None:
    # a replicate whose log-linear solve puts log A past ~709 (exp overflows): the row is
    # outside the bounds and NaN (left to the solver), and no RuntimeWarning reaches the user
    columns, lr = _cells()
    law = get_law("A * N**alpha * D**beta")
    design = loglinear_design(law, columns)
    assert design is not None
    n, d = columns["params"], columns["tokens"]
    steep = np.exp(800.0 - 40.0 * np.log(n) + 0.3 * np.log(d))  # finite: log A = 800
    assert np.all(np.isfinite(steep))
    reps = np.vstack([lr, steep])
    with np.errstate(all="raise"):
        out = loglinear_refit(law, design, reps, np.ones(len(lr)))
    assert np.all(np.isfinite(out[0]))
    np.testing.assert_allclose(out[0], [1.79, -0.713, 0.307], rtol=1e-9)
    assert np.all(np.isnan(out[1]))
