"""Batched evaluation of a law and its exact first and second derivatives.

A law's expression is compiled once into a straight-line :class:`Program` (identical
sub-trees computed once). Binding it to a run table precomputes every sub-expression that
depends only on the data. Evaluating the bound program at ``S`` parameter vectors gives an
``(S, P)`` array over ``P`` runs, and, when asked, the gradient and Hessian with respect to
the *fitted* parameters through forward-mode "hyper-dual" arithmetic: each intermediate
carries its value, its first derivatives and its second derivatives, stored sparsely (a
term ``A * N**-alpha`` only carries derivatives in ``A`` and ``alpha``), so the cost grows
with what each term touches rather than with the square of the parameter count.

Fitted parameters live in an unconstrained space: a positive coefficient ``A`` is fitted as
``a = log A`` (Hoffmann et al. 2022; Besiroglu et al. 2024), the rest as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import FormulaError
from scalinglab.laws._expr import BinOp, Call, Const, Expr, Neg, Sym

__all__ = ["BoundProgram", "Dual", "Program", "apply_function"]

Array = NDArray[np.float64]


@dataclass(slots=True)
class Dual:
    """A value with sparse first (``g[k]``) and second (``h[k, l]``, ``k <= l``) derivatives."""

    val: Array
    g: dict[int, Array] = field(default_factory=dict)
    h: dict[tuple[int, int], Array] = field(default_factory=dict)


class _Products:
    """Products of arrays, each computed once per evaluation.

    The chain rule keeps multiplying the same arrays: for ``A * N**-alpha`` with ``A = e^a``
    the value, ``d/da`` and ``d2/da2`` are all ``A * N**-alpha``, and ``d2/da dalpha`` is
    ``d/dalpha``. Remembering products by operand identity removes those repeats.
    """

    __slots__ = ("_seen",)

    def __init__(self) -> None:
        self._seen: dict[tuple[int, int], tuple[object, object, Array]] = {}

    def mul(self, a: Array, b: Array) -> Array:
        key = (id(a), id(b)) if id(a) <= id(b) else (id(b), id(a))
        hit = self._seen.get(key)
        if hit is None:  # the operands are kept alive with the product, so ids stay unique
            hit = self._seen[key] = (a, b, a * b)
        return hit[2]


def _add(x: Dual, y: Dual, sign: float = 1.0) -> Dual:
    out = Dual(x.val + y.val if sign > 0 else x.val - y.val, dict(x.g), dict(x.h))
    for k, v in y.g.items():
        if k in out.g:
            out.g[k] = out.g[k] + v if sign > 0 else out.g[k] - v
        else:
            out.g[k] = v if sign > 0 else -v  # shared, never written in place
    for kl, v in y.h.items():
        if kl in out.h:
            out.h[kl] = out.h[kl] + v if sign > 0 else out.h[kl] - v
        else:
            out.h[kl] = v if sign > 0 else -v
    return out


def _mul(x: Dual, y: Dual, p: _Products) -> Dual:
    out = Dual(p.mul(x.val, y.val))
    for k, v in x.g.items():
        out.g[k] = p.mul(v, y.val)
    for k, v in y.g.items():
        out.g[k] = out.g[k] + p.mul(x.val, v) if k in out.g else p.mul(x.val, v)
    for kl, v in x.h.items():
        out.h[kl] = p.mul(v, y.val)
    for kl, v in y.h.items():
        out.h[kl] = out.h[kl] + p.mul(x.val, v) if kl in out.h else p.mul(x.val, v)
    for k, xk in x.g.items():
        for l, yl in y.g.items():
            kl = (k, l) if k <= l else (l, k)
            term = p.mul(xk, yl) if k != l else 2.0 * p.mul(xk, yl)
            out.h[kl] = out.h[kl] + term if kl in out.h else term
    return out


def _unary(x: Dual, f0: Array, f1: Array | None, f2: Array | None, p: _Products) -> Dual:
    """Chain rule for ``f(x)`` given ``f(x), f'(x), f''(x)``."""
    out = Dual(f0)
    if f1 is None:
        return out
    for k, v in x.g.items():
        out.g[k] = p.mul(f1, v)
    for kl, v in x.h.items():
        out.h[kl] = p.mul(f1, v)
    if f2 is not None:
        keys = sorted(x.g)
        for i, k in enumerate(keys):
            for l in keys[i:]:
                term = p.mul(p.mul(f2, x.g[k]), x.g[l])
                out.h[(k, l)] = out.h[(k, l)] + term if (k, l) in out.h else term
    return out


def apply_function(func: str, x: Dual, order: int, p: _Products | None = None) -> Dual:
    """``func(x)`` (one of the formula functions) with derivatives up to ``order``."""
    p = _Products() if p is None else p
    v = x.val
    if func == "exp":
        e = np.exp(v)
        return _unary(x, e, e if order else None, e if order > 1 else None, p)
    if func in ("log", "log10", "log2"):
        scale = {"log": 1.0, "log10": 1 / np.log(10.0), "log2": 1 / np.log(2.0)}[func]
        inv = 1.0 / v
        return _unary(
            x,
            scale * np.log(v),
            scale * inv if order else None,
            -scale * inv * inv if order > 1 else None,
            p,
        )
    if func == "sqrt":
        s = np.sqrt(v)
        return _unary(x, s, 0.5 / s if order else None, -0.25 / (s * v) if order > 1 else None, p)
    raise FormulaError(f"unknown function {func!r}")  # pragma: no cover - parser guards this


def _power(x: Dual, y: Dual, order: int, p: _Products, log_x: Array | None = None) -> Dual:
    if not y.g:  # constant exponent: d/dx x^c
        c = y.val
        xc = x.val**c
        if not x.g:
            return Dual(xc)
        f1 = c * x.val ** (c - 1.0) if order else None
        f2 = c * (c - 1.0) * x.val ** (c - 2.0) if order > 1 else None
        return _unary(x, xc, f1, f2, p)
    # x**y = exp(y * log x); for data x, log x is precomputed when the program is bound
    log = Dual(log_x) if log_x is not None else apply_function("log", x, order, p)
    return apply_function("exp", _mul(y, log, p), order, p)


Instr = tuple[str, object, object]


class Program:
    """A law's expression compiled for fast, batched evaluation.

    Args:
        expr: The expression tree.
        params: Names of the fitted parameters, in order (the columns of ``theta``).
        positive: For each parameter, whether it is fitted as its logarithm.
        variables: Names of the data variables the expression may use.
    """

    def __init__(
        self,
        expr: Expr,
        *,
        params: Sequence[str],
        positive: Sequence[bool],
        variables: Sequence[str],
    ) -> None:
        self.params = tuple(params)
        self.positive = tuple(positive)
        self.variables = tuple(variables)
        self._index: dict[Expr, int] = {}
        self.instrs: list[Instr] = []
        self.data_only: list[bool] = []
        self.root = self._emit(expr)

    def _emit(self, node: Expr) -> int:
        if node in self._index:
            return self._index[node]
        instr: Instr
        if isinstance(node, Const):
            instr, data_only = ("const", node.value, None), True
        elif isinstance(node, Sym):
            if node.name in self.params:
                instr, data_only = ("param", self.params.index(node.name), None), False
            elif node.name in self.variables:
                instr, data_only = ("var", node.name, None), True
            else:
                raise FormulaError(f"symbol {node.name!r} is neither a parameter nor a variable")
        elif isinstance(node, Neg):
            a = self._emit(node.arg)
            instr, data_only = ("neg", a, None), self.data_only[a]
        elif isinstance(node, Call):
            a = self._emit(node.arg)
            instr, data_only = ("call", a, node.func), self.data_only[a]
        elif isinstance(node, BinOp):
            a, b = self._emit(node.left), self._emit(node.right)
            instr, data_only = (node.op, a, b), self.data_only[a] and self.data_only[b]
        else:  # pragma: no cover
            raise TypeError(f"not an expression node: {node!r}")
        self.instrs.append(instr)
        self.data_only.append(data_only)
        self._index[node] = len(self.instrs) - 1
        return len(self.instrs) - 1

    def bind(self, data: Mapping[str, Array]) -> BoundProgram:
        """Precompute everything that depends only on ``data`` (each ``(P,)``)."""
        return BoundProgram(self, data)


class BoundProgram:
    """A :class:`Program` bound to one set of runs."""

    def __init__(self, program: Program, data: Mapping[str, Array]) -> None:
        self.program = program
        n = {np.asarray(v).shape[0] for v in data.values()}
        self.n_points = n.pop() if n else 1
        self._const: dict[int, Array] = {}
        self._log_base: dict[int, Array] = {}
        regs: dict[int, Dual] = {}
        with np.errstate(all="ignore"):
            for i, (instr, data_only) in enumerate(
                zip(program.instrs, program.data_only, strict=True)
            ):
                if data_only:
                    regs[i] = self._run_one(i, instr, regs, data, 0, _Products())
                    self._const[i] = regs[i].val
        # the value-only path (the solver's inner loop) runs a flat plan of plain-array
        # operations: (operation, first register or parameter, second register, function)
        self._plan: list[tuple[str, int, int, str]] = []
        for i, (kind, a, b) in enumerate(program.instrs):
            x, y = cast(int, a), cast(int, b)
            if i in self._const:
                self._plan.append(("data", i, -1, ""))
            elif kind in ("param", "neg"):
                self._plan.append((kind, x, -1, ""))
            elif kind == "call":
                self._plan.append((kind, x, -1, str(b)))
            elif kind == "**" and program.data_only[x]:
                # log of a data base raised to a fitted power (``N**-alpha``): computed once
                with np.errstate(all="ignore"):
                    self._log_base[i] = np.log(self._const[x])
                self._plan.append(("exp*log", x, y, ""))
            elif kind == "**" and program.data_only[y]:
                self._plan.append(("**const", x, y, ""))
            else:
                self._plan.append((kind, x, y, ""))

    def value(self, theta: Array) -> Array:
        """The law at ``theta`` (``(S, K)`` fitted parameters): an ``(S, P)`` array."""
        theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
        positive = self.program.positive
        regs: list[Array] = []
        with np.errstate(all="ignore"):
            for i, (op, a, b, func) in enumerate(self._plan):
                if op == "data":
                    out = self._const[i]
                elif op == "param":
                    out = theta[:, a : a + 1]
                    out = np.exp(out) if positive[a] else out
                elif op == "neg":
                    out = np.negative(regs[a])
                elif op == "call":
                    out = apply_function(func, Dual(regs[a]), 0).val
                elif op == "exp*log":
                    out = np.exp(np.multiply(regs[b], self._log_base[i]))
                else:
                    out = _VALUE_OPS[op](regs[a], regs[b])
                regs.append(out)
        return np.broadcast_to(regs[self.program.root], (theta.shape[0], self.n_points))

    def derivatives(self, theta: Array, order: int = 2) -> Dual:
        """Value, gradient and (for ``order=2``) Hessian in the fitted parameters.

        Derivatives that do not vary across rows (``d(-alpha)/d alpha``) stay ``(1, 1)`` or
        ``(1, P)`` arrays; every array broadcasts against ``(S, P)``.
        """
        if order == 0:
            return Dual(self.value(theta))
        theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
        regs: dict[int, Dual] = {}
        products = _Products()
        with np.errstate(all="ignore"):
            for i, instr in enumerate(self.program.instrs):
                if i in self._const:
                    regs[i] = Dual(self._const[i])
                else:
                    regs[i] = self._run_one(i, instr, regs, theta, order, products)
        out = regs[self.program.root]
        shape = (theta.shape[0], self.n_points)
        out.val = np.broadcast_to(out.val, shape)
        return out

    def _run_one(
        self, i: int, instr: Instr, regs: dict[int, Dual], src: object, order: int, p: _Products
    ) -> Dual:
        kind, a, b = instr
        if kind == "const":
            return Dual(np.asarray(a, dtype=np.float64))
        if kind == "var":
            assert isinstance(src, Mapping)
            return Dual(np.asarray(src[a], dtype=np.float64)[None, :])
        if kind == "param":
            assert isinstance(src, np.ndarray) and isinstance(a, int)
            col = src[:, a : a + 1]
            if self.program.positive[a]:
                v = np.exp(col)
                return Dual(v, {a: v} if order else {}, {(a, a): v} if order > 1 else {})
            return Dual(col, {a: _ONE} if order else {}, {})
        assert isinstance(a, int)
        x = regs[a]
        if kind == "neg":
            return Dual(-x.val, {k: -v for k, v in x.g.items()}, {k: -v for k, v in x.h.items()})
        if kind == "call":
            return apply_function(str(b), x, order, p)
        assert isinstance(b, int)
        y = regs[b]
        if kind == "+":
            return _add(x, y)
        if kind == "-":
            return _add(x, y, -1.0)
        if kind == "*":
            return _mul(x, y, p)
        if kind == "/":
            inv = 1.0 / y.val
            recip = _unary(
                y, inv, -inv * inv if order else None, 2.0 * inv**3 if order > 1 else None, p
            )
            return _mul(x, recip, p)
        if kind == "**":
            return _power(x, y, order, p, self._log_base.get(i))
        raise AssertionError(kind)  # pragma: no cover


# binary operations of the value-only path, computed exactly as the derivative path does
_VALUE_OPS: dict[str, Callable[[Array, Array], Array]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
    "/": lambda x, y: np.multiply(x, 1.0 / y),
    "**const": np.power,
    "**": lambda x, y: np.exp(y * np.log(x)),
}
_ONE = np.ones((1, 1))  # d theta_k / d theta_k for a parameter fitted as it is; never written
