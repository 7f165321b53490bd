"""Where the diagnostics judge a coefficient: at the data's centre, in one defined space.

The bootstrap fits of ``log B`` and ``beta`` in a term ``B * X**-beta`` correlate by
construction (``log B`` is the term's log at ``X = 1``, far from the data), so the
diagnostics judge ``log B - beta * mean log X``: the term's log at the runs' centre. The
same law may write its base as a variable (``B*D**-beta``) or as an expression of them
(``B*(F/(6*M))**-beta``, with ``D = F/(6M)``); both are judged at the mean log of the base
over the runs, so the two writings report the same correlation (one said -0.995, the other
+1.000, before the base could be an expression).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from scalinglab.fit._terms import power_term
from scalinglab.laws import Law
from scalinglab.laws._expr import BinOp, Call, Const, Expr, Neg, Sym, symbols

__all__ = ["term_centres"]

_NUMPY = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "log10": np.log10, "log2": np.log2}


def term_centres(
    law: Law, log_means: Mapping[str, float], data: Mapping[str, Any] | None
) -> dict[str, tuple[str, float]]:
    """``coefficient -> (its exponent, mean log of the term's base)`` for each term
    ``coef * BASE**-expo`` or ``coef / BASE**expo`` whose base reads only variables: a plain
    variable's centre from ``log_means``, an expression's from ``data``."""
    try:
        tree = law.expression()
    except (AttributeError, NotImplementedError):
        return {}
    out: dict[str, tuple[str, float]] = {}
    names = set(law.param_names)
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, BinOp):
            term = power_term(node)
            if term is not None and term[0] in names and term[2] in names:
                coef, base, expo = term
                centre = _centre(base, log_means, data, names)
                if centre is not None:
                    out[coef] = (expo, centre)
            stack.extend((node.left, node.right))
        elif isinstance(node, (Neg, Call)):
            stack.append(node.arg)
    return out


def _centre(
    base: Expr, log_means: Mapping[str, float], data: Mapping[str, Any] | None, params: set[str]
) -> float | None:
    if isinstance(base, Sym):
        return log_means.get(base.name)
    used = set(symbols(base))
    if data is None or used & params or not used <= set(data):
        return None
    with np.errstate(all="ignore"):
        logs = np.log(np.asarray(_value(base, data), dtype=np.float64))
    logs = np.ravel(logs)
    return float(np.mean(logs)) if logs.size and np.all(np.isfinite(logs)) else None


def _value(node: Expr, data: Mapping[str, Any]) -> Any:
    """The expression of variables at the runs (every symbol in it is one of ``data``)."""
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Sym):
        return np.asarray(data[node.name], dtype=np.float64)
    if isinstance(node, Neg):
        return -_value(node.arg, data)
    if isinstance(node, Call):
        return _NUMPY[node.func](_value(node.arg, data))
    assert isinstance(node, BinOp)
    a, b = _value(node.left, data), _value(node.right, data)
    ops = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}
    return ops[node.op](a, b)
