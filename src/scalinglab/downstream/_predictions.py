"""A chain's prediction for one model as a mapping of tasks that also gives the plain
dictionary ``downstream predict --json`` prints for it: one serializer for both."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scalinglab._json import json_ready
from scalinglab._keyed import Keyed
from scalinglab.downstream._chain_predict import TaskPrediction
from scalinglab.downstream._interval_kind import interval_kind

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit, ModelPrediction

__all__ = ["TaskPredictions", "prediction_dict"]


def prediction_dict(
    chain: DownstreamFit, model: ModelPrediction, *, params: float, tokens: float
) -> dict[str, Any]:
    """One model's prediction as ``downstream predict --json`` gives it: every task (and the
    average, beside them with the tasks it averages), how far it lies outside the fitted
    models, what its intervals are (``interval_kind``, as ``predict --json`` names a loss
    fit's), and what that means as notes and warnings."""
    preds = dict(model.tasks)
    average = preds.pop("average", None) if chain.average is not None else None
    data: dict[str, Any] = {
        "params": params,
        "tokens": tokens,
        "distance": model.distance,
        "below": model.below,  # beside distance, as plan's and predict's JSON carry it
        "via": chain.via,
        "tasks": {k: v.to_dict() for k, v in preds.items()},
        "interval_kind": interval_kind(chain),
    }
    if average is not None and chain.average is not None:
        data["average"] = {**average.to_dict(), "members": list(chain.average.members)}
    # the chain's warnings first, as `predict --fit` carries a fit's: each model stands on them
    warned = dict.fromkeys([*chain.warnings, *model.warnings])
    return data | {"notes": model.notes, "warnings": list(warned)}


class TaskPredictions(Keyed[TaskPrediction]):
    """Each task's prediction by name (and the average's, as ``"average"``), as
    :meth:`DownstreamFit.predict <scalinglab.DownstreamFit.predict>` returns them; an
    unknown task names those there are.

    :meth:`to_dict` is the model's plain dictionary, what ``downstream predict --json``
    prints for it (less the file's ``format`` and ``source``); :attr:`interval_kind` what
    its intervals are: ``"backtest-calibrated"`` (the loss law's measured extrapolation
    error drawn with the resamples), ``"bootstrap"`` or ``"none"``.
    """

    def __init__(
        self, chain: DownstreamFit, model: ModelPrediction, *, params: float, tokens: float
    ) -> None:
        super().__init__(model.tasks.items(), what="task")
        self._dict = prediction_dict(chain, model, params=params, tokens=tokens)
        self.interval_kind: str = self._dict["interval_kind"]

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The model's prediction as ``downstream predict --json`` gives it."""
        return dict(self._dict)
