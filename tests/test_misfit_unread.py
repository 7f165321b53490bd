"""A law of N alone on a grid of several token counts per model size does not follow the
runs: its warning says why (it ignores tokens, which the runs vary at fixed params) and
which law reads both, not only "its shape does not suit these data"."""

from __future__ import annotations

import scalinglab as sl
from _grid_runs import grid_runs


def test_a_law_of_params_alone_on_a_token_grid_says_it_ignores_tokens() -> None:
    runs = sl.read_runs(grid_runs(), y="final_val_loss")
    fit = sl.fit("power-law", runs, bootstrap=0, extrapolation=False)
    (line,) = [w for w in fit.warnings if w.startswith("the law does not follow the runs")]
    assert line.endswith(
        " — the law reads params alone, and the runs vary in tokens at fixed params (up to 6 "
        "token counts per model size): fit a law of params and tokens instead (law chinchilla, "
        "or auto to choose one by backtest)"
    )
    assert "its shape does not suit" not in line


def test_no_reason_where_the_runs_vary_only_in_what_the_law_reads() -> None:
    """At one token count, or for a law of both, no size varies unread; a law of tokens
    alone ignores the model sizes."""
    from scalinglab.fit._unread import unread_sizes

    runs = sl.read_runs(grid_runs(), y="final_val_loss")
    fixed = runs.select(runs["tokens"] == runs["tokens"].min())
    assert unread_sizes({"N": "params"}, fixed) is None
    assert unread_sizes({"N": "params", "D": "tokens"}, runs) is None
    assert unread_sizes({"D": "tokens"}, runs) == (
        "the law reads tokens alone, and the runs vary in params at fixed tokens (up to 5 "
        "model sizes per token count): fit a law of params and tokens instead (law "
        "chinchilla, or auto to choose one by backtest)"
    )
