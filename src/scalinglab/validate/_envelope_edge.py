"""Which grid values of the envelope sit at the edge of the sizes trained.

At a grid value the lowest curve's size is ``N_opt`` only if models on both sides of it are
clearly worse. Near the optimum the loss is flat in ``N``, so with noisy curves the lowest of
several near-equal runs is chosen by its noise: a run just above the smallest model can win
where the truth is at or below the smallest model. A grid value is therefore at the edge
when the winner is the smallest or largest model reaching that compute (:data:`EDGE`), and
near it (:data:`NEAR_EDGE`) when that model's curve there is within the noise of the
winner's: ``ℓ_edge - ℓ_win <= z·sqrt(s_edge² + s_win²)``, ``z =`` :data:`NOISE_Z`, with ``ℓ``
each curve's level of ``ln loss`` at that compute and ``s`` its standard error, from the
curve's own point-to-point scatter (:mod:`~scalinglab.validate._envelope_noise`) — or when
it is so at a neighbouring compute (:func:`beyond`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from scalinglab._format import format_counted, format_g

__all__ = [
    "EDGE",
    "NEAR_EDGE",
    "NOISE_Z",
    "UNREACHED",
    "USED",
    "beyond",
    "edge_notes",
]

Array = NDArray[np.float64]

USED = "used"
EDGE = "edge"  # the winner is the smallest or largest model reaching, or it is alone there
NEAR_EDGE = "near edge"  # the smallest or largest model reaching is within noise of the winner
UNREACHED = ""  # no curve reaches the grid value
#: Standard deviations of the difference of two runs' ``ln loss`` within which they tie (one
#: sided: about 2% of true ties pass as clear, more where the winner is the luckiest of
#: several near-equal runs, hence :func:`beyond`).
NOISE_Z = 2.0


def beyond(
    small: NDArray[np.bool_], large: NDArray[np.bool_], lo: Array, hi: Array
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """The grid values (B, grid) whose optimum lies at or beyond an edge because another's does.

    ``N_opt`` grows with compute: where it is at or below the smallest model reaching a
    compute (``small``; ``lo`` is that model's log10 N), it is so at every lower compute
    whose smallest model reaching is no smaller, and likewise above the largest (``large``,
    ``hi``) at every higher compute. Without this, one grid value among many at the edge is
    used wherever a run's lucky point makes the smallest model look clearly worse (a true
    tie passes the ``z = 2`` test about 2% of the time).
    """
    below = np.minimum.accumulate(np.where(small, lo, np.inf)[:, ::-1], axis=1)[:, ::-1]
    above = np.maximum.accumulate(np.where(large, hi, -np.inf), axis=1)
    return small | (lo >= below), large | (hi <= above)


def edge_notes(
    *,
    status: tuple[str, ...],
    used: tuple[bool, ...],
    near_small: NDArray[np.bool_],
    near_large: NDArray[np.bool_],
    noise: Array,
) -> tuple[list[str], list[str]]:
    """The notes and warnings on the grid values left out at, or resting near, an edge."""
    notes: list[str] = []
    warnings: list[str] = []
    grid = len(status)
    edge = sum(s == EDGE for s in status)
    if edge:
        notes.append(
            f"{edge} of {grid} grid values not used: the smallest or largest model reaching "
            "that compute is lowest, or fewer than 2 curves reach it"
        )
    near = np.array([s == NEAR_EDGE for s in status])
    if not near.any():
        return notes, warnings
    sides = []
    for word, side in (("smallest", near_small), ("largest", near_large)):
        count = int((near & side).sum())
        if count:
            sides.append(f"the {word} ({count})")
    why = (
        f"{' or '.join(sides)} model reaching that compute is within the noise of the lowest "
        f"curve there ({NOISE_Z:g} standard errors of the difference of their local levels "
        "of ln loss, from each curve's point-to-point scatter, median σ "
        f"{format_g(float(np.median(noise)), 2)}), or is so at a compute beyond it (N_opt grows with "
        "compute)"
    )
    resting = int((near & np.array(used)).sum())
    if resting:
        warnings.append(
            f"the exponent rests on {format_counted(resting, 'grid value')} near an edge of the sizes "
            f"trained: {why}, so the optimum there may lie beyond the sizes trained; without "
            "them no compute range is left where the envelope passes between sizes: train "
            "smaller and larger models, or longer runs, around the optimum"
        )
    else:
        notes.append(
            f"{int(near.sum())} of {grid} grid values not used, near an edge of the sizes "
            f"trained: {why}, so the optimum there may lie beyond the sizes trained"
        )
    return notes, warnings
