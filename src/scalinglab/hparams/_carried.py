"""The fit's warnings that a reading of it carries: a prediction's, a ladder's rungs'."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab.fit._diagnostics import few_resamples_warning
from scalinglab.hparams._unidentified import law_warning

if TYPE_CHECKING:
    from scalinglab.hparams._result import HparamFit

__all__ = ["carried_warnings"]


def carried_warnings(fit: HparamFit) -> tuple[str, ...]:
    """``fit``'s warnings but those a reading says for itself, at its own point and level.

    Dropped: the line on intervals from few resamples at the fit's level (a prediction says
    it at its own level; a ladder shows no intervals) and the laws' identification lines (a
    reading says whether its own value is determined: :func:`~._unidentified.prediction_caveats`).
    """
    drawn = 0 if fit.lr_law.samples is None else len(fit.lr_law.samples)
    fits = few_resamples_warning(drawn, fit.level)
    return tuple(w for w in fit.warnings if w != fits and not law_warning(w))
