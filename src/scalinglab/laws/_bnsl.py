"""Broken neural scaling law (Caballero et al. 2022) with any number of breaks."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab.laws._base import Array, Law, Param
from scalinglab.laws._catalog import _geomean, _loglog_line, column_spec, symbol_for
from scalinglab.laws._expr import Const, Expr, Sym

__all__ = ["BrokenPowerLaw"]


@dataclass(frozen=True)
class BrokenPowerLaw(Law):
    """Broken neural scaling law with ``breaks`` breaks:

    ``L = a + b * X^-c0 * prod_i (1 + (X/d_i)^(1/f_i))^(-c_i * f_i)``

    Caballero et al. 2022, "Broken Neural Scaling Laws" (arXiv:2210.14891), eq. 1. Each
    break ``i`` changes the slope by ``c_i`` around ``X = d_i``, with sharpness ``f_i``.

    Attributes:
        breaks: Number of breaks (1 or more).
        column: The run-table column the law scales with.
    """

    breaks: int = 1
    column: str = "params"
    name = "bnsl"
    citation = "Caballero et al. 2022, Broken Neural Scaling Laws (arXiv:2210.14891), eq. 1"

    def __post_init__(self) -> None:
        if self.breaks < 1:
            from scalinglab._errors import ConfigError

            raise ConfigError(f"a broken power law needs at least 1 break, got {self.breaks}")

    @property
    def spec(self) -> str:
        name = self.name if self.breaks == 1 else f"{self.name}-{self.breaks}"
        return column_spec(name, self.column)

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        x = symbol_for(self.column)
        return (
            f"c0: before the first break the term b·{x}^-c0 falls by 10^-c0 per 10× in {x}",
            f"c_i: around {x} = d_i (break i) the exponent grows by c_i (a negative c_i "
            "flattens the curve); f_i sets how sharp the break is (smaller is sharper)",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        out = [
            Param("a", positive=True, description="limit of the loss"),
            Param("b", positive=True, description="coefficient"),
            Param("c0", lower=-5.0, upper=5.0, description="exponent before the first break"),
        ]
        for i in range(1, self.breaks + 1):
            out += [
                Param(f"c{i}", lower=-5.0, upper=5.0, description=f"change of slope at break {i}"),
                Param(f"d{i}", positive=True, description=f"location of break {i}"),
                Param(
                    f"f{i}",
                    positive=True,
                    lower=1e-3,
                    upper=1e3,
                    description=f"sharpness of break {i}",
                ),
            ]
        return tuple(out)

    @property
    def variables(self) -> Mapping[str, str]:
        return {symbol_for(self.column): self.column}

    def expression(self) -> Expr:
        x = Sym(symbol_for(self.column))
        term: Expr = Sym("b") * x ** -Sym("c0")
        for i in range(1, self.breaks + 1):
            c, d, f = Sym(f"c{i}"), Sym(f"d{i}"), Sym(f"f{i}")
            term = term * (Const(1.0) + (x / d) ** (Const(1.0) / f)) ** (-(c * f))
        return Sym("a") + term

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        x = data[symbol_for(self.column)]
        a = 0.5 * float(np.min(loss))
        slope, intercept = _loglog_line(x, loss - a)
        guess = {"a": a, "b": math.exp(intercept), "c0": -slope}
        lo, hi = np.log(np.min(x)), np.log(np.max(x))
        for i in range(1, self.breaks + 1):
            guess |= {
                f"c{i}": 0.0,
                f"d{i}": math.exp(lo + (hi - lo) * i / (self.breaks + 1)),
                f"f{i}": 0.3,
            }
        return guess

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        x = data[symbol_for(self.column)]
        x_gm, l_gm, l_min = _geomean(x), _geomean(loss), float(np.min(loss))
        base = self.initial_guess(data, loss)
        rows = [self.to_fitted(base)]
        for frac, c0, c1, f in itertools.product(
            (0.05, 0.3, 0.6, 0.85, 0.97), (0.05, 0.3), (-0.2, 0.0, 0.2, 0.6), (0.1, 1.0)
        ):
            start = dict(base)
            start |= {"a": frac * l_min, "c0": c0, "b": (l_gm - frac * l_min) * x_gm**c0}
            for i in range(1, self.breaks + 1):
                start |= {f"c{i}": c1, f"f{i}": f}
            rows.append(self.to_fitted(start))
        return np.array(rows)
