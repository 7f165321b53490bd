"""Choosing a ridge's strength on the training curves alone: a time-split backtest.

The loss at step ``t`` depends only on the schedule up to ``t``, so a curve's prefix is a
valid curve. For each cut (a fraction of the longest training curve's last logged step) the
law is fitted jointly on every training curve's prefix up to the cut, at each strength of
the grid, and predicts the remainder of each curve that has one; a strength's score is the
mean over (cut, curve) of the mean absolute relative error over that remainder. The
strength with the lowest score is chosen (the smallest on a tie). No held-out curve is
used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from scalinglab._defaults import HUBER_DELTA
from scalinglab._deprecated import renamed_robust_loss
from scalinglab._errors import ConfigError
from scalinglab.curves import _repr
from scalinglab.curves._data import Curve
from scalinglab.curves._fit_curves import fit_curves

__all__ = ["RIDGE_CUTS", "RIDGE_GRID", "RidgeChoice", "choose_ridge"]

RIDGE_GRID = (0.0, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3)
RIDGE_CUTS = (0.5, 2 / 3)


@dataclass(frozen=True)
class RidgeChoice:
    """The time-split backtest of each ridge strength.

    Attributes:
        ridge: The strength chosen (lowest score).
        grid: Strengths tried.
        scores: Mean relative error over the held-back remainders, per strength.
        cuts: Steps the curves were cut at.
        coefs: The coefficients fitted at each strength on the first cut's prefixes.
    """

    ridge: float
    grid: tuple[float, ...]
    scores: tuple[float, ...]
    cuts: tuple[int, ...]
    coefs: tuple[dict[str, float], ...]

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.ridge(self)


def choose_ridge(
    curves: Sequence[Curve],
    *,
    law: str = "multipower",
    grid: Sequence[float] = RIDGE_GRID,
    cuts: Sequence[float] = RIDGE_CUTS,
    robust_loss: str | None = None,
    delta: float = HUBER_DELTA,
    loss: str | None = None,
) -> RidgeChoice:
    """Pick the ridge strength of :func:`scalinglab.fit_curves` by a time split of ``curves``.

    Args:
        curves: The training curves (only these are used).
        law: The curve law (one with a ridge reference: the multi-power law).
        grid: Strengths to try.
        cuts: Where to cut, as fractions of the longest curve's last logged step.
        robust_loss: Robust loss of the fits (``None``: ``"huber"``, the default).
        delta: Its scale.
        loss: Deprecated name of ``robust_loss`` (one release; warns).

    Returns:
        The strength with the lowest mean error, and each strength's score.
    """
    robust_loss = renamed_robust_loss(
        robust_loss, loss, call="scalinglab.curves.choose_ridge", default="huber"
    )
    if not curves or not grid or not cuts:
        raise ConfigError(
            "choose_ridge needs curves, a grid of strengths and cuts; one of them is empty",
            hint="pass the training curves, grid=(0, 1e-6, 1e-4) and cuts=(0.5, 2 / 3)",
        )
    last = max(int(c.step[-1]) for c in curves)
    steps = tuple(round(f * last) for f in cuts)
    errors = np.zeros((len(grid), len(steps)))
    first: list[dict[str, float]] = []
    for j, cut in enumerate(steps):
        prefix = [
            replace(c, step=c.step[c.step <= cut], loss=c.loss[c.step <= cut]) for c in curves
        ]
        prefix = [c for c in prefix if len(c)]
        rest = [(c, c.step > cut) for c in curves if np.any(c.step > cut)]
        if not rest:
            raise ConfigError(
                f"no curve has logged points after the cut at step {cut}",
                hint="choose cuts below 1 (fractions of the longest curve's last logged step)",
            )
        for i, lam in enumerate(grid):
            fit = fit_curves(
                prefix, law=law, robust_loss=robust_loss, delta=delta, ridge=float(lam), bootstrap=0
            )
            if j == 0:
                first.append(dict(fit.coefs))
            rel = [
                np.mean(np.abs(fit.predict(c.schedule, steps=c.step[m]).loss / c.loss[m] - 1))
                for c, m in rest
            ]
            errors[i, j] = float(np.mean(rel))
    scores = errors.mean(axis=1)
    best = int(np.argmin(scores))  # the first, i.e. the smallest strength, on a tie
    return RidgeChoice(
        ridge=float(grid[best]),
        grid=tuple(float(g) for g in grid),
        scores=tuple(float(s) for s in scores),
        cuts=steps,
        coefs=tuple(first),
    )
