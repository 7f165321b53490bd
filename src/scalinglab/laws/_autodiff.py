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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

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


def _mul(x: Dual, y: Dual) -> Dual:
    out = Dual(x.val * y.val)
    for k, v in x.g.items():
        out.g[k] = v * y.val
    for k, v in y.g.items():
        out.g[k] = out.g[k] + x.val * v if k in out.g else x.val * v
    for kl, v in x.h.items():
        out.h[kl] = v * y.val
    for kl, v in y.h.items():
        out.h[kl] = out.h[kl] + x.val * v if kl in out.h else x.val * v
    for k, xk in x.g.items():
        for l, yl in y.g.items():
            kl = (k, l) if k <= l else (l, k)
            term = xk * yl if k != l else 2.0 * xk * yl
            out.h[kl] = out.h[kl] + term if kl in out.h else term
    return out


def _unary(x: Dual, f0: Array, f1: Array | None, f2: Array | None) -> Dual:
    """Chain rule for ``f(x)`` given ``f(x), f'(x), f''(x)``."""
    out = Dual(f0)
    if f1 is None:
        return out
    for k, v in x.g.items():
        out.g[k] = f1 * v
    for kl, v in x.h.items():
        out.h[kl] = f1 * v
    if f2 is not None:
        keys = sorted(x.g)
        for i, k in enumerate(keys):
            for l in keys[i:]:
                term = f2 * x.g[k] * x.g[l]
                out.h[(k, l)] = out.h[(k, l)] + term if (k, l) in out.h else term
    return out


def apply_function(func: str, x: Dual, order: int) -> Dual:
    """``func(x)`` (one of the formula functions) with derivatives up to ``order``."""
    v = x.val
    if func == "exp":
        e = np.exp(v)
        return _unary(x, e, e if order else None, e if order > 1 else None)
    if func in ("log", "log10", "log2"):
        scale = {"log": 1.0, "log10": 1 / np.log(10.0), "log2": 1 / np.log(2.0)}[func]
        inv = 1.0 / v
        return _unary(
            x,
            scale * np.log(v),
            scale * inv if order else None,
            -scale * inv * inv if order > 1 else None,
        )
    if func == "sqrt":
        s = np.sqrt(v)
        return _unary(x, s, 0.5 / s if order else None, -0.25 / (s * v) if order > 1 else None)
    raise FormulaError(f"unknown function {func!r}")  # pragma: no cover - parser guards this


def _power(x: Dual, y: Dual, order: int) -> Dual:
    if not y.g:  # constant exponent: d/dx x^c
        c = y.val
        xc = x.val**c
        if not x.g:
            return Dual(xc)
        f1 = c * x.val ** (c - 1.0) if order else None
        f2 = c * (c - 1.0) * x.val ** (c - 2.0) if order > 1 else None
        return _unary(x, xc, f1, f2)
    # x**y = exp(y * log x); for data x this is exp(y * const)
    return apply_function("exp", _mul(y, apply_function("log", x, order)), order)


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
        regs: dict[int, Dual] = {}
        with np.errstate(all="ignore"):
            for i, (instr, data_only) in enumerate(
                zip(program.instrs, program.data_only, strict=True)
            ):
                if data_only:
                    regs[i] = self._run_one(instr, regs, data, 0)
                    self._const[i] = regs[i].val

    def value(self, theta: Array) -> Array:
        """The law at ``theta`` (``(S, K)`` fitted parameters): an ``(S, P)`` array."""
        return self._run(theta, 0).val

    def derivatives(self, theta: Array, order: int = 2) -> Dual:
        """Value, gradient and (for ``order=2``) Hessian in the fitted parameters."""
        return self._run(theta, order)

    def _run(self, theta: Array, order: int) -> Dual:
        theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
        regs: dict[int, Dual] = {}
        with np.errstate(all="ignore"):
            for i, instr in enumerate(self.program.instrs):
                if i in self._const:
                    regs[i] = Dual(self._const[i])
                else:
                    regs[i] = self._run_one(instr, regs, theta, order)
        out = regs[self.program.root]
        shape = (theta.shape[0], self.n_points)
        out.val = np.broadcast_to(out.val, shape)
        return out

    def _run_one(self, instr: Instr, regs: dict[int, Dual], src: object, order: int) -> Dual:
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
            one = np.ones_like(col)
            return Dual(col, {a: one} if order else {}, {})
        assert isinstance(a, int)
        x = regs[a]
        if kind == "neg":
            return Dual(-x.val, {k: -v for k, v in x.g.items()}, {k: -v for k, v in x.h.items()})
        if kind == "call":
            return apply_function(str(b), x, order)
        assert isinstance(b, int)
        y = regs[b]
        if kind == "+":
            return _add(x, y)
        if kind == "-":
            return _add(x, y, -1.0)
        if kind == "*":
            return _mul(x, y)
        if kind == "/":
            inv = 1.0 / y.val
            recip = _unary(
                y, inv, -inv * inv if order else None, 2.0 * inv**3 if order > 1 else None
            )
            return _mul(x, recip)
        if kind == "**":
            return _power(x, y, order)
        raise AssertionError(kind)  # pragma: no cover
