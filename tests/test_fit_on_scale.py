"""A ``--fit-on`` rule without a column of its own (``top-scales:2``, ``largest:3``) orders
runs by the split's default scale axis (flops, else params, else tokens, or a law's own
variable), not by the column the ``--holdout`` rule names (``largest:4:params``)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalinglab import ConfigError
from scalinglab.data._readers import to_table
from scalinglab.validate import split_runs


@pytest.fixture
def grid(tmp_path: Path) -> Path:
    """5 model sizes × 4 token counts, no flops column (read as 6·N·D)."""
    params, tokens = np.meshgrid([1e7, 3e7, 1e8, 3e8, 1e9], [2e8, 6e8, 2e9, 6e9], indexing="ij")
    n, d = params.ravel(), tokens.ravel()
    loss = 1.7 + 400 * n**-0.34 + 400 * d**-0.28
    path = tmp_path / "nd.csv"
    pd.DataFrame({"params": n, "tokens": d, "loss": loss}).to_csv(path, index=False)
    return path


def test_fit_on_top_scales_counts_scales_of_flops_not_of_the_holdout_column(grid: Path) -> None:
    table = to_table(grid)
    # by flops the two top scales are 6·1e9·6e9 and 6·(1e9·2e9 ≈ 3e8·6e9): 2 of them are
    # among the 4 largest by params; by params they would be all 4
    with pytest.raises(ConfigError, match=r"both select 2 runs, "):
        split_runs(table, "largest:4:params", fit_on="top-scales:2")


def test_fit_on_rule_selects_by_flops_beside_a_holdout_by_tokens(grid: Path) -> None:
    table = to_table(grid)
    split = split_runs(table, "largest:5:tokens", fit_on="top-scales:2 & tokens<6e9")
    assert split.column == "tokens"  # the hold-out rule's column measures the held out
    # the top 2 scales of flops, less the held-out tokens: the one run (1e9, 2e9); by
    # tokens they would be every run at 2e9 tokens
    assert list(zip(split.fitted["params"], split.fitted["tokens"], strict=True)) == [(1e9, 2e9)]
    assert sorted(split.held_out["tokens"]) == [6e9] * 5


def test_on_runs_with_no_size_the_fit_on_rule_orders_by_the_holdout_predicates_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "x.csv"
    x = np.linspace(1, 6, 20)
    pd.DataFrame({"x": x, "loss": 1 + 3 * np.exp(-0.7 * x)}).to_csv(path, index=False)
    split = split_runs(to_table(path, x={"U": "x"}), "x<2", fit_on="largest:3")
    np.testing.assert_allclose(sorted(split.fitted["x"]), x[-3:])  # the 3 largest x
