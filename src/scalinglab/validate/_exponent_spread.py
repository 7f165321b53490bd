"""How stable each exponent of a fit is across its bootstrap resamples (a comparison's
``exponent_spread``): its interquartile range over the absolute median."""

from __future__ import annotations

import math
import re

import numpy as np

from scalinglab.fit import FitResult

__all__ = ["exponent_spread"]

_EXPONENT_NAME = re.compile(r"^(alpha|beta|gamma|kappa|nu)(_\w+)?$")


def exponent_spread(result: FitResult) -> dict[str, float]:
    """Each exponent's spread over the bootstrap resamples.

    Args:
        result: The fit.

    Returns:
        Exponent -> interquartile range over |median| (NaN under 4 resamples; inf at a
        median of 0).
    """
    law = result.law
    out = {}
    for k, p in enumerate(law.params):
        if "exponent" not in p.description and not _EXPONENT_NAME.match(p.name):
            continue
        if result.samples is None or len(result.samples) < 4:
            out[p.name] = math.nan
            continue
        q1, med, q3 = np.percentile(result.samples[:, k], [25, 50, 75])
        out[p.name] = float((q3 - q1) / abs(med)) if med != 0 else math.inf
    return out
