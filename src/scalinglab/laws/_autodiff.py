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

A law with its log in closed form (:mod:`._log_form`; Kaplan's) is bound with it, and
:meth:`BoundProgram.derivatives` returns its derivatives instead of the hyper-dual ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import cast

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import FormulaError
from scalinglab.laws._dual import Dual, Products, add, apply_function, mul, power, unary
from scalinglab.laws._expr import BinOp, Call, Const, Expr, Neg, Sym
from scalinglab.laws._log_form import LogForm, ValueForm, dual_from_log

__all__ = ["BoundProgram", "Program"]

Array = NDArray[np.float64]


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

    def bind(
        self,
        data: Mapping[str, Array],
        *,
        log_form: LogForm | None = None,
        value_form: ValueForm | None = None,
    ) -> BoundProgram:
        """Precompute everything that depends only on ``data`` (each ``(P,)``); ``log_form``
        and ``value_form`` are the law's log or value in closed form on the same data, if
        it has one."""
        return BoundProgram(self, data, log_form=log_form, value_form=value_form)


class BoundProgram:
    """A :class:`Program` bound to one set of runs.

    Attributes:
        log_form: The law's log in closed form on these runs, or ``None``: with one,
            :meth:`derivatives` comes from it, and so does the solver's objective in log
            space (:class:`~scalinglab.fit._objective.Objective`).
        value_form: The law's value in closed form on these runs, or ``None``: with one,
            :meth:`value` and :meth:`derivatives` come from it.
    """

    def __init__(
        self,
        program: Program,
        data: Mapping[str, Array],
        *,
        log_form: LogForm | None = None,
        value_form: ValueForm | None = None,
    ) -> None:
        self.program = program
        self.log_form = log_form
        self.value_form = value_form
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
                    regs[i] = self._run_one(i, instr, regs, data, 0, Products())
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
        if self.value_form is not None:
            return self.value_form.value(theta)
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
        ``(1, P)`` arrays; every array broadcasts against ``(S, P)``. With a closed-form
        :attr:`log_form` or :attr:`value_form` they come from it instead.
        """
        if order == 0:
            return Dual(self.value(theta))
        theta = np.atleast_2d(np.asarray(theta, dtype=np.float64))
        if self.value_form is not None:
            return self.value_form.dual(theta, order)
        if self.log_form is not None:
            return dual_from_log(self.log_form, theta, order)
        regs: dict[int, Dual] = {}
        products = Products()
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
        self, i: int, instr: Instr, regs: dict[int, Dual], src: object, order: int, p: Products
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
            return add(x, y)
        if kind == "-":
            return add(x, y, -1.0)
        if kind == "*":
            return mul(x, y, p)
        if kind == "/":
            inv = 1.0 / y.val
            recip = unary(
                y, inv, -inv * inv if order else None, 2.0 * inv**3 if order > 1 else None, p
            )
            return mul(x, recip, p)
        if kind == "**":
            return power(x, y, order, p, self._log_base.get(i))
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
