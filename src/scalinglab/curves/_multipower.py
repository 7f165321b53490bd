"""Luo et al. 2025's multi-power law of the loss curve (arXiv:2503.12811, eq. 4-5).

Its loss-drop term is a sum over every earlier step with parameters inside it; it is
evaluated at logged steps in O(1) atoms each, far drops shared by nearby logged steps, so a
curve costs O(T) (:mod:`._drop_linear`, :mod:`._drop`). The atoms' sums run in compiled code
where a build of the compiled solver is installed (:mod:`._drop_compiled`), else in NumPy.

Conventions, and where each comes from (the paper, and the source's code,
``thu-yao-01-luo/MultiPowerLaw`` ``src/models.py``, ``src/data_loader.py``,
``src/utils.py``, ``src/fitting.py``, read through a public copy):

- the schedule is the learning rate of every step, warm-up included, rising linearly from
  0 (``np.linspace(0, peak, warmup)`` in the source; ``peak·s/warmup`` here, equal to the
  shared curves' logged ``lr``);
- ``S1(t) + S_W`` is the cumulative rate of the whole schedule through step ``t``
  (the source's ``cumsum(lrs)[step]``);
- the drop sum runs over *every* step ``k = 1..t``, the warm-up's rising rates included
  (the source's ``lr_gap[1:s+1]``): a rise is a negative drop, so the warm-up adds
  ``B·sum_k (eta_k - eta_{k-1})·G(...)`` to the loss, about ``B·peak`` late in training.
  The paper's equations count ``t`` from the end of warm-up instead; that reading is
  :class:`MultiPowerAfterWarmup` (``multipower-after-warmup``). Only the source's
  convention reproduces its published errors: its published 25M and 100M parameters,
  evaluated here on the six held-out shared schedules, give 0.110% and 0.142% mean
  relative error, as published, against 3.2% and 4.3% under the post-warm-up reading;
- the fit: Huber loss (delta 1e-3) on ``log(loss) - log(pred)``, summed, over every logged
  point of the training curves, raw (no smoothing) - as in the source and as every
  scalinglab law is fitted. The source then runs AdamW for at most 200 steps from one start
  (a grid search on a simplified law, then ``C = 1, beta = gamma = 0.5``); scalinglab solves
  the same objective to its optimum from a start grid, which the source's published
  parameters are not (their objective on the shared 25M training curves is 2.9e-4, ours
  1.4e-4): see ``benchmarks/RESULTS.md``;
- errors: the source's "WorstE" is the *mean over held-out schedules* of each schedule's
  largest relative error (``src/evaluation.py`` averages every metric over files), not
  the largest over all of them; ``benchmarks/curve_accuracy.py`` reports both.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab.curves._drop import DropAtoms, merge_atoms
from scalinglab.curves._drop_compiled import drop_sums
from scalinglab.curves._drop_linear import linear_drop_atoms
from scalinglab.curves._laws import _A, _ALPHA, _L0, Array, CurveLaw, IntArray, Prepared, _power
from scalinglab.curves._schedules import Schedule
from scalinglab.laws import Param

__all__ = ["MultiPower", "MultiPowerAfterWarmup"]


_CHUNK = 1 << 18  # atoms x parameter vectors evaluated at once


@dataclass(frozen=True)
class MultiPower(CurveLaw):
    """Luo et al. 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning Rate
    Schedules" (arXiv:2503.12811, eq. 4-5)::

        L(t) = L0 + A·(S1(t) + S_W)^-alpha - LD(t)
        LD(t) = B · sum_{k=1..t} (eta_{k-1} - eta_k) · G(eta_k^-gamma · S_k(t))
        S_k(t) = sum_{tau=k..t} eta_tau,   G(x) = 1 - (C·x + 1)^-beta

    With ``warmup_drop`` (the default, the source's code) ``t`` and ``k`` count every step
    from 0 and ``S1(t) + S_W`` is the whole schedule's cumulative rate; without it, ``t``
    counts steps after warm-up (``eta_0`` the rate at its end), ``S1(t) = sum_{tau=1..t}
    eta_tau`` and ``S_W`` the warm-up's summed rate (module docstring). LD is evaluated in
    O(1) atoms per logged step (:mod:`._drop_linear`): on the README's fit of the shared 25M
    curves the loss is within 4e-5 absolute, 1.2e-5 relative, of the exact double sum's.

    Two approximations make up that error, and ``exact`` and ``per_octave`` set only the
    first: the drops of the past (a near range of about ``2h`` to ``3h`` steps before each
    logged step, ``h`` twice the logging interval and at least 16; then far ranges shared by
    nearby logged steps) are grouped into blocks by their distance from the step evaluated.
    The second, the far ranges' values at three steps of each window interpolated
    quadratically to its logged steps, is fixed (``._drop_linear.SPREAD``). Measured on a
    2,000-step WSD schedule at every 7th step against the O(T^2) double sum: 9.0e-6 relative
    with the defaults, 3.6e-6 with ``per_octave=16``, and 3.3e-6 with ``exact=10**6,
    per_octave=64`` (every drop its own term: the interpolation's error alone; without it
    that setting matches the double sum to 5e-15). Fits screen their starts with
    ``exact=2, per_octave=1`` (:meth:`coarse`) and polish the best with these.

    Attributes:
        exact: Drops within this many steps of the step evaluated (a logged step, or a
            window's interpolation node) summed one step at a time; farther ones grouped.
        per_octave: Blocks per doubling of that distance beyond ``exact``: each block is one
            term, its drop and the drop-weighted mean of ``S_k(t)`` and ``log eta_k``, so
            the error is second order in the block's relative width (:mod:`._drop`).
        warmup_drop: Count the warm-up's rising rates in the drop sum and ``t`` from step 0,
            as the source's code does; ``False`` is the paper's post-warm-up reading.
    """

    exact: int = 4
    per_octave: int = 4
    warmup_drop: bool = True
    name: str = "multipower"
    citation: str = (
        "Luo et al. 2025, A Multi-Power Law for Loss Curve Prediction Across "
        "Learning Rate Schedules, arXiv:2503.12811"
    )
    formula: str = "L0 + A*(S1+S_W)**-alpha - B*sum_k (eta_{k-1}-eta_k)*G(eta_k**-gamma*S_k)"
    # the source's start for the drop's shape (src/fitting.py): a ridge pulls toward it
    ridge_ref: ClassVar[tuple[tuple[str, float], ...]] = (("C", 1.0), ("beta", 0.5), ("gamma", 0.5))
    warmup_share: ClassVar[str] = (
        "the multi-power law counts the warm-up's rise as a loss of about B·peak"
    )

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

    @property
    def from_warmup(self) -> bool:  # the paper's reading: t counts from the warm-up's end
        return not self.warmup_drop

    def prepare(self, schedules: Sequence[Schedule], steps: Sequence[IntArray]) -> Prepared:
        xs, atoms = [], []
        for s, t in zip(schedules, steps, strict=True):
            t = np.asarray(t, dtype=np.int64)
            if self.warmup_drop:  # the source's code: every step from 1, S1 + S_W = cumsum
                eta, tt = s.lr, t
                xs.append(np.cumsum(s.lr)[t])
            else:
                eta, tt = s.lr[s.warmup :], t - s.warmup
                if np.any(tt < 0):
                    raise ConfigError(
                        f"the multi-power law without warm-up drops is defined after warm-up "
                        f"(step {s.warmup} on); got step {int(t[np.argmax(tt < 0)])}",
                        hint="evaluate it from the end of warm-up on (fit_curves leaves the "
                        "points before out), or use multipower, which counts the warm-up",
                    )
                P = np.concatenate([[0.0], np.cumsum(eta[1:])])
                xs.append(P[tt] + float(np.sum(s.lr[: s.warmup])))
            atoms.append(linear_drop_atoms(eta, tt, exact=self.exact, per_octave=self.per_octave))
        merged = merge_atoms(atoms)
        return {"x": np.concatenate(xs), "atoms": merged}

    def evaluate(self, p: Array, prep: Prepared, *, jacobian: bool) -> tuple[Array, Array | None]:
        val, jac = _power(p, prep["x"], jacobian, 7)
        at: DropAtoms = prep["atoms"]
        if at.n_atoms == 0:
            return val, jac
        B, C, beta, gamma = (p[:, k : k + 1] for k in range(3, 7))
        sums = drop_sums(at, C[:, 0], beta[:, 0], gamma[:, 0], jacobian=jac is not None)
        if sums is None:  # no compiled build: the same sums in NumPy
            slots = _numpy_drop_sums(at, C, beta, gamma, jacobian=jac is not None)
            sums = at.slots_to_points(slots)
        if jac is None:
            return val - B * sums[0], None
        ld = sums[0]
        jac[:, 3] = -ld
        jac[:, 4] = -B * sums[1]
        jac[:, 5] = -B * sums[2]
        jac[:, 6] = B * sums[3]
        return val - B * ld, jac

    def guess(self, loss: Array) -> dict[str, float]:
        return {"L0": 0.9 * float(np.min(loss))}


def _numpy_drop_sums(
    at: DropAtoms, C: Array, beta: Array, gamma: Array, *, jacobian: bool
) -> Array:
    """:func:`._drop_compiled.drop_sums` in NumPy (``C``, ``beta``, ``gamma`` as ``(S, 1)``)
    up to the slots: the slot sums of the drop and, with ``jacobian``, of its three
    derivative terms."""
    # atoms in chunks, so that the work arrays stay in cache whatever T (at T = 1e6 a
    # whole-array pass over 400k atoms x 8 vectors cost 2.7x more per atom)
    acc = np.zeros((4 if jacobian else 1, len(C), at.n_slots))
    for a, b in at.chunks(_CHUNK // max(1, len(C))):
        drop, log_lr = at.drop[a:b], at.log_lr[a:b]
        with np.errstate(all="ignore"):
            u = C * np.exp(at.log_area[None, a:b] - gamma * log_lr[None, :])
            l1u = np.log1p(u)
            pw = np.exp(-beta * l1u)  # (1 + u)^-beta
            terms = np.empty((len(acc), *u.shape))
            np.multiply(drop, 1.0 - pw, out=terms[0])
            if jacobian:
                # D·beta·(1+u)^(-beta-1)·u, shared by dL/dC and dL/dgamma
                common = drop * beta * pw * u / (1.0 + u)
                np.divide(common, C, out=terms[1])
                np.multiply(drop * pw, l1u, out=terms[2])
                np.multiply(common, log_lr, out=terms[3])
        at.add_to_slots(acc, terms, a, b)
    return acc


@dataclass(frozen=True)
class MultiPowerAfterWarmup(MultiPower):
    """The multi-power law as the paper's equations read: sums from the end of warm-up."""

    warmup_drop: bool = False
    name: str = "multipower-after-warmup"
    warmup_share: ClassVar[str] = (
        "multipower-after-warmup counts steps, its areas and its loss drop from the end of "
        "the warm-up"
    )
