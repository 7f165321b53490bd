"""Reprs a notebook shows: a target loss without a fake interval, and a parsed formula as
its text with its variables and parameters, not a nested expression tree."""

from __future__ import annotations

import scalinglab as sl
from scalinglab.laws._expr import BinOp, Const, Sym


def test_a_target_loss_is_shown_as_given() -> None:
    """Was ``loss=2 [2, 2]``: the solved loss's ends, one ulp either side of the target."""
    result = sl.fit("chinchilla", sl.default_runs(), bootstrap=100, extrapolation=False)
    found = sl.compute_for_loss(result, target_loss=2.0)
    lo, hi = found.flops.lower, found.flops.upper
    assert lo < found.flops.value < hi  # the compute has an interval, the target none
    said = repr(found)
    assert ", loss=2, level=0.9," in said and "loss=2 [" not in said
    assert f"flops={found.flops.value:.5g} [".replace("e+", "e") in said
    budget = sl.optimal_allocation(result, flops=1e22)  # a predicted loss keeps its interval
    assert f"loss={budget.loss.value:.5g} [" in repr(budget)  # 2.0963 [1.8561, 2.3548]


def test_a_parsed_formula_shows_its_text_variables_and_parameters() -> None:
    """Was ``BinOp(op='+', left=BinOp(op='+', left=Sym(name='E'), ...``."""
    tree = sl.parse_formula("E + A*N**-alpha + B*D**-beta")
    assert repr(tree) == (
        "Expr('E + A * N**(-alpha) + B * D**(-beta)', variables=['N', 'D'], "
        "parameters=['E', 'A', 'alpha', 'B', 'beta'])"
    )
    assert repr(sl.parse_formula("a - b*log(tokens)")) == (
        "Expr('a - b * log(tokens)', variables=['tokens'], parameters=['a', 'b'])"
    )
    # still a tree of frozen nodes, compared and hashed by value
    assert tree == sl.parse_formula("E + A * N**(-alpha) + B * D**(-beta)")
    assert BinOp("*", Const(2.0), Sym("C")) == 2.0 * Sym("C")
    assert repr(Sym("C")) == "Expr('C', variables=['C'], parameters=[])"
