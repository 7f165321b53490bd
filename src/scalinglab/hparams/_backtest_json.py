"""A hyperparameter backtest as its JSON holds it: what ``hparams backtest --json`` prints
and ``--out`` saves (:meth:`HparamBacktest.to_dict
<scalinglab.hparams.HparamBacktest.to_dict>`)."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from scalinglab._json import json_ready

if TYPE_CHECKING:
    from scalinglab.hparams._backtest import HparamBacktest

__all__ = ["FORMAT", "backtest_to_dict"]

#: The "format" of the backtest's JSON (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.hparams_backtest/1"


@json_ready
def backtest_to_dict(bt: HparamBacktest) -> dict[str, Any]:
    """The split, the cells kept (``where``) and fitted, the notes and, apart, the
    warnings, how the forms were chosen (``null`` where named), each method's summary and
    its rows, one per (method, held-out cell): ``"held_out"``, and ``"scores"``, their old
    name, kept one release beside it, as ``"train_cells"`` is beside ``"fitted_cells"``."""
    rows = [dataclasses.asdict(s) for s in bt.held_out]
    return {
        "format": FORMAT,
        "source": bt.source,  # as the fit of the same sweep says it
        "holdout": bt.holdout,
        "holdout_description": bt.holdout_description,  # as backtest --json names it
        "where": dict(bt.where),
        "fitted_cells": list(bt.fitted_cells),
        "notes": list(bt.notes),
        "warnings": list(bt.warnings),
        "law_choice": bt.law_choice.to_dict() if bt.law_choice else None,
        "summary": {m: bt.summary(m) for m in bt.methods},
        "held_out": rows,
        "scores": rows,  # the old key of "held_out", kept one release
        "train_cells": list(bt.fitted_cells),  # the old key of "fitted_cells", likewise
    }
