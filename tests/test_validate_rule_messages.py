"""Hold-out and fit-on rules: every refusal names its option both ways (``--holdout ...
(holdout= in Python)``), as ``largest:0``'s does."""

from __future__ import annotations

import pytest
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab import ConfigError
from scalinglab.validate import split_runs


@pytest.mark.parametrize(
    ("holdout", "fit_on", "message"),
    [
        (
            "near-best:0.5",
            None,
            "--holdout 'near-best:0.5' (holdout= in Python): near-best:F keeps the runs within "
            "F times the best run's params at each scale, and F must be at least 1",
        ),
        (
            "top-scales:0",
            None,
            "--holdout 'top-scales:0' (holdout= in Python): top-scales:K holds out the K "
            "largest scales, and K must be at least 1",
        ),
        (
            "top-scales:1",
            "flops<=max/8 & near-best:0.9",
            "--fit-on 'flops<=max/8 & near-best:0.9' (fit_on= in Python): near-best:F keeps",
        ),
    ],
)
def test_special_clauses_name_their_option(holdout: str, fit_on: str | None, message: str) -> None:
    table = sl.read_runs(isoflop_runs(seed=0))
    with pytest.raises(ConfigError) as err:
        split_runs(table, holdout, fit_on=fit_on)
    assert err.value.message.startswith(message)
