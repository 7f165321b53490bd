"""A tiny expression tree for scaling-law formulas.

Laws are written as expressions over *symbols* (parameters such as ``A`` or ``alpha`` and
variables such as ``N`` or ``D``). The same tree is printed, evaluated with NumPy, and
differentiated twice by :mod:`scalinglab.laws._autodiff`. Nodes are frozen and hashable so
that identical sub-trees can share work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FUNCTIONS",
    "BinOp",
    "Call",
    "Const",
    "Expr",
    "Neg",
    "Sym",
    "symbols",
]

BinaryOp = Literal["+", "-", "*", "/", "**"]

#: Functions a formula may call, all of one argument.
FUNCTIONS: frozenset[str] = frozenset({"exp", "log", "sqrt", "log10", "log2"})


class Expr:
    """Base of every node; supports ``+ - * / **`` so laws can be built in Python."""

    __slots__ = ()

    def __add__(self, other: Expr | float) -> Expr:
        return BinOp("+", self, _lift(other))

    def __radd__(self, other: float) -> Expr:
        return BinOp("+", _lift(other), self)

    def __sub__(self, other: Expr | float) -> Expr:
        return BinOp("-", self, _lift(other))

    def __rsub__(self, other: float) -> Expr:
        return BinOp("-", _lift(other), self)

    def __mul__(self, other: Expr | float) -> Expr:
        return BinOp("*", self, _lift(other))

    def __rmul__(self, other: float) -> Expr:
        return BinOp("*", _lift(other), self)

    def __truediv__(self, other: Expr | float) -> Expr:
        return BinOp("/", self, _lift(other))

    def __rtruediv__(self, other: float) -> Expr:
        return BinOp("/", _lift(other), self)

    def __pow__(self, other: Expr | float) -> Expr:
        return BinOp("**", self, _lift(other))

    def __rpow__(self, other: float) -> Expr:
        return BinOp("**", _lift(other), self)

    def __neg__(self) -> Expr:
        return Neg(self)

    def __repr__(self) -> str:
        """One line for a notebook: the formula as the tree writes it, then its variables
        and parameters as a law reads them by default (``N``, ``D``, ``C`` and the columns
        ``params``, ``tokens``, ``flops`` are variables; a law's ``columns`` may map more),
        not the nested nodes."""
        from scalinglab.laws._base import DEFAULT_COLUMNS  # NumPy: loaded by a law anyway

        read = {*DEFAULT_COLUMNS, *DEFAULT_COLUMNS.values()}
        names = symbols(self)
        variables = [s for s in names if s in read]
        return (
            f"Expr({str(self)!r}, variables={variables}, "
            f"parameters={[s for s in names if s not in read]})"
        )


@dataclass(frozen=True, slots=True, repr=False)  # Expr's repr: the formula
class Const(Expr):
    """A number."""

    value: float

    def __str__(self) -> str:
        return f"{self.value:g}"


@dataclass(frozen=True, slots=True, repr=False)  # Expr's repr: the formula
class Sym(Expr):
    """A named symbol: a parameter or a variable, decided when a law binds it."""

    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True, repr=False)  # Expr's repr: the formula
class Neg(Expr):
    """Unary minus."""

    arg: Expr

    def __str__(self) -> str:
        return f"-{_paren(self.arg, 3)}"


@dataclass(frozen=True, slots=True, repr=False)  # Expr's repr: the formula
class BinOp(Expr):
    """A binary operation ``left op right``."""

    op: BinaryOp
    left: Expr
    right: Expr

    def __str__(self) -> str:
        prec = _PRECEDENCE[self.op]
        if self.op == "**":  # right-associative
            return f"{_paren(self.left, prec + 1)}**{_paren(self.right, prec)}"
        right_prec = prec + 1 if self.op in ("-", "/") else prec
        return f"{_paren(self.left, prec)} {self.op} {_paren(self.right, right_prec)}"


@dataclass(frozen=True, slots=True, repr=False)  # Expr's repr: the formula
class Call(Expr):
    """One of :data:`FUNCTIONS` applied to one argument."""

    func: str
    arg: Expr

    def __str__(self) -> str:
        return f"{self.func}({self.arg})"


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "**": 4}


def _node_precedence(node: Expr) -> int:
    if isinstance(node, BinOp):
        return _PRECEDENCE[node.op]
    if isinstance(node, Neg):
        return 3
    if isinstance(node, Const) and node.value < 0:
        return 3
    return 5


def _paren(node: Expr, parent: int) -> str:
    text = str(node)
    return f"({text})" if _node_precedence(node) < parent else text


def _lift(value: Expr | float) -> Expr:
    return value if isinstance(value, Expr) else Const(float(value))


def symbols(expr: Expr) -> list[str]:
    """Names of the symbols in ``expr``, in order of first appearance."""
    seen: dict[str, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, Sym):
            seen.setdefault(node.name, None)
        elif isinstance(node, BinOp):
            stack.extend((node.right, node.left))
        elif isinstance(node, (Neg, Call)):
            stack.append(node.arg)
    return list(seen)
