"""What a reader of a schedule comparison must know with it: each schedule's parts outside
the fitted curves, and estimates their own intervals leave out (a single prediction carries
its own: :attr:`scalinglab.curves.CurvePrediction.notes`)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["comparison"]


def comparison(result: Any, specs: Sequence[str], steps: int, rows: Sequence[Any]) -> list[str]:
    """``curves compare``: each schedule's parts outside the fit, and rows whose estimate
    (loss or gain) is outside its interval."""
    from scalinglab.curves._compare import with_steps  # here: `--help` imports no NumPy

    out = [
        n
        for spec in specs
        for n in result.outside(result.schedule(with_steps(spec, steps)), name=spec)
    ]
    out += [
        f"{r.spec}: the estimate lies outside its interval (the resamples are shifted from "
        "the fit): read the interval"
        for r in rows
        if math.isfinite(r.lower)
        and not (r.lower <= r.loss <= r.upper and r.gain_lower <= r.gain <= r.gain_upper)
    ]
    return list(dict.fromkeys(out))
