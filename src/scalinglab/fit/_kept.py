"""Which starts go on after the screening steps: per group, the few of lowest objective.

:func:`~scalinglab.fit._merge.screened` (screening on every run) and
:func:`~scalinglab.fit._screen_runs.screened_on` (screening on a subsample of the runs) keep
the same starts of the same candidates, by this one rule.
"""

from __future__ import annotations

import numpy as np

from scalinglab.fit._objective import Array, IntArray

__all__ = ["lowest_per_group"]


def lowest_per_group(
    candidates: IntArray, objective: Array, groups: IntArray, *, keep: int
) -> IntArray:
    """The ``keep`` candidates of lowest objective in each group, ties in start order.

    Args:
        candidates: Indices of the starts that may be kept (the others are not ranked).
        objective: Every start's objective after the screening steps, ``(S,)``.
        groups: Every start's group, ``(S,)``: a row of the objective's weights (a
            resample, a cut), or all 0 for a grid.
        keep: How many to keep of each group (all of a group with fewer candidates).

    Returns:
        The kept starts' indices, ascending.
    """
    ranked = candidates[np.lexsort((candidates, objective[candidates], groups[candidates]))]
    first = np.searchsorted(groups[ranked], groups[ranked], side="left")
    return np.sort(ranked[np.arange(len(ranked)) - first < keep])
