"""The built-in laws in one variable: power laws, with and without a constant, and Kaplan's
``L(N)``; the laws of ``N`` and ``D`` are in :mod:`._catalog_nd`.

Each law is a small frozen dataclass: parameters with bounds and start grids, the
expression, an initial guess from the data (a line in log space, as lmfit's
``PowerLawModel.guess`` does), and the paper it comes from.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab.laws._base import Array, Law, Param
from scalinglab.laws._expr import Expr, Sym

__all__ = ["KaplanN", "PowerLaw", "PowerLawPlusConstant", "column_spec", "symbol_for"]

_SYMBOLS = {"params": "N", "tokens": "D", "flops": "C"}

#: Exponent starts for one-variable laws; each paired with the coefficient that puts the
#: curve through the data's geometric mean, so every start is already near the data.
_EXPONENT_STARTS = (0.02, 0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


def symbol_for(column: str) -> str:
    """The conventional symbol of a column: ``N`` for params, ``D`` tokens, ``C`` flops."""
    return _SYMBOLS.get(column, column)


def column_spec(name: str, column: str) -> str:
    """The spec of a law in one column: ``name``, or ``name:column`` beyond ``params``."""
    return name if column == "params" else f"{name}:{column}"


def _loglog_line(x: Array, y: Array) -> tuple[float, float]:
    """Slope and intercept of log y against log x (least squares)."""
    lx, ly = np.log(x), np.log(y)
    if np.ptp(lx) == 0:
        return 0.0, float(np.mean(ly))
    slope, intercept = np.polyfit(lx, ly, 1)
    return float(slope), float(intercept)


def _geomean(x: Array) -> float:
    return float(np.exp(np.mean(np.log(x))))


@dataclass(frozen=True)
class _OneColumnLaw(Law):
    """A law in one run-table column: its spec names the column beyond ``params``
    (``power-law:tokens``), and its variable is the column's symbol (``D``).

    Attributes:
        column: The run-table column the law scales with (``params``, ``tokens``, ``flops``, ...).
    """

    column: str = "params"

    @property
    def spec(self) -> str:
        return column_spec(self.name, self.column)

    @property
    def variables(self) -> Mapping[str, str]:
        return {symbol_for(self.column): self.column}


@dataclass(frozen=True)
class PowerLaw(_OneColumnLaw):
    """Pure power law in one variable: ``L = A * X^-alpha``.

    Hestness et al. 2017, "Deep Learning Scaling is Predictable, Empirically"; with ``X = N``
    this is Kaplan et al. 2020's ``L(N) = (N_c/N)^alpha_N`` written with ``A = N_c^alpha_N``.

    Attributes:
        column: The run-table column the law scales with (``params``, ``tokens``, ``flops``, ...).
    """

    name = "power-law"
    citation = (
        "Hestness et al. 2017, Deep Learning Scaling is Predictable, Empirically (arXiv:1712.00409)"
    )

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        x = symbol_for(self.column)
        return (
            f"alpha: each 10× in {x} multiplies the loss by 10^-alpha (a line of slope -alpha "
            "on log-log axes); the loss falls toward 0, with no floor",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("A", positive=True, description="coefficient"),
            Param("alpha", lower=0.0, upper=5.0, description="exponent"),
        )

    def expression(self) -> Expr:
        x = Sym(symbol_for(self.column))
        return Sym("A") * x ** -Sym("alpha")

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        slope, intercept = _loglog_line(data[symbol_for(self.column)], loss)
        return {"A": math.exp(intercept), "alpha": min(max(-slope, 1e-3), 5.0)}

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        x_gm, l_gm = _geomean(data[symbol_for(self.column)]), _geomean(loss)
        rows = [self.to_fitted(self.initial_guess(data, loss))]
        rows += [np.array([math.log(l_gm) + a * math.log(x_gm), a]) for a in _EXPONENT_STARTS]
        return np.array(rows)


@dataclass(frozen=True)
class PowerLawPlusConstant(_OneColumnLaw):
    """Power law plus an irreducible loss: ``L = E + A * X^-alpha``.

    Henighan et al. 2020, "Scaling Laws for Autoregressive Generative Modeling"
    (arXiv:2010.14701); Hestness et al. 2017.

    Attributes:
        column: The run-table column the law scales with.
    """

    name = "power-law-plus-constant"
    citation = "Henighan et al. 2020, Scaling Laws for Autoregressive Generative Modeling (arXiv:2010.14701)"

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        x = symbol_for(self.column)
        return (
            f"alpha: each 10× in {x} multiplies the reducible loss L - E by 10^-alpha; the "
            "loss falls toward E",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("E", positive=True, description="irreducible loss"),
            Param("A", positive=True, description="coefficient"),
            Param("alpha", lower=0.0, upper=5.0, description="exponent"),
        )

    def expression(self) -> Expr:
        x = Sym(symbol_for(self.column))
        return Sym("E") + Sym("A") * x ** -Sym("alpha")

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        E = 0.5 * float(np.min(loss))
        slope, intercept = _loglog_line(data[symbol_for(self.column)], loss - E)
        return {"E": E, "A": math.exp(intercept), "alpha": min(max(-slope, 1e-3), 5.0)}

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        x_gm, l_min, l_gm = (
            _geomean(data[symbol_for(self.column)]),
            float(np.min(loss)),
            _geomean(loss),
        )
        rows = [self.to_fitted(self.initial_guess(data, loss))]
        for frac, a in itertools.product((0.05, 0.3, 0.6, 0.85, 0.97), _EXPONENT_STARTS):
            E = frac * l_min
            rows.append(np.array([math.log(E), math.log(l_gm - E) + a * math.log(x_gm), a]))
        return np.array(rows)


@dataclass(frozen=True)
class KaplanN(Law):
    """Kaplan et al. 2020's model-size law: ``L(N) = (N_c/N)^alpha_N``.

    "Scaling Laws for Neural Language Models" (arXiv:2001.08361), eq. 1.1; N counts
    non-embedding parameters there.
    """

    name = "kaplan-n"
    citation = (
        "Kaplan et al. 2020, Scaling Laws for Neural Language Models (arXiv:2001.08361), eq. 1.1"
    )

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        return (
            "alpha_N: each 10× in N multiplies the loss by 10^-alpha_N; N_c is the size at "
            "which the loss would be 1, and the loss falls toward 0, with no floor",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("N_c", positive=True, description="critical model size"),
            Param("alpha_N", lower=0.0, upper=5.0, description="model-size exponent"),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"N": "params"}

    def expression(self) -> Expr:
        return (Sym("N_c") / Sym("N")) ** Sym("alpha_N")

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        slope, _ = _loglog_line(data["N"], loss)
        alpha = min(max(-slope, 0.01), 5.0)
        # through the data's centre: log N_c = log N + log L / alpha
        log_nc = math.log(_geomean(data["N"])) + math.log(_geomean(loss)) / alpha
        return {"N_c": math.exp(min(log_nc, 700.0)), "alpha_N": alpha}

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        n_gm, l_gm = _geomean(data["N"]), _geomean(loss)
        rows = [self.to_fitted(self.initial_guess(data, loss))]
        rows += [np.array([math.log(n_gm) + math.log(l_gm) / a, a]) for a in _EXPONENT_STARTS]
        return np.array(rows)
