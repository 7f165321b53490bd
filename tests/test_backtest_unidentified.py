"""A backtest fitted on two model sizes does not identify Chinchilla's E, A and alpha: the
main table, the winner line, the Python result, its JSON and the report's backtest section
say so in the rolling table's words (one check, ``step_unidentified``, decides both)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from rich.console import Console

from scalinglab import backtest, compare, default_runs, rolling_backtest
from scalinglab.cli._backtest_views import _comparison_table, _rolling_table
from scalinglab.report._report_validation import backtest_section

_MARK = "2 model sizes"


def _two_sizes() -> pd.DataFrame:
    """A Chinchilla law with 0.5% noise at 2 model sizes x 5 token counts, and two runs
    held out (top decile by flops) at a larger token count, at the two fitted sizes."""
    rng = np.random.default_rng(1)
    cells = [(n, d) for n in (1e8, 4e8) for d in (2e9, 4e9, 8e9, 1.6e10, 3.2e10)]
    cells += [(4e8, 1.28e11), (1e8, 2.56e11)]
    n, d = np.array(cells).T
    loss = 1.69 + 406.4 / n**0.34 + 410.7 / d**0.28
    return pd.DataFrame(
        {"params": n, "tokens": d, "loss": loss * (1 + rng.normal(0, 0.005, n.size))}
    )


def test_backtest_flags_the_fit_with_the_rolling_step_words() -> None:
    runs = _two_sizes()
    bt = backtest(runs, law="chinchilla", bootstrap=0)
    assert (len(bt.split.fitted), len(bt.split.held_out)) == (10, 2)
    steps = rolling_backtest(runs, law="chinchilla", bootstrap=0)
    (step,) = steps.steps
    assert step.n_fitted == 10  # the same 10 runs as the main fit
    assert bt.unidentified == step.unidentified == _MARK
    assert bt.to_dict()["unidentified"] == _MARK
    (note,) = [n for n in bt.notes if "not identified: " in n]
    assert note.startswith(
        "chinchilla not identified: 2 model sizes on the 10 runs fitted: params takes 2 "
        "distinct values (100M, 400M)"
    )
    # the scores are still given: both held-out runs sit at a fitted model size
    assert np.isfinite(bt.summary.median_are)


def test_main_table_and_winner_say_it_beside_the_scores() -> None:
    cmp = compare(_two_sizes(), laws=["chinchilla"], bootstrap=0)
    assert cmp.winner is not None and cmp.winner.law == "chinchilla"
    assert cmp.reason.endswith(
        "the only law backtested; but chinchilla is not identified: 2 model sizes on the runs "
        "fitted, so its scores hold only where those runs fix its predictions"
    )
    assert cmp.to_dict()["laws"][0]["backtest"]["unidentified"] == _MARK
    console = Console(record=True, width=250)
    _comparison_table(console, cmp, [])
    row = next(x for x in console.export_text().splitlines() if x.startswith("│ chinchilla"))
    assert f"chinchilla (not identified: {_MARK})" in row
    assert f"{cmp.winner.backtest.summary.median_are:.2%}" in row  # beside its scores
    steps = rolling_backtest(_two_sizes(), law="chinchilla", bootstrap=0)
    console = Console(record=True, width=250)
    _rolling_table(console, steps)
    assert f"not identified: {_MARK}" in console.export_text()


def test_report_section_says_it() -> None:
    bt = backtest(_two_sizes(), law="chinchilla", bootstrap=0)
    section = backtest_section(bt)
    assert f"Fitted chinchilla (not identified: {_MARK}) on 10 runs" in section.body
    assert section.validation.endswith(f"over 2 held-out runs (not identified: {_MARK})")


@pytest.mark.parametrize("law", ["chinchilla"])
def test_identified_fit_is_not_flagged(law: str) -> None:
    bt = backtest(default_runs(), law=law, bootstrap=0)
    assert bt.unidentified is None
    assert bt.to_dict()["unidentified"] is None
    assert not [n for n in bt.notes if "not identified: " in n]
    assert "not identified" not in backtest_section(bt).validation
