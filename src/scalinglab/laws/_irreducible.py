"""Which parameter of a law is its irreducible loss, read from where it stands in the law.

One rule for every reader: the fit's diagnostics (``E`` collapsed to ~0,
:func:`scalinglab.fit._roles.roles`) and the plan's reach (a target at or below the floor,
:mod:`scalinglab.plan._reach`) name the same parameter for the same law.
"""

from __future__ import annotations

from scalinglab.laws._base import Law
from scalinglab.laws._expr import BinOp, Expr, Sym

__all__ = ["irreducible"]


def irreducible(law: Law) -> str | None:
    """The parameter added alone at the top of the law's formula: ``E`` in
    ``E + A/N^alpha + B/D^beta``, ``a`` in a broken power law, ``L0`` in ``L0 + A*N**-a``.

    Every other term of such a sum vanishes as the law's variables grow (that is what the
    fit's exponents assume), so this parameter is the loss no compute goes below.

    Args:
        law: Any law.

    Returns:
        The parameter's name (the leftmost where the sum adds more than one); ``None`` for a
        law without one (Kaplan's, ``A*N**-alpha``), for one with no expression to read, and
        for one that predicts no loss (a task's accuracy or error: its offset is no floor).
    """
    if getattr(law, "target", "loss") != "loss":
        return None
    try:
        tree: Expr = law.expression()
    except (AttributeError, NotImplementedError):
        return None
    names = set(law.param_names)
    for term in _summands(tree):
        if isinstance(term, Sym) and term.name in names:
            return term.name
    return None


def _summands(tree: Expr) -> list[Expr]:
    """The terms ``+`` joins at the top of ``tree``, left to right; a difference is one
    term, not read into."""
    if isinstance(tree, BinOp) and tree.op == "+":
        return _summands(tree.left) + _summands(tree.right)
    return [tree]
