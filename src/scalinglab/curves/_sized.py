"""One curve law across model sizes: level parameters as power laws in ``N``.

The papers fit each model size separately. Here the curves of several sizes are fitted
jointly: the law's shape (its exponents, the loss-drop parameters) is shared, and its
level parameters ``L0`` and ``A`` scale with the run's size ``N``::

    L0(N) = L0 · (N / N_ref)^-l0_N        A(N) = A · (N / N_ref)^-A_N

(``N_ref`` the largest size fitted, so ``L0`` and ``A`` are that size's values). Two sizes
determine each pair exactly; a third tests it. A larger model's whole curve under any
schedule is then a prediction with the same bootstrap as any other fit. Every law here
is ``L0 + A·f(schedule) + g(schedule)``, linear in ``L0`` and ``A``, so the size factors
multiply the base law's own value and Jacobian terms: no law needs rewriting.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_count, format_counted, join_and
from scalinglab.curves._laws import Array, CurveLaw, IntArray, Prepared
from scalinglab.curves._schedules import Schedule
from scalinglab.laws import Param

if TYPE_CHECKING:
    from scalinglab.curves._data import Curve

__all__ = ["SizedLaw", "check_sizes"]


def _default_base() -> CurveLaw:
    from scalinglab.curves._multipower import MultiPower

    return MultiPower()


@dataclass(frozen=True)
class SizedLaw(CurveLaw):
    """``base`` with ``L0`` and ``A`` scaling as powers of the model size.

    Attributes:
        base: The curve law (its first two parameters must be ``L0`` and ``A``).
        n_ref: Reference size ``N_ref`` (set by the fit to the largest size fitted).
        sizes: Model size of each curve, set by :meth:`with_sizes` before preparing.
    """

    base: CurveLaw = field(default_factory=_default_base)
    n_ref: float = 1.0
    sizes: tuple[float, ...] = ()
    name: str = "sized"
    citation: str = "scalinglab: shared shape, L0 and A as power laws in N (not in the papers)"

    def __post_init__(self) -> None:
        if self.base.param_names[:2] != ("L0", "A"):
            raise ConfigError(f"law {self.base.name!r} has no L0 and A to scale with size")
        object.__setattr__(self, "name", f"sized:{self.base.name}")
        object.__setattr__(self, "formula", f"{self.base.formula}, L0 and A ∝ N^-exponent")

    @property
    def params(self) -> tuple[Param, ...]:
        return (
            *self.base.params,
            Param("l0_N", lower=-1.0, upper=2.0, grid=(0.05,), description="L0 ∝ N^-l0_N"),
            Param("A_N", lower=-2.0, upper=3.0, grid=(0.1,), description="A ∝ N^-A_N"),
        )

    def coarse(self) -> CurveLaw:
        return SizedLaw(self.base.coarse(), self.n_ref, self.sizes)

    @property
    def from_warmup(self) -> bool:
        return self.base.from_warmup

    def with_sizes(self, sizes: Sequence[float], n_ref: float | None = None) -> SizedLaw:
        """This law, for curves of these model sizes.

        Args:
            sizes: Each curve's model size N.
            n_ref: The size the base law's ``L0`` and ``A`` are of (default: the largest).

        Returns:
            A new law holding the sizes.

        Raises:
            ConfigError: For a size that is not positive and finite.
        """
        bad = [n for n in sizes if not (n > 0 and math.isfinite(n))]
        if bad:
            raise ConfigError(
                "a fit across sizes needs every curve's model size",
                hint="add a params column, or keep each size's files in a folder named like 25M",
            )
        return SizedLaw(self.base, float(n_ref or max(sizes)), tuple(float(n) for n in sizes))

    def fitted_to(self, sizes: Sequence[float]) -> SizedLaw:
        """:meth:`with_sizes` for a fit: the curves must span two sizes or more, since with
        one the size exponents ``l0_N`` and ``A_N`` move no prediction and would be reported
        at their start values with zero-width intervals.

        Args:
            sizes: Each curve's model size N.

        Returns:
            A new law holding the sizes, of the largest as reference.

        Raises:
            ConfigError: For curves of one size, or a size not positive and finite.
        """
        law = self.with_sizes(sizes)
        distinct = sorted(set(law.sizes))
        if len(distinct) < 2:
            size = format_count(distinct[0])
            raise ConfigError(
                f"law {self.name!r} fits L0 and A as powers of the model size N, and every "
                f"curve is of one size ({size}): l0_N and A_N cannot be fitted",
                hint=f"fit the plain law {self.base.name!r} (--law {self.base.name}), or add "
                "curves of another model size",
            )
        return law

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        if len(self.sizes) != len(schedules):
            raise ConfigError("SizedLaw.with_sizes must give one size per curve")
        prep = dict(self.base.prepare(schedules, steps))
        prep["log_r"] = np.concatenate(
            [
                np.full(len(t), math.log(n / self.n_ref))
                for n, t in zip(self.sizes, steps, strict=True)
            ]
        )
        return prep

    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        K = len(self.base.params)
        base_p = p[:, :K]
        # the base law's own Jacobian gives f = dL/dA; g = L - L0 - A·f
        val, jac = self.base.evaluate(base_p, prep, jacobian=True)
        assert jac is not None
        log_r = prep["log_r"][None, :]
        sL = np.exp(-p[:, K : K + 1] * log_r)
        sA = np.exp(-p[:, K + 1 : K + 2] * log_r)
        L0, A = base_p[:, 0:1], base_p[:, 1:2]
        f = jac[:, 1]
        out = val + L0 * (sL - 1.0) + A * f * (sA - 1.0)
        if not jacobian:
            return out, None
        full = np.zeros((p.shape[0], K + 2, out.shape[1]))
        full[:, :K] = jac
        full[:, 0] = sL
        full[:, 1] = sA * f
        full[:, 2] = jac[:, 2] * sA  # dL/dalpha is A·df/dalpha: scaled with A
        full[:, K] = -L0 * sL * log_r
        full[:, K + 1] = -A * f * sA * log_r
        return out, full

    def guess(self, loss: Array) -> dict[str, float]:
        return self.base.guess(loss)


def check_sizes(name: str, curves: Sequence[Curve]) -> None:
    """Refuse curves without a model size for the law across sizes ``name``, naming them
    and their files, and the column or folder that gives a size.

    Raises:
        ConfigError: Naming the curves whose ``params`` is missing (or not positive).
    """
    bad = [c for c in curves if not (c.params > 0 and math.isfinite(c.params))]
    if not bad:
        return
    runs = [c.run for c in bad][:5] + ["..."] * (len(bad) > 5)
    files = sorted({c.source for c in bad if c.source})
    where = f" ({join_and(files[:3])}{', ...' if len(files) > 3 else ''})" if files else ""
    file = files[0] if len(files) == 1 else "each file"
    some = f"{len(bad)} of the {format_counted(len(curves), 'curve')} " + (
        "has none" if len(bad) == 1 else "have none"
    )
    raise ConfigError(
        f"a fit across sizes ({name}) needs every curve's model size, and "
        f"{some if len(bad) < len(curves) else 'no curve has one'}: {', '.join(runs)}{where}",
        hint=f"add a params column to {file} (one that has another name: --map "
        "params=COLUMN, columns={'params': COLUMN} in Python), or keep each size's files "
        "in a folder named like 25M",
    )
