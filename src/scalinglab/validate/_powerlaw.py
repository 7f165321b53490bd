"""Power laws through compute-optimal points: ``N_opt(C) = k·C^a`` with bootstrap intervals.

Shared by the isoFLOP (approach 2) and envelope (approach 1) analyses. Fits are ordinary
least squares in log10-log10; under ``C = 6·N·D`` the tokens law follows from the params law
exactly (``D_opt = C/(6·N_opt)``: exponent ``1 - a``, prefactor ``1/(6k)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab._errors import keyword_meant
from scalinglab._json import json_ready
from scalinglab._keywords import keywords_checked
from scalinglab.plan import Estimate
from scalinglab.validate import _repr

if TYPE_CHECKING:
    from scalinglab.validate._optimum_at import OptimumAt

__all__ = [
    "AllocationLaws",
    "PowerLawFit",
    "estimate",
    "excludes",
    "fit_power_law",
    "flat",
    "tokens_law",
]

Array = NDArray[np.float64]

_LOG6 = math.log10(6.0)
#: ``at(compute=)``, the command line's word for a budget: Python's is flops=, as everywhere.
_FLOPS = dict.fromkeys(("compute", "budget"), f"{keyword_meant('flops')} It is the budget in FLOPs")


def estimate(value: float, samples: Array | None, level: float) -> Estimate:
    """``value`` with the percentile interval of the finite ``samples`` (NaN without any).

    A percentile interval can exclude its own estimate when the bootstrap distribution is
    shifted from it (a few budgets whose vertex moves far under resampling pull the line);
    an interval that excludes the number it qualifies reads as a contradiction, so it is
    widened to reach the estimate (:func:`excludes` tells a caller to say so).
    """
    finite = samples[np.isfinite(samples)] if samples is not None else np.empty(0)
    if finite.size == 0:
        return Estimate(float(value), math.nan, math.nan)
    lo, hi = np.percentile(finite, [50 * (1 - level), 50 * (1 + level)])
    return Estimate(float(value), float(min(lo, value)), float(max(hi, value)))


def excludes(value: float, samples: Array | None, level: float) -> bool:
    """Whether the plain percentile interval of ``samples`` leaves ``value`` out."""
    finite = samples[np.isfinite(samples)] if samples is not None else np.empty(0)
    if finite.size == 0:
        return False
    lo, hi = np.percentile(finite, [50 * (1 - level), 50 * (1 + level)])
    return not lo <= value <= hi


def flat(name: str, e: Estimate) -> dict[str, float]:
    """``e`` as ``plan --json`` writes an estimate: ``name``, ``name_lower``, ``name_upper``
    (the record holding them says its ``level``). Written ``{"value", "lower", "upper"}``
    under ``name`` before, which no command reads back."""
    return {name: e.value, f"{name}_lower": e.lower, f"{name}_upper": e.upper}


@dataclass(frozen=True)
class PowerLawFit:
    """``quantity_opt(C) = coefficient · C^exponent``, fitted by least squares in log-log.

    Attributes:
        quantity: ``"params"`` (``N_opt``) or ``"tokens"`` (``D_opt``).
        exponent: The exponent with its interval.
        coefficient: The prefactor (the value at ``C = 1`` FLOP) with its interval.
        level: Coverage of the intervals.
        samples: Bootstrap ``(exponent, log10 coefficient)`` pairs, shape ``(m, 2)``.
        reach: The largest compute it was fitted on (NaN: not known), which says how far
            :meth:`predict` extrapolates it.
        floor: The smallest compute it was fitted on (NaN: not known): how far below the
            data :meth:`predict` extrapolates it.
    """

    quantity: str
    exponent: Estimate
    coefficient: Estimate
    level: float
    samples: Array | None = field(default=None, repr=False, compare=False)
    reach: float = math.nan
    floor: float = math.nan

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.power_law(self)

    def __call__(self, flops: ArrayLike) -> Array:
        """The fitted optimum at ``flops``."""
        return self.coefficient.value * np.asarray(flops, dtype=np.float64) ** self.exponent.value

    def predict(self, flops: float) -> Estimate:
        """The optimum at ``flops`` with the bootstrap interval of the fitted power law.

        Args:
            flops: The compute budget C.

        Returns:
            The estimate, its interval NaN without bootstrap samples.
        """
        logc = math.log10(flops)
        value = float(self(flops))
        if self.samples is None:
            return Estimate(value, math.nan, math.nan)
        return estimate(value, 10.0 ** (self.samples[:, 1] + self.samples[:, 0] * logc), self.level)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The power law as plain data.

        Returns:
            A JSON-ready dictionary, ``inf``/NaN as strings.
        """
        return {
            "quantity": self.quantity,
            **flat("exponent", self.exponent),
            **flat("coefficient", self.coefficient),
            "level": self.level,
        }


class AllocationLaws:
    """The exponents of ``N_opt ∝ C^a`` and ``D_opt ∝ C^b``, for the results (isoFLOP,
    envelope) that carry both power laws as ``params_law`` and ``tokens_law``."""

    params_law: PowerLawFit
    tokens_law: PowerLawFit

    @property
    def a(self) -> Estimate:
        """The exponent of ``N_opt ∝ C^a``."""
        return self.params_law.exponent

    @property
    def b(self) -> Estimate:
        """The exponent of ``D_opt ∝ C^b``."""
        return self.tokens_law.exponent

    # one method of both results: help() takes either name, not the two as one call
    @keywords_checked(
        "IsoFLOPResult.at (EnvelopeResult.at)",
        hints=_FLOPS,
        otherwise="the budget in FLOPs, e.g. at(flops=1e23); see help(IsoFLOPResult.at), "
        "the same method as EnvelopeResult.at",
    )
    def at(self, *, flops: float) -> OptimumAt:
        """``N_opt`` and ``D_opt`` at the budget ``flops`` (beyond the data too), each with
        the percentile interval of the bootstrap's own lines ``k_i·C^a_i``
        (:mod:`._optimum_at`; ``isoflop RUNS --at 1e23`` on the command line).

        Args:
            flops: The compute budget C.

        Returns:
            ``N_opt``, ``D_opt`` and their ratio at ``flops``, each with its interval, and
            how far the laws are extrapolated there.
        """
        from scalinglab.validate._optimum_at import optimum_at

        return optimum_at(self.params_law, self.tokens_law, flops)


def _lines(logc: Array, rows: Array) -> tuple[Array, Array, NDArray[np.bool_]]:
    """Least-squares slope and intercept of each row of ``rows`` against ``logc``; NaN
    entries are left out of their row, and rows with fewer than 2 distinct points fail."""
    w = np.isfinite(rows).astype(np.float64)
    y = np.where(w > 0, rows, 0.0)
    count = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        xbar = (w @ logc) / count
        ybar = y.sum(axis=1) / count
        dx = logc[None, :] - xbar[:, None]
        sxx = (w * dx**2).sum(axis=1)
        slopes = (w * dx * (y - ybar[:, None])).sum(axis=1) / sxx
    ok = (count >= 2) & (sxx > 1e-12)
    return slopes, ybar - slopes * xbar, ok


def fit_power_law(
    logc: Array, logq: Array, samples: Array | None, *, quantity: str, level: float
) -> PowerLawFit:
    """Least-squares line ``logq = exponent·logc + log10 coefficient`` (log10 throughout).

    NaN entries of ``logq`` are left out. ``samples`` holds bootstrap values of ``logq`` in
    rows, one resample each; a NaN entry (no usable optimum there in that resample) is left
    out of that row's line, and rows with fewer than 2 distinct points left are dropped.

    Raises:
        ValueError: If ``logq`` has fewer than 2 distinct finite points (callers check first).
    """
    slope, icept, ok = _lines(logc, logq[None, :])
    if not ok[0]:
        raise ValueError("a power law needs at least 2 points at distinct compute")
    boot = None
    if samples is not None and len(samples):
        slopes, intercepts, good = _lines(logc, samples)
        boot = np.column_stack([slopes, intercepts])[good]
    return PowerLawFit(
        quantity=quantity,
        exponent=estimate(float(slope[0]), None if boot is None else boot[:, 0], level),
        coefficient=estimate(
            10.0 ** float(icept[0]), None if boot is None else 10.0 ** boot[:, 1], level
        ),
        level=level,
        samples=boot,
        reach=float(10.0 ** np.max(logc[np.isfinite(logq)])),
        floor=float(10.0 ** np.min(logc[np.isfinite(logq)])),
    )


def tokens_law(params_law: PowerLawFit) -> PowerLawFit:
    """``D_opt = C/(6·N_opt)`` as a power law: exponent ``1 - a``, prefactor ``1/(6·k)``."""
    boot = params_law.samples
    if boot is not None:
        boot = np.column_stack([1.0 - boot[:, 0], -_LOG6 - boot[:, 1]])
    a, k = params_law.exponent, params_law.coefficient
    return PowerLawFit(
        quantity="tokens",
        exponent=Estimate(1.0 - a.value, 1.0 - a.upper, 1.0 - a.lower),
        coefficient=Estimate(1 / (6 * k.value), 1 / (6 * k.upper), 1 / (6 * k.lower)),
        level=params_law.level,
        samples=boot,
        reach=params_law.reach,
        floor=params_law.floor,
    )
