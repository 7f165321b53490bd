"""What every scaling law is: named parameters with bounds, an expression, a start grid.

A law is written once, as an expression over its parameters and its variables (``N``,
``D``, ``C`` or any column). Everything else — batched evaluation, exact gradients and
Hessians for the solver, the start grid, mapping to run-table columns — follows from that.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.laws._autodiff import BoundProgram, Program
from scalinglab.laws._expr import Expr
from scalinglab.laws._grid import strided_product
from scalinglab.laws._log_form import LogForm, ValueForm

__all__ = ["DEFAULT_COLUMNS", "MAX_GRID", "Law", "Param", "ParamSpace", "strided_product"]

#: The most start points a law's default grid holds; a larger product is strided down to it.
MAX_GRID = 20_000

Array = NDArray[np.float64]

#: Which run-table column a law's variable reads unless the user maps it (``--x N=params``).
DEFAULT_COLUMNS: Mapping[str, str] = {"N": "params", "D": "tokens", "C": "flops"}


@dataclass(frozen=True)
class Param:
    """One parameter of a law.

    Attributes:
        name: Its name in the formula.
        positive: Fitted as its logarithm (so it stays positive), as Hoffmann et al. 2022 do.
        lower: Lower bound in natural units (``-inf`` for none).
        upper: Upper bound in natural units (``inf`` for none).
        grid: Start values in the *fitted* space (the log for positive parameters); empty
            means "start from the law's initial guess from the data".
        description: What the parameter means.
    """

    name: str
    positive: bool = False
    lower: float = -math.inf
    upper: float = math.inf
    grid: tuple[float, ...] = ()
    description: str = ""

    @property
    def fitted_bounds(self) -> tuple[float, float]:
        """Bounds in the fitted space."""
        if self.positive:
            lo = math.log(self.lower) if self.lower > 0 else -math.inf
            hi = math.log(self.upper) if math.isfinite(self.upper) else math.inf
            return lo, hi
        return self.lower, self.upper


class ParamSpace(ABC):
    """Parameters and the space they are fitted in: positive ones as their log.

    Shared by scaling laws (:class:`Law`) and loss-curve laws (``scalinglab.curves``), so
    both map fitted vectors and bounds the same way.
    """

    @property
    @abstractmethod
    def params(self) -> tuple[Param, ...]:
        """The parameters, in the order of fitted vectors."""

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def fitted_bounds(self) -> tuple[Array, Array]:
        """Lower and upper bounds of the fitted vector.

        Returns:
            ``(lower, upper)``, each ``(K,)`` in ``param_names`` order.
        """
        lo, hi = zip(*(p.fitted_bounds for p in self.params), strict=True)
        return np.array(lo, dtype=np.float64), np.array(hi, dtype=np.float64)

    def to_natural(self, theta: Array) -> Array:
        """Fitted vectors to natural parameter values (a positive one's exp).

        Args:
            theta: Fitted vectors, ``(..., K)`` in ``param_names`` order.

        Returns:
            A new array of ``theta``'s shape holding natural values.
        """
        out = np.array(theta, dtype=np.float64, copy=True)
        for k, p in enumerate(self.params):
            if p.positive:
                out[..., k] = np.exp(out[..., k])
        return out


class Law(ParamSpace):
    """A scaling law: ``loss = f(variables; parameters)``.

    Subclasses are small frozen dataclasses that define :attr:`name`, :attr:`citation`,
    :meth:`expression`, :attr:`params` and :meth:`initial_guess`.
    """

    name: str
    citation: str = ""
    #: Significant figures its coefficients are written to: a fit's table, and the warnings
    #: that quote one (:func:`scalinglab._cells.estimate_parts`).
    figures: ClassVar[int] = 5

    @property
    @abstractmethod
    def params(self) -> tuple[Param, ...]:
        """The parameters, in the order of fitted vectors."""

    @property
    @abstractmethod
    def variables(self) -> Mapping[str, str]:
        """Each variable symbol in the formula and the run-table column it reads."""

    @abstractmethod
    def expression(self) -> Expr:
        """The law as an expression tree.

        Returns:
            The tree over :attr:`params` and :attr:`variables` that :attr:`formula` writes.
        """

    @abstractmethod
    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        """A sensible start in natural units, derived from the data.

        Args:
            data: Each variable symbol's values.
            loss: The loss of each run.

        Returns:
            Parameter name -> starting value, in natural units.
        """

    # -- derived -----------------------------------------------------------------------

    @property
    def formula(self) -> str:
        """The law written out."""
        return f"L = {self.expression()}"

    @property
    def spec(self) -> str:
        """The string :func:`scalinglab.get_law` rebuilds this law from."""
        return self.name

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        """What the law's exponents mean, a sentence each, as ``scalinglab laws NAME``
        shows them; empty where the law does not say (a formula)."""
        return ()

    @cached_property
    def program(self) -> Program:
        return Program(
            self.expression(),
            params=self.param_names,
            positive=[p.positive for p in self.params],
            variables=list(self.variables),
        )

    def to_fitted(self, values: Mapping[str, float] | Array) -> Array:
        """Natural parameter values to the fitted space (a positive one's log).

        Args:
            values: Parameter name -> value, or a ``(..., K)`` array in ``param_names`` order.

        Returns:
            ``(K,)`` for a mapping, else an array of ``values``' shape, in the fitted space.
        """
        if isinstance(values, Mapping):
            missing = [n for n in self.param_names if n not in values]
            if missing:
                raise ConfigError(f"law {self.name!r} needs values for {missing}")
            arr = np.array([float(values[n]) for n in self.param_names], dtype=np.float64)
        else:
            arr = np.array(values, dtype=np.float64)
        out = arr.copy()
        with np.errstate(divide="ignore", invalid="ignore"):
            for k, p in enumerate(self.params):
                if p.positive:
                    out[..., k] = np.log(arr[..., k])
        return out

    def bind(self, data: Mapping[str, Array]) -> BoundProgram:
        """Compile this law against variable values (symbol -> ``(P,)`` array), with its
        log or its value in closed form (:meth:`log_form`, :meth:`value_form`) when it has
        one.

        Args:
            data: Each variable symbol's values, ``(P,)`` each.

        Returns:
            The compiled program, which evaluates the law and its derivatives at fitted vectors.
        """
        values = {s: np.asarray(data[s], dtype=np.float64) for s in self.variables}
        return self.program.bind(
            values, log_form=self.log_form(values), value_form=self.value_form(values)
        )

    def log_form(self, data: Mapping[str, Array]) -> LogForm | None:
        """The law's log and its exact derivatives in closed form on ``data``, or ``None``
        (the default) to differentiate the expression with the generic autodiff.

        A hook for laws the autodiff is slow on (:mod:`scalinglab.laws._log_form`): the
        solver's objective takes its residuals and derivatives from the returned form.
        It must equal the expression and the autodiff to rounding.

        Args:
            data: Each variable symbol's values, ``(P,)`` each.

        Returns:
            The closed form, or ``None`` where the law has none.
        """
        return None

    def value_form(self, data: Mapping[str, Array]) -> ValueForm | None:
        """The law's value and its exact derivatives in closed form on ``data``, or ``None``
        (the default): :meth:`log_form`'s hook for laws fitted on linear residuals.

        Args:
            data: Each variable symbol's values, ``(P,)`` each.

        Returns:
            The closed form, or ``None`` where the law has none.
        """
        return None

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        """Starting points in the fitted space, ``(S, K)``: the product of each parameter's
        grid, with the data-driven initial guess for parameters without one, plus the guess.

        Args:
            data: Each variable symbol's values.
            loss: The loss of each run (for the initial guess).

        Returns:
            The ``(S, K)`` starting points, one fitted vector a row.
        """
        guess = self.to_fitted(self.initial_guess(data, loss))
        axes = [p.grid if p.grid else (float(guess[k]),) for k, p in enumerate(self.params)]
        grid = strided_product(axes, MAX_GRID)
        if all(p.grid for p in self.params):
            return grid
        return np.unique(np.vstack([guess[None, :], grid]), axis=0)

    def evaluate(self, params: Mapping[str, float] | Array, data: Mapping[str, Any]) -> Array:
        """The law at natural parameter values for variable values.

        Args:
            params: ``{name: value}`` or an ``(R, K)`` array of natural values.
            data: Variable symbol (``"N"``) or its column (``"params"``) -> values.

        Returns:
            ``(P,)`` for one parameter set, ``(R, P)`` for an array of them.
        """
        values = {}
        for symbol, column in self.variables.items():
            if symbol in data:
                values[symbol] = np.atleast_1d(np.asarray(data[symbol], dtype=np.float64))
            elif column in data:
                values[symbol] = np.atleast_1d(np.asarray(data[column], dtype=np.float64))
            else:
                raise ConfigError(
                    f"law {self.name!r} needs {symbol} (column {column!r}); got {sorted(data)}"
                )
        shapes = {v.shape for v in values.values()}
        if len(shapes) > 1:
            values = dict(zip(values, np.broadcast_arrays(*values.values()), strict=True))
        flat = {k: v.reshape(-1) for k, v in values.items()}
        theta = self.to_fitted(params)
        single = theta.ndim == 1
        out = self.bind(flat).value(np.atleast_2d(theta))
        shape = next(iter(values.values())).shape if values else (1,)
        out = out.reshape((out.shape[0], *shape))
        return out[0] if single else out

    def __call__(self, params: Mapping[str, float] | Array, **data: Any) -> Array:
        """Shorthand for :meth:`evaluate`: ``law(params, N=..., D=...)``."""
        return self.evaluate(params, data)

    def __str__(self) -> str:
        return f"{self.name}: {self.formula}"
