"""Power terms in a law's expression: ``coef * X**-expo`` and ``E + sum of them``.

Two parts of the fit look for this shape: centred coordinates (:mod:`._center`) and the
compiled solver (:mod:`._compiled`), which handles laws that are nothing but such a sum.
The match is on the expression tree, so a formula written ``E + A*N**-alpha`` or
``E + A/N**alpha`` qualifies just as the catalog's Chinchilla law does.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from scalinglab.laws import Law
from scalinglab.laws._expr import BinOp, Call, Expr, Neg, Sym

__all__ = ["PowerSum", "power_sum", "power_term", "power_terms", "symbol_counts"]


@dataclass(frozen=True)
class PowerSum:
    """A law of the form ``E + sum_v coef_v * X_v**-expo_v`` (``E`` optional), by index.

    Attributes:
        constant: Index of ``E`` in the fitted vector, or -1 without one.
        coefs: Index of each term's coefficient (fitted as its log).
        expos: Index of each term's exponent.
        variables: Each term's variable symbol.
    """

    constant: int
    coefs: tuple[int, ...]
    expos: tuple[int, ...]
    variables: tuple[str, ...]


def power_terms(expr: Expr) -> list[tuple[str, str, str]]:
    """``(coef, variable, exponent)`` for each ``coef * X**-expo`` (or ``coef / X**expo``,
    either factor order) sub-expression made of plain symbols."""
    found: list[tuple[str, str, str]] = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, BinOp):
            term = _match(node)
            if term is not None:
                found.append(term)
                continue
            stack.extend((node.left, node.right))
        elif isinstance(node, (Neg, Call)):
            stack.append(node.arg)
    return found


def power_sum(law: Law) -> PowerSum | None:
    """The law as a :class:`PowerSum`, or ``None`` when it is anything else.

    Every coefficient and ``E`` must be fitted as a log (positive), every exponent as
    itself, every symbol used once (an exponent may be shared by several terms, as the
    over-training law's ``A/N^alpha + B/D^alpha``), and the expression nothing but the sum.
    """
    params = {p.name: (k, p) for k, p in enumerate(law.params)}
    counts = symbol_counts(law.expression())
    constant = -1
    terms: list[tuple[str, str, str]] = []
    for node in _summands(law.expression()):
        term = _match(node) if isinstance(node, BinOp) else None
        if term is not None:
            terms.append(term)
        elif isinstance(node, Sym) and node.name in params and constant < 0:
            k, p = params[node.name]
            if not p.positive:
                return None
            constant = k
        else:
            return None
    if not terms:
        return None
    for coef, var, expo in terms:
        if coef not in params or expo not in params or var not in law.variables:
            return None
        if not params[coef][1].positive or params[expo][1].positive:
            return None
    shared = Counter(expo for _, _, expo in terms)
    if any(n != shared.get(name, 1) for name, n in counts.items()):
        return None  # a symbol used twice, other than an exponent as the exponent of terms
    return PowerSum(
        constant=constant,
        coefs=tuple(params[c][0] for c, _, _ in terms),
        expos=tuple(params[e][0] for _, _, e in terms),
        variables=tuple(v for _, v, _ in terms),
    )


def symbol_counts(expr: Expr) -> Counter[str]:
    """How many times each symbol appears in ``expr``."""
    counts: Counter[str] = Counter()
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Sym):
            counts[node.name] += 1
        elif isinstance(node, BinOp):
            stack.extend((node.left, node.right))
        elif isinstance(node, (Neg, Call)):
            stack.append(node.arg)
    return counts


def _summands(expr: Expr) -> list[Expr]:
    if isinstance(expr, BinOp) and expr.op == "+":
        return _summands(expr.left) + _summands(expr.right)
    return [expr]


def power_term(node: BinOp) -> tuple[str, Expr, str] | None:
    """``(coefficient, base, exponent)`` of a term ``A * base**-alpha`` (either order) or
    ``A / base**alpha``, the base any expression; ``None`` for any other node."""
    if node.op == "*":
        for coef, power in ((node.left, node.right), (node.right, node.left)):
            if (
                isinstance(coef, Sym)
                and isinstance(power, BinOp)
                and power.op == "**"
                and isinstance(power.right, Neg)
                and isinstance(power.right.arg, Sym)
            ):
                return coef.name, power.left, power.right.arg.name
    if node.op == "/":
        coef, power = node.left, node.right
        if (
            isinstance(coef, Sym)
            and isinstance(power, BinOp)
            and power.op == "**"
            and isinstance(power.right, Sym)
        ):
            return coef.name, power.left, power.right.name
    return None


def _match(node: BinOp) -> tuple[str, str, str] | None:
    """:func:`power_term` where the base is one symbol, named."""
    term = power_term(node)
    if term is None or not isinstance(term[1], Sym):
        return None
    return term[0], term[1].name, term[2]
