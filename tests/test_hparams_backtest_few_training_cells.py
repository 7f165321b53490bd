"""A backtest whose held-out cells leave too few to fit a law says so: a sweep of three
cells, the largest held out, leaves two for laws of two parameters, and the refusal named
neither the split nor the holdout option (the fit's own message, as if the sweep were
short)."""

from __future__ import annotations

import pandas as pd
import pytest
from tests._hparam_sweeps import sweep

from scalinglab import backtest_hparams
from scalinglab._errors import TooFewCellsError


def _three_cells() -> pd.DataFrame:
    """Three cells of the synthetic sweep: 100M, 200M and 400M, 30 tokens per parameter."""
    runs = sweep(0)
    keep = (runs["tokens"] == 30.0 * runs["params"]) & (runs["params"] <= 4e8)
    return runs[keep].reset_index(drop=True)


def test_too_few_training_cells_are_said_with_the_split() -> None:
    runs = _three_cells()
    assert runs.groupby(["params", "tokens"]).ngroups == 3
    with pytest.raises(TooFewCellsError) as caught:
        backtest_hparams(runs, lr="lr", batch="bs", batch_unit="sequences", presets=())
    err = caught.value
    assert "a fit needs at least 3" in err.message
    assert err.message.endswith(
        "; the cells held out (the largest model size: 1 cell) leave 2 cells to fit"
    )
    assert err.hint.startswith("hold out fewer cells (--holdout; holdout= in Python)")
