"""Resamples drawn upstream of a fit: the bootstrap of whatever the runs were derived from.

A run table may hold losses derived by another fit (``fit --from-curves``: cooled-down
losses a curve law predicts at checkpoints of a few loss curves). Drawing those runs with
replacement, as :func:`scalinglab.fit` does by default, treats them as measured and
independent; they are neither: each carries the upstream fit's error, and the points
derived from one curve move together. A :class:`Resamples` carries, for each resample
``b`` of the upstream bootstrap, every run's loss as that resample's fit derives it and
its weight as that resample drew it (all runs derived from one curve share the curve's
count); ``fit(..., resamples=...)`` refits resample ``b`` on exactly those, so the one
bootstrap runs through both fits (the upstream one's ``B`` refits and this one's ``B``,
not ``B × B`` as a nested bootstrap would), and the percentile intervals are taken over
them as over any other resamples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scalinglab._defaults import BOOTSTRAP
from scalinglab._errors import ConfigError
from scalinglab._format import format_grouped, join_first
from scalinglab.fit._objective import Array

__all__ = ["KINDS", "RUNS", "Resamples", "drawn", "resamples_label"]

#: :attr:`scalinglab.FitResult.resample` of the default bootstrap: runs drawn with replacement.
RUNS = "runs"
#: What each kind of resample is called where its intervals are shown: a fit's own (runs),
#: and those a curve fit draws (:mod:`scalinglab.curves._bootstrap`), which a fit of the
#: runs derived from the curves refits as they were drawn.
KINDS = {
    RUNS: "resamples",
    "curves": "whole-curve resamples",
    "wild-jackknife": "wild-jackknife resamples",
    "wild": "wild resamples",
    "bayesian": "Bayesian resamples",
}


def resamples_label(n: int, resample: str) -> str:
    """``200 resamples`` (of runs), ``200 whole-curve resamples``: ``n`` resamples of the kind
    ``resample``, as an interval's column header says it."""
    return f"{format_grouped(n)} {KINDS.get(resample, f'{resample} resamples')}"


def drawn(bootstrap: int | None, resamples: Resamples | None) -> int:
    """How many resamples :func:`scalinglab.fit` refits: ``bootstrap``, by default
    :data:`~scalinglab._defaults.BOOTSTRAP` runs drawn, or every one of ``resamples``.

    Raises:
        ConfigError: ``resamples`` that are not :class:`Resamples`, or given with
            ``bootstrap=0`` (a point fit would drop them unsaid) or more than they hold.
    """
    if resamples is None:
        return BOOTSTRAP if bootstrap is None else bootstrap
    if not isinstance(resamples, Resamples):
        raise ConfigError(
            f"resamples must be Resamples, got {type(resamples).__name__}",
            hint="build them with scalinglab.curves.cooldown_resamples(curve_fit, curves)",
        )
    n = len(resamples)
    if bootstrap == 0:
        raise ConfigError(
            f"bootstrap=0 asks for a point fit, and {format_grouped(n)} resamples were given to "
            "refit",
            hint=f"drop bootstrap= to refit all {format_grouped(n)}, or drop resamples= for a "
            "point fit",
        )
    if bootstrap is not None and bootstrap > n:
        raise ConfigError(
            f"bootstrap={bootstrap} asks for more resamples than the {format_grouped(n)} given",
            hint=f"drop bootstrap= to refit all {format_grouped(n)}, or pass bootstrap={n} or "
            "fewer",
        )
    return n if bootstrap is None else bootstrap


@dataclass(frozen=True)
class Resamples:
    """Bootstrap resamples drawn upstream, for :func:`scalinglab.fit` to refit.

    Attributes:
        runs: Run id of each column of :attr:`targets` and :attr:`weights`.
        targets: Loss of each run in each resample, ``(R, runs)`` (not logged).
        weights: Weight of each run in each resample, ``(R, runs)``: how often the
            upstream resample drew what the run was derived from.
        resample: How the upstream bootstrap drew them, as
            :attr:`scalinglab.FitResult.resample` records it (``"curves"``: whole curves).
    """

    runs: tuple[str, ...]
    targets: Array
    weights: Array
    resample: str

    def __post_init__(self) -> None:
        shape = (self.targets.shape[0] if self.targets.ndim == 2 else -1, len(self.runs))
        if self.targets.shape != shape or self.weights.shape != shape or not shape[0]:
            raise ConfigError(
                f"resamples need targets and weights of one shape (resamples, {len(self.runs)} "
                f"runs), got {self.targets.shape} and {self.weights.shape}"
            )
        if not self.resample or self.resample == RUNS:
            raise ConfigError(f"resamples drawn upstream need a name other than {RUNS!r}")

    def __len__(self) -> int:
        return len(self.targets)

    def for_runs(self, runs: Sequence[str], n: int, *, log: bool) -> tuple[Array, Array]:
        """Targets and weights of ``runs``, in their order, from the first ``n`` resamples. A
        loss that is not a finite positive number (a resample whose fit predicts none) weighs
        nothing there (and stands at 1, so that its residual is finite).

        Args:
            runs: The runs fitted, by id.
            n: How many resamples.
            log: Log the targets.

        Returns:
            ``(targets, weights)``, each ``(n, len(runs))``.

        Raises:
            ConfigError: For more resamples than held, or a run without a resampled loss.
        """
        if n > len(self):
            raise ConfigError(
                f"{format_grouped(n)} bootstrap resamples asked for, and the resamples given hold "
                f"{format_grouped(len(self))}",
                hint=f"pass bootstrap={len(self)} or fewer",
            )
        at = {r: i for i, r in enumerate(self.runs)}
        missing = [r for r in runs if r not in at]
        if missing:
            raise ConfigError(
                f"{len(missing)} of the {len(runs)} runs fitted have no resampled loss: "
                + join_first([repr(r) for r in missing], 3),
                hint="build the resamples from the runs fitted (the same run ids)",
            )
        cols = [at[r] for r in runs]
        y, w = self.targets[:n, cols].astype(float), self.weights[:n, cols].astype(float)
        bad = ~(np.isfinite(y) & (y > 0))
        y[bad], w[bad] = 1.0, 0.0
        return (np.log(y) if log else y), w
