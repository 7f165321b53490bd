"""Laws of the whole loss curve as a function of the learning-rate schedule.

A curve law is not a :class:`~scalinglab.laws.Law`: its loss at step ``t`` depends on the
whole schedule up to ``t`` (the multi-power law's loss drop is a sum over every earlier
step with parameters inside it), not on a few columns of a run. So each law here
*prepares* its schedule features once (prefix sums, drop atoms: data only), then
evaluates value and exact Jacobian for a batch of parameter vectors, which is all the
shared solver (:func:`scalinglab.fit._solver.minimize`) needs; parameters, bounds and
fitted-space conventions are the same :class:`~scalinglab.laws.Param` as every other law.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import scipy.signal
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.curves._drop import DropAtoms, drop_atoms
from scalinglab.curves._schedules import Schedule
from scalinglab.laws import Param

__all__ = [
    "CURVE_LAWS",
    "CurveLaw",
    "MultiPower",
    "PowerS1",
    "PowerSteps",
    "Tissue",
    "get_curve_law",
]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
Prepared = dict[str, Any]


class CurveLaw(ABC):
    """A law ``loss(step; schedule, parameters)``."""

    name: str
    citation: str = ""
    formula: str = ""

    @property
    @abstractmethod
    def params(self) -> tuple[Param, ...]:
        """The parameters, in the order of fitted vectors."""

    @abstractmethod
    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        """Data-only features of each curve's logged ``steps`` under its schedule."""

    @abstractmethod
    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        """Loss ``(S, n)`` at natural parameters ``p`` ``(S, K)``, and ``dL/dp`` ``(S, K, n)``."""

    @abstractmethod
    def guess(self, loss: Array) -> dict[str, float]:
        """Values of parameters without a start grid, from the observed losses."""

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def coarse(self) -> CurveLaw:
        """A cheaper, slightly less exact version of this law for screening starts."""
        return self

    def fitted_bounds(self) -> tuple[Array, Array]:
        lo, hi = zip(*(p.fitted_bounds for p in self.params), strict=True)
        return np.array(lo), np.array(hi)

    def to_natural(self, theta: Array) -> Array:
        out = np.array(theta, dtype=np.float64, copy=True)
        for k, p in enumerate(self.params):
            if p.positive:
                out[..., k] = np.exp(out[..., k])
        return out

    def to_fitted(self, values: Mapping[str, float]) -> Array:
        out = np.array([float(values[n]) for n in self.param_names])
        for k, p in enumerate(self.params):
            if p.positive:
                out[k] = math.log(out[k])
        return out

    def start_grid(self, loss: Array) -> Array:
        """Starts in the fitted space: the product of the parameters' grids."""
        guess = self.guess(loss)
        axes = []
        for p in self.params:
            if p.grid:
                axes.append(np.array(p.grid))
            else:
                v = guess[p.name]
                axes.append(np.array([math.log(v) if p.positive else v]))
        mesh = np.meshgrid(*axes, indexing="ij")
        return np.stack([m.ravel() for m in mesh], axis=1)


def _forward_area(s: Schedule, steps: IntArray) -> Array:
    """``S1`` of Tissue et al.: the learning rate summed over steps ``0..step``."""
    return np.cumsum(s.lr)[steps]


def _power(p: Array, x: Array, jacobian: bool, n_params: int) -> tuple[Array, Array | None]:
    """``L0 + A·x^-alpha`` and its derivatives in the first three parameters."""
    L0, A, alpha = p[:, 0:1], p[:, 1:2], p[:, 2:3]
    with np.errstate(all="ignore"):
        lx = np.log(x)[None, :]
        xa = np.exp(-alpha * lx)
    val = L0 + A * xa
    if not jacobian:
        return val, None
    jac = np.zeros((p.shape[0], n_params, len(x)))
    jac[:, 0] = 1.0
    jac[:, 1] = xa
    jac[:, 2] = -A * xa * lx
    return val, jac


_L0 = Param("L0", lower=0.0, description="loss at infinite learning-rate area")
_A = Param(
    "A",
    positive=True,
    lower=1e-8,
    upper=1e6,
    grid=(math.log(0.3), math.log(1.0), math.log(3.0)),
    description="scale of the power law in the learning-rate area",
)
_ALPHA = Param("alpha", lower=0.0, upper=3.0, grid=(0.3, 0.5, 0.7), description="its exponent")


@dataclass(frozen=True)
class PowerS1(CurveLaw):
    """Baseline: ``L = L0 + A·S1^-alpha``, S1 the summed learning rate (no annealing term)."""

    name: str = "power-s1"
    citation: str = (
        "baseline: a power law in the learning-rate area (Tissue et al. 2024 without S2)"
    )
    formula: str = "L0 + A*S1**-alpha"

    @property
    def params(self) -> tuple[Param, ...]:
        return (_L0, _A, _ALPHA)

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        return {
            "x": np.concatenate(
                [_forward_area(s, t) for s, t in zip(schedules, steps, strict=True)]
            )
        }

    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        return _power(p, prep["x"], jacobian, 3)

    def guess(self, loss: Array) -> dict[str, float]:
        return {"L0": 0.9 * float(np.min(loss))}


@dataclass(frozen=True)
class PowerSteps(PowerS1):
    """Baseline: ``L = L0 + A·t^-alpha`` in steps, blind to the schedule."""

    name: str = "power-steps"
    citation: str = "baseline: a power law in steps (Kaplan et al. 2020's L(S) without S_min)"
    formula: str = "L0 + A*step**-alpha"

    @property
    def params(self) -> tuple[Param, ...]:
        return (_L0, Param("A", positive=True, lower=1e-8, upper=1e8, grid=(0.0, 2.0, 4.0)), _ALPHA)

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        return {"x": np.concatenate([np.asarray(t, float) + 1.0 for t in steps])}


@dataclass(frozen=True)
class Tissue(CurveLaw):
    """Tissue et al. 2024, "Scaling Law with Learning Rate Annealing" (arXiv:2408.11029):
    ``L(s) = L0 + A·S1^-alpha - C·S2``.

    ``S1 = sum_{i<=s} eta_i`` is the forward area; ``S2 = sum_{i<=s} m_i`` the annealing
    area with momentum, ``m_i = lambda·m_{i-1} + (eta_{i-1} - eta_i)``, counted after
    warm-up (the warm-up's rising rate is not annealing). ``lambda`` is fixed (the paper's
    0.999), which makes S1 and S2 data: O(T) per curve by a first-order recursive filter.
    """

    lam: float = 0.999
    name: str = "tissue"
    citation: str = "Tissue et al. 2024, Scaling Law with Learning Rate Annealing, arXiv:2408.11029"
    formula: str = "L0 + A*S1**-alpha - C*S2"

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            _L0,
            _A,
            _ALPHA,
            Param(
                "C",
                positive=True,
                lower=1e-8,
                upper=1e6,
                grid=(math.log(0.3), math.log(3.0)),
                description="weight of the annealing area",
            ),
        )

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        s1, s2 = [], []
        for s, t in zip(schedules, steps, strict=True):
            d = np.zeros(s.steps)
            d[s.warmup + 1 :] = s.lr[s.warmup : -1] - s.lr[s.warmup + 1 :]
            m = scipy.signal.lfilter([1.0], [1.0, -self.lam], d)
            s1.append(_forward_area(s, t))
            s2.append(np.cumsum(m)[t])
        return {"x": np.concatenate(s1), "s2": np.concatenate(s2)}

    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        val, jac = _power(p, prep["x"], jacobian, 4)
        val = val - p[:, 3:4] * prep["s2"][None, :]
        if jac is not None:
            jac[:, 3] = -prep["s2"][None, :]
        return val, jac

    def guess(self, loss: Array) -> dict[str, float]:
        return {"L0": 0.9 * float(np.min(loss))}


@dataclass(frozen=True)
class MultiPower(CurveLaw):
    """Luo et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning Rate
    Schedules" (arXiv:2503.12811, eq. 4-5)::

        L(t) = L0 + A·(S1(t) + S_W)^-alpha - LD(t)
        LD(t) = B · sum_{k=1..t} (eta_{k-1} - eta_k) · G(eta_k^-gamma · S_k(t))
        S_k(t) = sum_{tau=k..t} eta_tau,   G(x) = 1 - (C·x + 1)^-beta

    ``t`` counts steps after warm-up (``eta_0`` is the rate at the end of warm-up),
    ``S1(t) = sum_{tau=1..t} eta_tau`` and ``S_W`` the warm-up's summed rate. LD is
    evaluated in O(log T) atoms per logged step (:mod:`._drop`, error bound there).
    """

    exact: int = 4
    per_octave: int = 4
    name: str = "multipower"
    citation: str = (
        "Luo et al. 2025, A Multi-Power Law for Loss Curve Prediction Across "
        "Learning Rate Schedules, arXiv:2503.12811"
    )
    formula: str = "L0 + A*(S1+S_W)**-alpha - B*sum_k (eta_{k-1}-eta_k)*G(eta_k**-gamma*S_k)"

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            _L0,
            _A,
            _ALPHA,
            Param(
                "B",
                positive=True,
                lower=1e-6,
                upper=1e7,
                grid=(math.log(100.0), math.log(1000.0)),
                description="scale of the loss drop",
            ),
            Param(
                "C",
                positive=True,
                lower=1e-6,
                upper=1e6,
                grid=(math.log(0.3), math.log(3.0)),
                description="rate at which a drop is realised",
            ),
            Param(
                "beta",
                lower=1e-3,
                upper=10.0,
                grid=(0.4, 0.8),
                description="exponent of the drop's realisation",
            ),
            Param(
                "gamma",
                lower=-1.0,
                upper=3.0,
                grid=(0.4, 0.7),
                description="how the drop's speed scales with the rate",
            ),
        )

    def coarse(self) -> CurveLaw:
        return replace(self, exact=2, per_octave=1)

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        xs, atoms = [], []
        for s, t in zip(schedules, steps, strict=True):
            eta = s.lr[s.warmup :]
            tt = np.asarray(t, dtype=np.int64) - s.warmup
            if np.any(tt < 0):
                raise ConfigError(
                    f"the multi-power law is defined after warm-up (step {s.warmup} on); "
                    f"got step {int(t[np.argmax(tt < 0)])}"
                )
            P = np.concatenate([[0.0], np.cumsum(eta[1:])])
            xs.append(P[tt] + float(np.sum(s.lr[: s.warmup])))
            atoms.append(drop_atoms(eta, tt, exact=self.exact, per_octave=self.per_octave))
        offsets = np.cumsum([0] + [len(t) for t in steps])
        merged = DropAtoms(
            np.concatenate([a.drop for a in atoms]),
            np.concatenate([a.log_lr for a in atoms]),
            np.concatenate([a.log_area for a in atoms]),
            np.concatenate([a.point + o for a, o in zip(atoms, offsets, strict=False)]),
            int(offsets[-1]),
        )
        return {"x": np.concatenate(xs), "atoms": merged}

    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        val, jac = _power(p, prep["x"], jacobian, 7)
        at: DropAtoms = prep["atoms"]
        if at.n_atoms == 0:
            return val, jac
        B, C, beta, gamma = (p[:, k : k + 1] for k in range(3, 7))
        with np.errstate(all="ignore"):
            u = C * np.exp(at.log_area[None, :] - gamma * at.log_lr[None, :])
            l1u = np.log1p(u)
            pw = np.exp(-beta * l1u)  # (1 + u)^-beta
            if jac is None:
                ld = at.to_points_sum(at.drop * (1.0 - pw))
                return val - B * ld, None
            terms = np.empty((4, *u.shape))
            np.multiply(at.drop, 1.0 - pw, out=terms[0])
            # D·beta·(1+u)^(-beta-1)·u, shared by dL/dC and dL/dgamma
            common = at.drop * beta * pw * u / (1.0 + u)
            np.divide(common, C, out=terms[1])
            np.multiply(at.drop * pw, l1u, out=terms[2])
            np.multiply(common, at.log_lr, out=terms[3])
            sums = at.to_points_sum(terms)
        ld = sums[0]
        jac[:, 3] = -ld
        jac[:, 4] = -B * sums[1]
        jac[:, 5] = -B * sums[2]
        jac[:, 6] = B * sums[3]
        return val - B * ld, jac

    def guess(self, loss: Array) -> dict[str, float]:
        return {"L0": 0.9 * float(np.min(loss))}


#: Curve laws by name.
CURVE_LAWS: Mapping[str, type[CurveLaw]] = {
    "multipower": MultiPower,
    "tissue": Tissue,
    "power-s1": PowerS1,
    "power-steps": PowerSteps,
}


def get_curve_law(law: str | CurveLaw) -> CurveLaw:
    """A curve law from its name (``multipower``, ``tissue``, ``power-s1``, ``power-steps``),
    or ``sized:NAME`` for that law across model sizes (:class:`~._sized.SizedLaw`)."""
    if isinstance(law, CurveLaw):
        return law
    key = law.strip().lower().replace("_", "-")
    if key.startswith("sized:"):
        from scalinglab.curves._sized import SizedLaw

        return SizedLaw(get_curve_law(key.partition(":")[2]))
    if key not in CURVE_LAWS:
        raise ConfigError(f"unknown curve law {law!r}", hint=f"use one of {', '.join(CURVE_LAWS)}")
    return CURVE_LAWS[key]()
