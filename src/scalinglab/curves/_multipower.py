"""Luo et al. 2025's multi-power law of the loss curve (arXiv:2503.12811, eq. 4-5).

Its loss-drop term is a sum over every earlier step with parameters inside it; it is
evaluated at logged steps in O(log T) atoms each (:mod:`._drop`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab.curves._drop import DropAtoms, drop_atoms
from scalinglab.curves._laws import _A, _ALPHA, _L0, Array, CurveLaw, IntArray, Prepared, _power
from scalinglab.curves._schedules import Schedule
from scalinglab.laws import Param

__all__ = ["MultiPower"]


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
