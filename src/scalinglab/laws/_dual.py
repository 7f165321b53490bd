"""Forward-mode "hyper-dual" arithmetic for :mod:`._autodiff`: each value carries its first
and second derivatives with respect to the fitted parameters, stored sparsely (only the
parameters it depends on), with the rules for sums, products, powers and functions."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import FormulaError

__all__ = ["Dual", "Products", "add", "apply_function", "mul", "power", "unary"]

Array = NDArray[np.float64]


@dataclass(slots=True)
class Dual:
    """A value with sparse first (``g[k]``) and second (``h[k, l]``, ``k <= l``) derivatives."""

    val: Array
    g: dict[int, Array] = field(default_factory=dict)
    h: dict[tuple[int, int], Array] = field(default_factory=dict)


class Products:
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


def add(x: Dual, y: Dual, sign: float = 1.0) -> Dual:
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


def mul(x: Dual, y: Dual, p: Products) -> Dual:
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


def unary(x: Dual, f0: Array, f1: Array | None, f2: Array | None, p: Products) -> Dual:
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


def apply_function(func: str, x: Dual, order: int, p: Products | None = None) -> Dual:
    """``func(x)`` (one of the formula functions) with derivatives up to ``order``."""
    p = Products() if p is None else p
    v = x.val
    if func == "exp":
        e = np.exp(v)
        return unary(x, e, e if order else None, e if order > 1 else None, p)
    if func in ("log", "log10", "log2"):
        scale = {"log": 1.0, "log10": 1 / np.log(10.0), "log2": 1 / np.log(2.0)}[func]
        inv = 1.0 / v
        return unary(
            x,
            scale * np.log(v),
            scale * inv if order else None,
            -scale * inv * inv if order > 1 else None,
            p,
        )
    if func == "sqrt":
        s = np.sqrt(v)
        return unary(x, s, 0.5 / s if order else None, -0.25 / (s * v) if order > 1 else None, p)
    raise FormulaError(f"unknown function {func!r}")  # pragma: no cover - parser guards this


def power(x: Dual, y: Dual, order: int, p: Products, log_x: Array | None = None) -> Dual:
    if not y.g:  # constant exponent: d/dx x^c
        c = y.val
        xc = x.val**c
        if not x.g:
            return Dual(xc)
        f1 = c * x.val ** (c - 1.0) if order else None
        f2 = c * (c - 1.0) * x.val ** (c - 2.0) if order > 1 else None
        return unary(x, xc, f1, f2, p)
    # x**y = exp(y * log x); for data x, log x is precomputed when the program is bound
    log = Dual(log_x) if log_x is not None else apply_function("log", x, order, p)
    return apply_function("exp", mul(y, log, p), order, p)
