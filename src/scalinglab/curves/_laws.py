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
from abc import abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from scalinglab.curves._schedules import Schedule
from scalinglab.laws import Param
from scalinglab.laws._base import ParamSpace

__all__ = ["CurveLaw", "PowerS1", "PowerSteps"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]
Prepared = dict[str, Any]


class CurveLaw(ParamSpace):
    """A law ``loss(step; schedule, parameters)``.

    Attributes:
        name: Its name, as ``--law`` and :func:`~scalinglab.curves.get_curve_law` take it.
        citation: The paper it comes from (or ``baseline: ...`` for a reference law).
        formula: The law as a formula in its parameters and the schedule's areas.
    """

    name: str
    citation: str = ""
    formula: str = ""
    # (parameter, value) a ridge pulls toward (scalinglab.curves._ridge); none: no ridge
    ridge_ref: ClassVar[tuple[tuple[str, float], ...]] = ()
    #: What the law does with a warm-up, for the note on a schedule whose warm-up is not
    #: the fitted curves' (:func:`scalinglab.curves._caveats.outside`); "": it reads none.
    warmup_share: ClassVar[str] = ""

    @property
    @abstractmethod
    def params(self) -> tuple[Param, ...]:
        """The parameters, in the order of fitted vectors."""

    @abstractmethod
    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        """Data-only features of each curve's logged ``steps`` under its schedule.

        Args:
            schedules: Each curve's schedule.
            steps: Each curve's steps to evaluate, 0-based.

        Returns:
            The features :meth:`evaluate` reads, every curve's points in order.
        """

    @abstractmethod
    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        """The law's loss, and its derivatives, at parameter vectors.

        Args:
            p: Natural parameter values ``(S, K)``.
            prep: The features :meth:`prepare` gave, of ``n`` points.
            jacobian: Compute ``dL/dp`` too.

        Returns:
            ``(loss, jacobian)``: ``(S, n)`` and ``(S, K, n)``, or ``None`` without ``jacobian``.
        """

    @abstractmethod
    def guess(self, loss: Array) -> dict[str, float]:
        """Values of parameters without a start grid, from the observed losses.

        Args:
            loss: The losses logged.

        Returns:
            Parameter name -> natural value, for each parameter without a grid.
        """

    @property
    def from_warmup(self) -> bool:
        """Whether the law is defined from the end of warm-up alone: a fit leaves out the
        points logged during it (:func:`scalinglab.fit_curves` says so in a note)."""
        return False

    def coarse(self) -> CurveLaw:
        """A cheaper, slightly less exact version of this law for screening starts.

        Returns:
            That law (this one, where there is none cheaper).
        """
        return self

    def to_fitted(self, values: Mapping[str, float]) -> Array:
        """Natural parameter values to the fitted space (a positive one's log).

        Args:
            values: Parameter name -> natural value, every parameter.

        Returns:
            ``(K,)`` in ``param_names`` order.
        """
        out = np.array([float(values[n]) for n in self.param_names])
        for k, p in enumerate(self.params):
            if p.positive:
                out[k] = math.log(out[k])
        return out

    def start_grid(self, loss: Array) -> Array:
        """Starts in the fitted space: the product of the parameters' grids, a parameter
        without one at :meth:`guess`'s value.

        Args:
            loss: The losses logged (for :meth:`guess`).

        Returns:
            ``(S, K)``, one start a row.
        """
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


def _momentum(d: Array, lam: float) -> Array:
    """``m_i = lam·m_{i-1} + d_i`` from ``m_{-1} = 0``, the first-order recursive filter of
    Tissue's S2 (``scipy.signal.lfilter([1], [1, -lam], d)``, whose import costs a second of
    every curves command) in NumPy.

    Within a block, ``m`` is ``lam^k`` times a cumulative sum of ``d_j·lam^-j``; blocks are
    as long as keeps ``|lam|^±k`` within 2 (692 steps at 0.999), so rescaling loses no
    digits; across blocks a loop carries each block's last value (T / 692 of them).
    """
    n = d.size
    if lam == 0.0 or abs(lam) == 1.0:
        size = 1.0 if lam == 0.0 else math.inf  # lam^-k is infinite, or 1 throughout
    else:
        size = math.log(2.0) / abs(math.log(abs(lam)))
    block = int(min(max(size, 1.0), max(n, 1)))
    rows = -(-n // block)
    x = np.zeros(rows * block)
    x[:n] = d
    k = np.arange(block, dtype=np.float64)
    within = np.cumsum(x.reshape(rows, block) * lam**-k, axis=1) * lam**k
    carry = np.zeros(rows)  # m at the end of the block before each
    decay = lam**block
    for b in range(1, rows):
        carry[b] = within[b - 1, -1] + decay * carry[b - 1]
    return (within + carry[:, None] * lam ** (k + 1)).reshape(-1)[:n]


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
    warmup_share: ClassVar[str] = (
        "power-s1 sums the rate over every step, the warm-up's rise included"
    )

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
    warmup_share: ClassVar[str] = ""  # blind to the schedule

    @property
    def params(self) -> tuple[Param, ...]:
        return (_L0, Param("A", positive=True, lower=1e-8, upper=1e8, grid=(0.0, 2.0, 4.0)), _ALPHA)

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        return {"x": np.concatenate([np.asarray(t, float) + 1.0 for t in steps])}
