"""A held-out curve's max ARE that one point (or a few) drives: a loss spike among thousands
of logged points makes the max say ``44%`` of a curve predicted within 0.3% everywhere
else. The backtest keeps the max as it is and says so beside it."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_are, format_g, join_first

__all__ = ["SPIKE", "spike_note"]

#: How many times a curve's 99th percentile error its max must exceed to be a spike's. On
#: the shared curves of Luo et al. (25M and 100M, their protocol's split) a held-out curve's
#: max is at most 1.9x its 99th percentile: a smooth misfit raises both alike, a spike only
#: the max.
SPIKE = 5.0


def spike_note(run: str, steps: NDArray[np.int64], rel: NDArray[np.float64]) -> str:
    """The note for held-out curve ``run`` whose largest relative error (of ``rel``, at
    ``steps``) is more than :data:`SPIKE` times its 99th percentile: which points drive
    it, and the mean error without them; ``""`` otherwise.

    The percentile is the ``lower`` one, a logged error itself, so that the max never sets
    it (a curve of 100 points or fewer: its second largest error or below)."""
    if len(rel) < 2:
        return ""
    p99 = float(np.percentile(rel, 99, method="lower"))
    above = rel > SPIKE * p99
    if not above.any() or above.all():
        return ""
    at = join_first([format_g(float(s)) for s in steps[above]], 3)
    k = int(above.sum())
    which = f"one point, at step {at}," if k == 1 else f"{k} points, at steps {at},"
    return (
        f"{run}: its max ARE {format_are(float(rel.max()))} comes from {which} more than {SPIKE:g}x the "
        f"curve's 99th percentile error ({format_are(p99)}): its mean ARE without "
        f"{'it' if k == 1 else 'them'} is {format_are(float(rel[~above].mean()))} "
        f"({format_are(float(rel.mean()))} with)"
    )
