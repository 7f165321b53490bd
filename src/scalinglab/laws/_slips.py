"""Slips a formula parses through: a variable times a bare negated parameter (``N*-alpha``,
a ``*`` missing from ``N**-alpha``), valid but almost never meant, and a variable in the
wrong case (``n`` for ``N``), which reads as a parameter."""

from __future__ import annotations

from collections.abc import Collection

from scalinglab._errors import did_you_mean, meant
from scalinglab.laws._expr import BinOp, Call, Expr, Neg, Sym

__all__ = ["negated_factor_notes", "variable_meant"]

#: The symbols a formula reads as variables without --x.
_VARIABLES = ("N", "D", "C", "params", "tokens", "flops")


def negated_factor_notes(text: str, tree: Expr, variables: Collection[str]) -> tuple[str, ...]:
    """One note per ``X*-p`` with ``X`` a variable and ``p`` a parameter: linear in ``X``
    times ``-p``, where ``X**-p`` was likely meant (a note: the formula is valid)."""
    found: list[str] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, BinOp):
            var = _last_factor(node.left)  # A*N*-alpha parses as (A*N)*-alpha
            negated = node.right.arg if isinstance(node.right, Neg) else None
            if node.op == "*" and var in variables and isinstance(negated, Sym):
                said = f"{var}*-{negated.name}"
                found += [said] if said not in found else []
            stack.extend((node.left, node.right))
        elif isinstance(node, (Neg, Call)):
            stack.append(node.arg)
    return tuple(
        f"formula {text!r}: {s} multiplies {s.partition('*')[0]} by -{s.partition('-')[2]} "
        f"(linear in {s.partition('*')[0]}){meant(s.replace('*-', '**-'))}"
        for s in found
    )


def _last_factor(node: Expr) -> str | None:
    """The symbol a product ends in (``N`` of ``A*N``), ``None`` where it is no symbol."""
    while isinstance(node, BinOp) and node.op == "*":
        node = node.right
    return node.name if isinstance(node, Sym) else None


def variable_meant(symbol: str, columns: Collection[str] = ()) -> str:
    """``"; did you mean 'N'?"`` for a symbol a variable's name one slip off (``n``)."""
    return did_you_mean(symbol, [*_VARIABLES, *columns])
