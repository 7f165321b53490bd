"""``N_opt`` and ``D_opt`` at a budget, read off the power laws of an IsoFLOP (Chinchilla
approach 2) or envelope (approach 1) analysis: ``isoflop RUNS --at 1e23`` and
``IsoFLOPResult.at(flops=1e23)``.

The point is the closed form ``k·C^a``. Its interval is not built from the exponent's and
the coefficient's intervals, which are correlated (a steeper line through the same budgets
has a smaller prefactor) and would give a far wider band: each bootstrap resample's own
line, ``k_i·C^a_i``, is evaluated at ``C`` and the percentiles taken over them
(:meth:`PowerLawFit.predict <scalinglab.validate.PowerLawFit.predict>`).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np

from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab._json import json_ready
from scalinglab.data._unit_words import refuse_other_word
from scalinglab.data._units import parse_flops
from scalinglab.plan import Estimate
from scalinglab.validate import _repr
from scalinglab.validate._old_names import OptimumAtAliases
from scalinglab.validate._powerlaw import PowerLawFit, estimate, flat

__all__ = ["OptimumAt", "optimum_at"]


@old_fields(beyond="distance", params="params_opt", tokens="tokens_opt")
@dataclass(frozen=True)
class OptimumAt(OptimumAtAliases):
    """The compute-optimal model size and tokens at one budget, from the power laws.

    Attributes:
        flops: The budget ``C`` in FLOPs.
        params_opt: ``N_opt = k·C^a``, its interval the percentiles of ``k_i·C^a_i`` over
            the bootstrap's (exponent, coefficient) pairs; NaN ends without a bootstrap
            (``params`` before: deprecated; ``params_opt`` as the JSON and a
            :class:`~scalinglab.validate.BudgetFit` name it).
        tokens_opt: ``D_opt = k'·C^b`` likewise (``tokens`` before: deprecated).
        tokens_per_param: ``D_opt/N_opt``, over the same resamples.
        level: Coverage of the intervals.
        distance: Decades outside the budgets the laws were fitted on, beyond the largest or
            below the smallest (0 within them): how far the power laws are extrapolated, as
            a plan's :attr:`~scalinglab.plan.Allocation.distance` (``beyond`` before:
            deprecated).
        below: Whether that is below the smallest budget rather than beyond the largest
            (as a plan's :attr:`Allocation.below <scalinglab.plan.Allocation.below>`).
    """

    flops: float
    params_opt: Estimate
    tokens_opt: Estimate
    tokens_per_param: Estimate
    level: float
    distance: float
    below: bool = False

    def __repr__(self) -> str:  # one line, rounded as a plan's Allocation
        return _repr.optimum_at(self)

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """Flat keys as the IsoFLOP JSON names a budget's optimum (``params_opt``,
        ``params_opt_lower``, ``params_opt_upper``, ``tokens_opt``, ...) and ``plan --json``
        its distance: ``distance`` in decades and ``below``; the old keys ``params``,
        ``params_lower``, ``params_upper``, ``tokens``, ``tokens_lower``, ``tokens_upper``
        and ``beyond`` are written beside them for one release, holding the same numbers.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        return {
            "flops": self.flops,
            **flat("params_opt", self.params_opt),
            **flat("tokens_opt", self.tokens_opt),
            **flat("tokens_per_param", self.tokens_per_param),
            "level": self.level,
            "distance": self.distance,
            "below": self.below,
            # the old keys, kept one release (renamed without a deprecation period)
            **flat("params", self.params_opt),
            **flat("tokens", self.tokens_opt),
            "beyond": self.distance,
        }


def optimum_at(params_law: PowerLawFit, tokens_law: PowerLawFit, flops: object) -> OptimumAt:
    """``N_opt`` and ``D_opt`` at ``flops`` from the two power laws, each with the interval of
    its resampled lines, and how far beyond the compute they were fitted on.

    Raises:
        ConfigError: For a budget that is not a positive, finite number of FLOPs (any real
            number: ``np.float32``, ``np.int64`` too; not ``True``), nor text of one
            (``"1e21"``, ``"1e21 FLOPs"``, as :func:`~scalinglab.data._units.as_quantities`
            reads every Python budget).
    """
    if isinstance(flops, str):  # "1e21", "1e21 FLOPs": read as optimal_allocation reads it
        refuse_other_word(flops, "flops", given=f"flops={flops!r}")  # "1e21 tokens"
        flops = parse_flops(flops) or flops  # text of no number: refused below
    real = isinstance(flops, numbers.Real) and not isinstance(flops, bool | np.bool_)
    # np.float32 as a float: its own arithmetic would round the point
    budget = float(flops) if real else math.nan  # type: ignore[arg-type]
    if not (math.isfinite(budget) and budget > 0):
        raise ConfigError(
            f"flops must be a positive, finite number of FLOPs, got {flops!r}",
            hint="e.g. at(flops=1e23); on the command line: isoflop RUNS --at 1e23",
        )
    flops = budget
    params, tokens = params_law.predict(flops), tokens_law.predict(flops)
    ratio = tokens.value / params.value
    n_pairs, d_pairs = params_law.samples, tokens_law.samples  # row i: resample i's lines
    if n_pairs is not None and d_pairs is not None and len(n_pairs) == len(d_pairs):
        logc = math.log10(flops)
        n_i = 10.0 ** (n_pairs[:, 1] + n_pairs[:, 0] * logc)
        d_i = 10.0 ** (d_pairs[:, 1] + d_pairs[:, 0] * logc)
        per = estimate(ratio, d_i / n_i, params_law.level)
    else:
        per = Estimate(ratio, math.nan, math.nan)
    top, bottom = params_law.reach, params_law.floor
    up = max(0.0, math.log10(flops / top)) if top > 0 else math.nan
    # a budget under the smallest fitted is as much an extrapolation as one past the largest
    down = max(0.0, math.log10(bottom / flops)) if bottom > 0 else 0.0
    distance = down if down > 0 else up
    return OptimumAt(float(flops), params, tokens, per, params_law.level, distance, down > 0)
