"""Downstream laws: loss on one distribution from another, and task accuracy from loss.

Each is a :class:`~scalinglab.laws.Law` whose variable is a loss column (``L``), so the one
solver and the one bootstrap of :mod:`scalinglab.fit` fit them like any scaling law.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab.downstream._law_base import _DownstreamLaw
from scalinglab.downstream._sigmoid import Sigmoid
from scalinglab.laws import Param
from scalinglab.laws._downstream_form import ExpErrorForm, LossToLossLogForm
from scalinglab.laws._expr import Call, Expr, Sym
from scalinglab.laws._log_form import LogForm, ValueForm

__all__ = ["DOWNSTREAM_LAWS", "ExponentialError", "LossToLoss", "Sigmoid", "downstream_law"]

Array = np.ndarray


@dataclass(frozen=True)
class LossToLoss(_DownstreamLaw):
    """Shifted power law between two losses: ``L_y = K·(L_x − E_x)^κ + E_y``.

    Brandfonbrener et al. 2024, "Loss-to-Loss Prediction: Scaling Laws for All Datasets"
    (arXiv:2411.12925). ``E_x`` and ``E_y`` are the irreducible losses of the two
    distributions; ``E_x`` must stay below every observed ``L_x``.

    Attributes:
        column: The loss column the law reads (``L_x``).
        floor: Upper bound of ``E_x``: just below the smallest ``L_x`` fitted.
    """

    column: str = "loss"
    floor: float = math.inf
    name = "loss-to-loss"
    citation = (
        "Brandfonbrener et al. 2024, Loss-to-Loss Prediction: Scaling Laws for All Datasets "
        "(arXiv:2411.12925)"
    )
    #: What the law predicts: another loss, fitted on log residuals.
    target = "loss"
    space = "log"
    #: E_x is the floor of the variable L (L_x), not of the predicted loss: the diagnostics
    #: judge it against the smallest L_x (and name E_y's L_y).
    floors: ClassVar[Mapping[str, tuple[str, str]]] = {"E_x": ("L", "L_x"), "E_y": ("", "L_y")}
    #: ``loss2loss fit``'s table writes a coefficient to 4 figures, and its warnings too.
    figures: ClassVar[int] = 4

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("K", positive=True, lower=1e-6, upper=1e6, description="scale"),
            Param("kappa", lower=0.05, upper=20.0, description="power of the shifted loss"),
            Param("E_x", lower=0.0, upper=self.floor, description="irreducible loss of x"),
            Param("E_y", lower=0.0, upper=20.0, description="irreducible loss of y"),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"L": self.column}

    def expression(self) -> Expr:
        return Sym("K") * (Sym("L") - Sym("E_x")) ** Sym("kappa") + Sym("E_y")

    @property
    def formula(self) -> str:
        return "L_y = K*(L_x - E_x)**kappa + E_y"

    def log_form(self, data: Mapping[str, Array]) -> LogForm | None:
        return LossToLossLogForm(np.asarray(data["L"], dtype=np.float64))

    def rows(self, theta: Array, x: Array) -> Array:
        k, kappa, e_x, e_y = (theta[:, i : i + 1] for i in range(4))
        with np.errstate(invalid="ignore"):
            return np.asarray(k * (x - e_x) ** kappa + e_y)

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        x = np.asarray(data["L"], dtype=np.float64)
        e_x = 0.5 * float(np.min(x))
        e_y = 0.5 * float(np.min(loss))
        shifted_x, shifted_y = x - e_x, np.maximum(loss - e_y, 1e-9)
        if np.ptp(np.log(shifted_x)) > 0:
            kappa, logk = np.polyfit(np.log(shifted_x), np.log(shifted_y), 1)
        else:
            kappa, logk = 1.0, float(np.mean(np.log(shifted_y)))
        return {
            "K": math.exp(logk),
            "kappa": float(np.clip(kappa, 0.1, 10.0)),
            "E_x": e_x,
            "E_y": e_y,
        }

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        x = np.asarray(data["L"], dtype=np.float64)
        rows = []
        for fx in (0.0, 0.3, 0.6, 0.8, 0.9):
            for fy in (0.0, 0.3, 0.6, 0.8, 0.9):
                e_x, e_y = fx * float(np.min(x)), fy * float(np.min(loss))
                sx, sy = x - e_x, np.maximum(loss - e_y, 1e-9)
                if np.ptp(np.log(sx)) == 0:
                    continue
                kappa, logk = np.polyfit(np.log(sx), np.log(sy), 1)
                kappa = float(np.clip(kappa, 0.1, 10.0))
                logk = float(np.mean(np.log(sy)) - kappa * np.mean(np.log(sx)))
                rows.append([logk, kappa, e_x, e_y])
        return np.array(rows) if rows else self.to_fitted(self.initial_guess(data, loss))[None]


@dataclass(frozen=True)
class ExponentialError(_DownstreamLaw):
    """Top-1 error from loss: ``Err = ε − k·exp(−γ·L)`` (accuracy = 1 − Err).

    Gadre et al. 2024, "Language models scale reliably with over-training and on downstream
    tasks" (arXiv:2403.08540), eq. 5: error falls towards ``ε − k·exp(−γL)`` as loss falls.

    Attributes:
        column: The loss column the law reads.
    """

    column: str = "loss"
    name = "exp-error"
    citation = (
        "Gadre et al. 2024, Language models scale reliably with over-training and on "
        "downstream tasks (arXiv:2403.08540)"
    )
    target = "error"
    space = "linear"

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("epsilon", lower=0.0, upper=1.0, description="error at zero signal"),
            Param("k", positive=True, lower=1e-8, upper=1e8, description="scale"),
            Param("gamma", lower=1e-3, upper=20.0, description="rate"),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"L": self.column}

    def expression(self) -> Expr:
        return Sym("epsilon") - Sym("k") * Call("exp", -Sym("gamma") * Sym("L"))

    @property
    def formula(self) -> str:
        return "Err = epsilon - k*exp(-gamma*L)"

    def value_form(self, data: Mapping[str, Array]) -> ValueForm | None:
        return ExpErrorForm(np.asarray(data["L"], dtype=np.float64))

    def rows(self, theta: Array, x: Array) -> Array:
        eps, k, gamma = (theta[:, i : i + 1] for i in range(3))
        return np.asarray(eps - k * np.exp(-gamma * x))

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        x = np.asarray(data["L"], dtype=np.float64)
        eps = min(float(np.max(loss)) + 0.02, 1.0)
        gamma = 1.0
        k = max(float(np.mean((eps - loss) * np.exp(gamma * x))), 1e-6)
        return {"epsilon": eps, "k": k, "gamma": gamma}

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        x = np.asarray(data["L"], dtype=np.float64)
        rows = []
        for eps in (float(np.max(loss)) + 0.01, 0.75, 0.9, 1.0):
            eps = min(eps, 1.0)
            for gamma in (0.3, 1.0, 2.0, 4.0):
                k = max(float(np.mean(np.maximum(eps - loss, 1e-4) * np.exp(gamma * x))), 1e-6)
                rows.append([eps, math.log(min(k, 1e8)), gamma])
        return np.array(rows)


#: Laws from loss to a task score, by name.
DOWNSTREAM_LAWS = ("sigmoid", "exp-error", "loss-to-loss")


def downstream_law(
    name: str, *, column: str, chance: float = math.nan, floor: float = math.inf
) -> Sigmoid | ExponentialError | LossToLoss:
    """A downstream law by name, reading loss column ``column``.

    Args:
        name: One of :data:`DOWNSTREAM_LAWS` (``gadre``: ``exp-error``).
        column: The loss column the law reads.
        chance: The sigmoid's chance level (the other laws take none).
        floor: Upper bound of loss-to-loss's ``E_x`` (the other laws take none).

    Returns:
        The law, unfitted.
    """
    if name == "sigmoid":
        return Sigmoid(column=column, chance=chance)
    if name in ("exp-error", "gadre"):
        return ExponentialError(column=column)
    if name == "loss-to-loss":
        return LossToLoss(column=column, floor=floor)
    raise ConfigError(
        f"unknown downstream law {name!r}", hint=f"choose one of {', '.join(DOWNSTREAM_LAWS)}"
    )
