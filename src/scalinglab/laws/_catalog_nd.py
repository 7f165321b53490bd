"""The built-in laws of model size ``N`` and tokens ``D``: Chinchilla, over-training, and
Kaplan's ``L(N, D)``.

Each law is a small frozen dataclass: parameters with bounds and start grids, the
expression, an initial guess from the data, and the paper it comes from.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from scalinglab.laws._base import Array, Law, Param
from scalinglab.laws._catalog import _geomean
from scalinglab.laws._expr import Expr, Sym
from scalinglab.laws._kaplan_form import KaplanLogForm
from scalinglab.laws._log_form import LogForm

__all__ = ["Chinchilla", "KaplanND", "OverTraining"]


@dataclass(frozen=True)
class Chinchilla(Law):
    """Chinchilla's parametric loss: ``L(N, D) = E + A/N^alpha + B/D^beta``.

    Hoffmann et al. 2022, "Training Compute-Optimal Large Language Models", Approach 3; fitted
    as there and in the Epoch replication (Besiroglu et al. 2024): Huber loss on log-loss
    residuals with ``A = e^a, B = e^b, E = e^e``. The default start grid is the
    replication's: alpha, beta in {0, .5, 1, 1.5, 2}, e in {-1, -.5, 0, .5, 1},
    a, b in {0, 5, ..., 25} (4,500 starts).
    """

    name = "chinchilla"
    citation = (
        "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models (arXiv:2203.15556); "
        "fit as in Besiroglu et al. 2024, Chinchilla Scaling: A replication attempt (arXiv:2404.10102)"
    )

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        return (
            "alpha: each 10× in N multiplies the model-size term A/N^alpha by 10^-alpha",
            "beta: each 10× in D multiplies the data term B/D^beta by 10^-beta",
            "together: at fixed compute C = 6·N·D the optimum grows as N* ∝ C^(beta/(alpha+"
            "beta)) and D* ∝ C^(alpha/(alpha+beta)) (Hoffmann et al.'s a and b); equal "
            "exponents keep the optimal tokens per parameter the same at every budget",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        coef = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0)
        expo = (0.0, 0.5, 1.0, 1.5, 2.0)
        return (
            Param(
                "E", positive=True, grid=(-1.0, -0.5, 0.0, 0.5, 1.0), description="irreducible loss"
            ),
            Param("A", positive=True, grid=coef, description="model-size coefficient"),
            Param("B", positive=True, grid=coef, description="data coefficient"),
            Param("alpha", lower=0.0, upper=5.0, grid=expo, description="model-size exponent"),
            Param("beta", lower=0.0, upper=5.0, grid=expo, description="data exponent"),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"N": "params", "D": "tokens"}

    def expression(self) -> Expr:
        N, D = Sym("N"), Sym("D")
        return Sym("E") + Sym("A") * N ** -Sym("alpha") + Sym("B") * D ** -Sym("beta")

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        E = 0.8 * float(np.min(loss))
        half = max(_geomean(loss) - E, 1e-3) / 2
        alpha = beta = 0.3
        return {
            "E": E,
            "A": half * _geomean(data["N"]) ** alpha,
            "B": half * _geomean(data["D"]) ** beta,
            "alpha": alpha,
            "beta": beta,
        }


@dataclass(frozen=True)
class OverTraining(Law):
    """The over-training law: ``L(N, D) = E + A/N^alpha + B/D^alpha``, one exponent for both.

    Gadre et al. 2024, "Language models scale reliably with over-training and on downstream
    tasks" (arXiv:2403.08540): Chinchilla's form with ``alpha = beta``, which makes the
    compute-optimal tokens per parameter constant and the loss at a fixed tokens-per-parameter
    ratio a power law in compute. One parameter fewer than Chinchilla, so it extrapolates more
    stably from few sizes. Fitted like Chinchilla (Huber on log-loss residuals, log-space
    coefficients); the start grid is Chinchilla's without its second exponent (900 starts).
    """

    name = "overtraining"
    citation = (
        "Gadre et al. 2024, Language models scale reliably with over-training and on downstream "
        "tasks (arXiv:2403.08540)"
    )

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        return (
            "alpha: each 10× in N multiplies A/N^alpha, and each 10× in D multiplies "
            "B/D^alpha, by 10^-alpha",
            "one exponent for both: at fixed compute N* and D* both grow as C^0.5, so the "
            "compute-optimal tokens per parameter, (B/A)^(1/alpha), is the same at every "
            "budget; at any fixed tokens per parameter the reducible loss falls as C^(-alpha/2)",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        coef = (0.0, 5.0, 10.0, 15.0, 20.0, 25.0)
        return (
            Param(
                "E", positive=True, grid=(-1.0, -0.5, 0.0, 0.5, 1.0), description="irreducible loss"
            ),
            Param("A", positive=True, grid=coef, description="model-size coefficient"),
            Param("B", positive=True, grid=coef, description="data coefficient"),
            Param(
                "alpha",
                lower=0.0,
                upper=5.0,
                grid=(0.0, 0.5, 1.0, 1.5, 2.0),
                description="exponent of both N and D",
            ),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"N": "params", "D": "tokens"}

    def expression(self) -> Expr:
        N, D, alpha = Sym("N"), Sym("D"), Sym("alpha")
        return Sym("E") + Sym("A") * N**-alpha + Sym("B") * D**-alpha

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        E = 0.8 * float(np.min(loss))
        half = max(_geomean(loss) - E, 1e-3) / 2
        alpha = 0.3
        return {
            "E": E,
            "A": half * _geomean(data["N"]) ** alpha,
            "B": half * _geomean(data["D"]) ** alpha,
            "alpha": alpha,
        }


@dataclass(frozen=True)
class KaplanND(Law):
    """Kaplan et al. 2020's joint law: ``L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D``.

    "Scaling Laws for Neural Language Models" (arXiv:2001.08361), eq. 1.5. Not a sum of
    power terms, so the NumPy solver fits it, with its log and derivatives in closed form
    (:mod:`._kaplan_form`).
    """

    name = "kaplan"
    citation = (
        "Kaplan et al. 2020, Scaling Laws for Neural Language Models (arXiv:2001.08361), eq. 1.5"
    )

    @property
    def exponent_notes(self) -> tuple[str, ...]:
        return (
            "alpha_N: with data unlimited the law is (N_c/N)^alpha_N (eq. 1.1): each 10× in "
            "N multiplies the loss by 10^-alpha_N",
            "alpha_D: with model size unlimited it is (D_c/D)^alpha_D (eq. 1.2)",
            "alpha_N/alpha_D: the data a model of size N needs to avoid overfitting grows as "
            "D ∝ N^(alpha_N/alpha_D)",
        )

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            Param("N_c", positive=True, description="critical model size"),
            Param("alpha_N", lower=0.0, upper=5.0, description="model-size exponent"),
            Param("D_c", positive=True, description="critical data size"),
            Param("alpha_D", lower=1e-4, upper=5.0, description="data exponent"),
        )

    @property
    def variables(self) -> Mapping[str, str]:
        return {"N": "params", "D": "tokens"}

    def expression(self) -> Expr:
        aN, aD = Sym("alpha_N"), Sym("alpha_D")
        return ((Sym("N_c") / Sym("N")) ** (aN / aD) + Sym("D_c") / Sym("D")) ** aD

    def initial_guess(self, data: Mapping[str, Array], loss: Array) -> dict[str, float]:
        return self._start(data, loss, 0.076, 0.095, 0.5)

    def log_form(self, data: Mapping[str, Array]) -> LogForm | None:
        return KaplanLogForm.bind(data["N"], data["D"])

    def _start(
        self, data: Mapping[str, Array], loss: Array, aN: float, aD: float, f: float
    ) -> dict[str, float]:
        means = (_geomean(loss), _geomean(data["N"]), _geomean(data["D"]))
        return _kaplan_start(*means, aN, aD, f)

    def start_grid(self, data: Mapping[str, Array], loss: Array) -> Array:
        # the data's geometric means once for the 125 starts, not once per start
        means = (_geomean(loss), _geomean(data["N"]), _geomean(data["D"]))
        rows = [
            list(_kaplan_start(*means, aN, aD, f).values())
            for aN, aD, f in itertools.product(
                (0.02, 0.05, 0.1, 0.2, 0.5), (0.02, 0.05, 0.1, 0.3, 0.8), (0.1, 0.3, 0.5, 0.7, 0.9)
            )
        ]
        return self.to_fitted(np.array(rows, dtype=np.float64))


def _kaplan_start(
    loss_gm: float, n_gm: float, d_gm: float, aN: float, aD: float, f: float
) -> dict[str, float]:
    """Kaplan's law through the data's centre (geometric means of loss, N and D), a fraction
    ``f`` of the bracket on the N term and the rest on the D term."""
    bracket = loss_gm ** (1 / aD)
    return {
        "N_c": math.exp(math.log(n_gm) + (aD / aN) * math.log(f * bracket)),
        "alpha_N": aN,
        "D_c": d_gm * (1 - f) * bracket,
        "alpha_D": aD,
    }
