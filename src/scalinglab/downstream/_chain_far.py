"""How far a model a chain predicts lies outside its fitted models, in words: the notes and
warnings :meth:`~scalinglab.downstream.DownstreamFit.predict` and ``downstream predict``
give it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._format import format_g

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit

__all__ = ["far_notes"]


def far_notes(
    chain: DownstreamFit, far: float, *, at: Mapping[str, np.ndarray] | None = None
) -> tuple[list[str], list[str]]:
    """How far a predicted model lies outside ``chain``'s fitted models (``far`` decades,
    :meth:`DownstreamFit.distance`), as a note, or as a warning past
    :data:`~scalinglab.fit._diagnostics.FAR` decades (NaN and 0 say nothing), with what
    the interval holds of that distance: the loss law's measured extrapolation error, or
    why not; and, where its tokens per parameter set that distance (the model at ``at``,
    by the loss law's symbols), that the loss interval does not widen for it, as
    ``predict`` and ``plan`` say (:func:`scalinglab.fit._far.ratio_notes`)."""
    from scalinglab.fit._diagnostics import FAR
    from scalinglab.fit._far import ratio_notes, unmeasured_notes

    if not far > 0:
        return [], []
    ex = chain.extrapolation
    # past the farthest its backtests reached, the width is extrapolated too: said as
    # predict says it (the chain's "measured" alone read as if it held out to any distance)
    unmeasured = list(unmeasured_notes(ex, at)) if ex is not None and ex.calibrated and at else []
    if not chain.n_bootstrap:
        holds = (
            "a point prediction (no bootstrap, no interval) that reads the loss law and the "
            "task laws beyond what they were fitted on"
        )
    elif unmeasured:
        holds = (
            "the intervals extend the loss law's extrapolation error measured by its "
            "backtests, and the task laws are read beyond the fitted losses"
        )
    elif ex is not None and ex.calibrated:
        holds = (
            "the intervals hold the loss law's measured extrapolation error, and the task "
            "laws are read beyond the fitted losses"
        )
    else:
        why = "" if ex is None else f": {ex.reason}"
        holds = (
            f"the intervals do not hold the loss law's extrapolation error (not measured{why}), "
            "and the task laws are read beyond the fitted losses"
        )
    text = (
        f"x{format_g(10**far, 3)} ({far:.2f} decades) outside the fitted models in N, D, N·D or "
        f"tokens per parameter: {holds}"
    )
    ratio = [] if ex is None or at is None else list(ratio_notes(ex, at, rows="the model is"))
    # the reach a note, as predict gives it, beside the distance's warning
    return (unmeasured, [text, *ratio]) if far > FAR else ([text, *unmeasured, *ratio], [])
