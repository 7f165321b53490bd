"""``backtest --holdout``'s help defines top-scales:K and near-best:F, and what it says of
them is what the split does (a scale per run of spread sizes, quantile bins where sizes run
together)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab._scales import _RANGE_RUNS, CUT_QUANTILES, SCALE_TOL
from scalinglab.data import RunTable, read_runs
from scalinglab.validate import split_runs


def _holdout_help(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = cli(capsys, "backtest", "--help")
    assert code == 0
    said = re.sub(r"(\w)- (\w)", r"\1-\2", " ".join(out.split()))  # a line broken at 'near-'
    return said[said.index("--holdout RULE") : said.index("--fit-on RULE")]


def test_help_defines_top_scales_and_near_best(capsys: pytest.CaptureFixture[str]) -> None:
    said = _holdout_help(capsys)
    assert "'top-scales:K' (the runs of the K largest scales: sizes (flops, else params, " in said
    assert f"within {SCALE_TOL:g} decades of the next form one" in said
    assert "runs of spread sizes are a scale each and top-scales:1 may hold out one run" in said
    low, high = (round(100 * q) for q in (CUT_QUANTILES[0], CUT_QUANTILES[-1]))
    assert (
        f"where sizes are drawn from a range (one such chain holds most runs, or {_RANGE_RUNS}+ "
        "runs of "
        f"sizes that mostly differ lie within {SCALE_TOL:g} decades of the next at the median"
        in said
    )
    assert (
        f"cut at the {low}th to {high}th percentiles of size, top-scales:1 then holds out about "
        "the top tenth and near-best is refused, a cut being no budget)" in said
    )
    assert (
        "'near-best:F' (at each scale, the runs from 1/F to F times the params of its "
        "lowest-loss run)" in said
    )


def _runs(params: np.ndarray, loss: np.ndarray) -> RunTable:
    return read_runs(pd.DataFrame({"params": params, "tokens": 20 * params, "loss": loss}))


def test_spread_sizes_are_a_scale_each() -> None:
    params = np.array([1e7, 3e7, 1e8, 3e8, 1e9, 3e9])
    split = split_runs(_runs(params, 4 - np.log10(params) / 4), "top-scales:1")
    assert len(split.held_out) == 1 and split.held_out["params"].tolist() == [3e9]


def test_sizes_that_run_together_hold_out_the_top_tenth() -> None:
    # params and tokens log-uniform, as a sweep draws them: most runs chain into one scale
    rng = np.random.default_rng(3)
    params, tokens = 10 ** rng.uniform(7, 9.5, 400), 10 ** rng.uniform(9, 11.5, 400)
    frame = pd.DataFrame({"params": params, "tokens": tokens, "loss": 3.0})
    split = split_runs(read_runs(frame), "top-scales:1")
    flops = 6 * params * tokens
    # the runs at or above the 90th percentile (a run's own value: 41 of 400)
    top = flops >= np.quantile(flops, CUT_QUANTILES[-1], method="lower")
    assert len(split.held_out) == top.sum() == 41
    assert sorted(split.held_out["flops"]) == pytest.approx(sorted(flops[top]), rel=1e-12)


def test_near_best_keeps_runs_within_f_of_the_best_params() -> None:
    # one budget: the loss is lowest at 1e8 params; 1.5x keeps 1e8 and 1.4e8, not 6e7 or 2e8
    params = np.array([5e7, 6e7, 1e8, 1.4e8, 2e8])
    frame = pd.DataFrame(
        {"params": params, "tokens": 1e19 / (6 * params), "loss": [3.1, 3.05, 3.0, 3.02, 3.08]}
    )
    split = split_runs(read_runs(frame), "near-best:1.5")
    assert sorted(split.held_out["params"].tolist()) == [1e8, 1.4e8]
