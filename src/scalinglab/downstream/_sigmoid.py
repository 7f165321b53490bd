"""Bhagia et al.'s sigmoid of a task's accuracy against loss, with its ceiling held at or
below 100%.

With the task's chance level known, the floor ``b`` is tied to it and the range ``a`` is
bounded by ``1 − chance``. With ``b`` fitted, bounds on ``a`` and ``b`` each (the solver's
box) would let the ceiling ``a + b`` reach 2, and predictions pass 100%; so the solver fits
``a`` as its share ``u = a / (1 − b)`` of the room above the floor, in ``(1e-4, 1]``: a box
again, and ``a + b = b + u·(1 − b) <= 1``. Only the fitted space changes (:meth:`to_fitted`,
:meth:`to_natural`): coefficients, resamples and files hold ``a`` itself, so a chain saved
before loads and predicts as it did.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from scalinglab.downstream._law_base import _DownstreamLaw
from scalinglab.laws import Param
from scalinglab.laws._autodiff import Program
from scalinglab.laws._downstream_form import SigmoidForm
from scalinglab.laws._expr import Call, Const, Expr, Sym
from scalinglab.laws._log_form import ValueForm

__all__ = ["Sigmoid"]

Array = np.ndarray


@dataclass(frozen=True)
class Sigmoid(_DownstreamLaw):
    """Task accuracy from loss: ``acc = a / (1 + exp(−k·(L − L0))) + b``.

    Bhagia et al. 2024, "Establishing Task Scaling Laws via Compute-Efficient Model Ladders"
    (arXiv:2412.04403), OLMo's model ladder. ``k < 0``: accuracy rises as loss falls, from
    ``b`` (chance) towards the ceiling ``a + b``, held at or below 1. When the task's chance
    level is known, ``b`` is tied to it and only ``a <= 1 − chance``, ``k``, ``L0`` are
    fitted; otherwise ``b`` is fitted too, and ``a`` as its share of ``1 − b`` (module
    docstring).

    Attributes:
        column: The loss column the law reads.
        chance: The task's random-chance accuracy, or NaN to fit ``b``.
    """

    column: str = "loss"
    chance: float = math.nan
    name = "sigmoid"
    citation = (
        "Bhagia et al. 2024, Establishing Task Scaling Laws via Compute-Efficient Model "
        "Ladders (arXiv:2412.04403)"
    )
    target = "accuracy"
    space = "linear"

    @property
    def tied(self) -> bool:
        return not math.isnan(self.chance)

    @property
    def params(self) -> tuple[Param, ...]:
        # untied, a's bounds are its share's, u = a / (1 - b): a itself is at most 1 - b
        top = 1.0 - self.chance if self.tied else 1.0
        described = (
            "range above chance" if self.tied else "range above b (fitted as its share of 1 − b)"
        )
        out = (
            Param("a", lower=1e-4, upper=top, description=described),
            Param("k", lower=-100.0, upper=-1e-3, description="steepness (negative)"),
            Param("L0", lower=0.0, upper=30.0, description="loss at the midpoint"),
        )
        if self.tied:
            return out
        return (*out, Param("b", lower=0.0, upper=1.0, description="accuracy at high loss"))

    @property
    def variables(self) -> Mapping[str, str]:
        return {"L": self.column}

    def expression(self) -> Expr:
        b: Expr = Const(self.chance) if self.tied else Sym("b")
        return Sym("a") / (1.0 + Call("exp", -Sym("k") * (Sym("L") - Sym("L0")))) + b

    @cached_property
    def program(self) -> Program:
        """The law in the fitted space: untied, the solver's ``a`` is the share ``u``, so
        the range is ``u·(1 − b)`` (as :class:`SigmoidForm` computes it)."""
        tree = self.expression()
        if not self.tied:
            share = Sym("a") * (1.0 - Sym("b"))
            tree = share / (1.0 + Call("exp", -Sym("k") * (Sym("L") - Sym("L0")))) + Sym("b")
        positive = [p.positive for p in self.params]
        return Program(tree, params=self.param_names, positive=positive, variables=["L"])

    @property
    def formula(self) -> str:
        b = f"{self.chance:g}" if self.tied else "b"
        return f"acc = a / (1 + exp(-k*(L - L0))) + {b}"

    def to_natural(self, theta: Array) -> Array:
        """Fitted vectors to natural values: untied, ``a = u·(1 − b)``.

        Args:
            theta: Fitted vectors, ``(..., K)`` in ``param_names`` order.

        Returns:
            A new array of ``theta``'s shape holding natural values.
        """
        out = super().to_natural(theta)
        if not self.tied:
            out[..., 0] = out[..., 0] * (1.0 - out[..., 3])
        return out

    def to_fitted(self, values: Mapping[str, float] | Array) -> Array:
        """Natural values to the fitted space: untied, ``u = a / (1 − b)`` (above 1 for a
        ceiling above 100%, as a chain fitted before the ceiling was held may hold).

        Args:
            values: Parameter name -> value, or a ``(..., K)`` array in ``param_names`` order.

        Returns:
            ``(K,)`` for a mapping, else an array of ``values``' shape, in the fitted space.
        """
        out = super().to_fitted(values)
        if not self.tied:
            with np.errstate(divide="ignore", invalid="ignore"):
                out[..., 0] = out[..., 0] / (1.0 - out[..., 3])
        return out

    def value_form(self, data: Mapping[str, Array]) -> ValueForm | None:
        return SigmoidForm(np.asarray(data["L"], dtype=np.float64), self.chance)

    def rows(self, theta: Array, x: Array) -> Array:
        a, k, l0 = (theta[:, i : i + 1] for i in range(3))
        b = self.chance if self.tied else theta[:, 3:4]
        with np.errstate(over="ignore"):
            return np.asarray(a / (1.0 + np.exp(-k * (x - l0))) + b)

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        x = np.asarray(data["L"], dtype=np.float64)
        b = self.chance if self.tied else max(float(np.min(loss)) - 0.01, 0.0)
        a = float(np.clip(np.max(loss) - b + 0.05, 1e-3, 1.0 - b if self.tied else 1.0))
        guess = {"a": a, "k": -5.0 / max(float(np.ptp(x)), 1e-3), "L0": float(np.median(x))}
        if not self.tied:
            guess["a"] = min(a, 1.0 - b)  # the ceiling a + b at most 1
            guess["b"] = b
        return guess

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        x = np.asarray(data["L"], dtype=np.float64)
        guess = self.initial_guess(data, loss)
        span = max(float(np.ptp(x)), 1e-3)
        # a's room: 1 - chance, or 1 - b where b is fitted (a half and 9 tenths of it)
        top = 1.0 - (self.chance if self.tied else guess["b"])
        rows = []
        for a in (guess["a"], 0.5 * top, 0.9 * top):
            for k in (-1.0, -3.0, -10.0, -30.0):
                for q in (-0.5, 0.0, 0.5, 1.0):
                    row = [a, k / span * 3.0, float(np.min(x)) + q * span]
                    if not self.tied:
                        row.append(guess["b"])
                    rows.append(row)
        lo, hi = self.fitted_bounds()
        return np.asarray(np.clip(self.to_fitted(np.array(rows)), lo, hi), dtype=np.float64)
