"""What a chain's prediction interval is, in the words every door uses for it:
``downstream predict`` (its table's header and ``interval_kind`` in its JSON),
``downstream plan`` (:attr:`AccuracyPlan.flops_interval_kind`) and the report's prediction
section, as ``predict`` and ``plan`` name a loss fit's (``Prediction.interval_kind``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit

__all__ = ["interval_kind"]


def interval_kind(chain: DownstreamFit) -> str:
    """``"none"`` without resamples; ``"backtest-calibrated"`` where the loss law's
    extrapolation error was measured (the chain's draws carry it); else ``"bootstrap"``."""
    if not len(chain.loss_step.samples):
        return "none"
    ex = chain.extrapolation
    return "backtest-calibrated" if ex is not None and ex.calibrated else "bootstrap"
