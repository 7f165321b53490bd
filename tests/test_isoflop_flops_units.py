"""isoflop with a flops column that is not 6·N·D (PF-days, a factor): D_opt stays in the runs'
own tokens (it was C/(6·N_opt): 2e-11 tokens from PF-days), and the result says how."""

from __future__ import annotations

import pytest
from tests._chinchilla_draws import isoflop_runs

from scalinglab import isoflop

PF_DAY = 8.64e19  # FLOPs in a petaFLOP/s-day


@pytest.mark.parametrize(("unit", "times"), [(1 / PF_DAY, "1.16e-20×"), (10.0, "10×")])
def test_flops_in_another_unit_keep_d_opt_in_tokens(unit: float, times: str) -> None:
    runs = isoflop_runs()
    six = isoflop(runs, bootstrap=100)
    other = isoflop(runs.assign(flops=unit * 6 * runs.params * runs.tokens), bootstrap=100)
    for a, b in zip(six.budgets, other.budgets, strict=True):
        assert b.flops == pytest.approx(unit * a.flops, rel=1e-9)
        assert b.tokens_opt.value == pytest.approx(a.tokens_opt.value, rel=1e-9)
        assert b.tokens_opt.lower == pytest.approx(a.tokens_opt.lower, rel=1e-9)
        assert b.tokens_per_param.value == pytest.approx(a.tokens_per_param.value, rel=1e-9)
    assert other.a.value == pytest.approx(six.a.value, abs=1e-9)
    assert other.b.value == pytest.approx(1 - other.a.value, abs=1e-9)  # k is one constant
    assert (other.b.lower, other.b.upper) == pytest.approx((six.b.lower, six.b.upper), abs=1e-9)
    # D_opt(C) at a budget in the file's units is the budget's D_opt
    top = other.budgets[-1]
    assert other.tokens_law(top.flops) == pytest.approx(six.tokens_law(top.flops / unit), rel=1e-9)
    assert six.flops_rule == "C = 6·N·D, so D_opt = C/(6·N_opt)"
    assert other.flops_rule == (
        f"C as the flops column counts it ({times} 6·N·D on the runs), so D_opt = C/(k·N_opt) "
        "with k = C/(N·D) of each budget's runs: D_opt in the runs' own tokens"
    )
    assert other.to_dict()["flops_rule"] == other.flops_rule


def test_flops_within_two_percent_of_6nd_are_6nd() -> None:
    runs = isoflop_runs()
    near = isoflop(runs.assign(flops=1.015 * 6 * runs.params * runs.tokens), bootstrap=0)
    assert near.flops_rule == "C = 6·N·D, so D_opt = C/(6·N_opt)"
    top = near.budgets[-1]
    assert top.tokens_opt.value == pytest.approx(top.flops / (6 * top.params_opt.value))
