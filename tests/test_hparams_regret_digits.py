"""A regret is written one way everywhere (``hparams backtest``'s tables, the law choice's
table and verdict, the report's page, the reprs): two significant figures at least
(``0.0090%``, not ``0.009%``), more where two regrets of one table would otherwise look equal."""

from __future__ import annotations

import io
import math

from rich.console import Console

from scalinglab._hparams_numbers import regret_pct, regret_pcts
from scalinglab.cli._hparams_views import print_backtest, print_law_choice
from scalinglab.hparams import HparamBacktest, HparamBacktestCell
from scalinglab.hparams._choice import HparamLawChoice, percent
from scalinglab.report._hparams_tables import regret_table

#: Two close candidates (alike at 3 decimals and at 2 figures) and a small one.
CLOSE = (1.921e-4, 1.925e-4, 9.0e-5)


def test_a_regret_has_two_significant_figures_at_least() -> None:
    assert [regret_pct(v) for v in (9e-5, 4.6e-4, 1.2e-3, 0.05, 1.234)] == [
        "0.0090%", "0.046%", "0.12%", "5.0%", "123%",
    ]  # fmt: skip
    assert regret_pct(1e-7) == "0.000010%"  # not 0.000%
    assert regret_pct(0.0) == "0%"
    assert regret_pct(math.nan) == regret_pct(math.inf) == "—"


def test_close_regrets_get_the_figures_that_tell_them_apart() -> None:
    assert regret_pcts(list(CLOSE)) == ["0.01921%", "0.01925%", "0.0090%"]
    # one regret is written by what it is read against, not by its own value alone
    assert regret_pct(1.921e-4) == "0.019%"
    # alike to the last figure kept: a tie, written alike, not to 17 digits
    assert regret_pcts([1e-4, 1e-4 * (1 + 1e-12), math.nan]) == ["0.010%", "0.010%", "—"]
    # told apart as numbers: 0.995% rounded up is 1.0% written another way
    first, second = regret_pcts([0.00995, 0.01])
    assert float(first[:-1]) != float(second[:-1])


def _backtest(choice: HparamLawChoice | None = None) -> HparamBacktest:
    rows = tuple(
        HparamBacktestCell(method=m, cell="N=1B D=10B", params=1e9, tokens=1e10, lr=1e-3,
                           batch=1e6, lr_ratio=1.0, batch_ratio=1.0, regret=r, beyond_grid=False,
                           grid_regret=r)
        for m, r in zip(("a", "b", "c"), CLOSE, strict=True)
    )  # fmt: skip
    return HparamBacktest(
        holdout="top-scales:1", held_out=rows, fitted_cells=("N=500M D=5B",), law_choice=choice
    )


def _choice() -> HparamLawChoice:
    pairs = (("A * N**alpha", "B * D**gamma"), ("A * D**beta", "B * D**gamma"), ("A", None))
    return HparamLawChoice(
        lr_law=pairs[2][0], batch_law=None, candidates=pairs, n_coefs=(4, 4, 1),
        median_regret=CLOSE, sizes=(1e8, 2e8, 4e8), n_scored=9,
        reason="r", verdict=f"chose lr* = A: the lowest median held-out regret, "
        f"{percent(CLOSE[2], CLOSE)}",
    )  # fmt: skip


def test_the_backtest_tables_and_the_law_choice_write_close_methods_apart() -> None:
    out = io.StringIO()
    con = Console(file=out, width=200)
    print_backtest(con, _backtest())
    print_law_choice(con, _choice())
    text = out.getvalue()
    summary = {line.split("│")[1].strip(): line for line in text.splitlines() if "│" in line}
    cells = [c.strip() for c in summary["b"].split("│")[1:-1]]
    assert cells[1:4] == ["0.01925%"] * 3  # median, max, median grid regret
    assert "0.01921%" in summary["a"] and "0.0090%" in summary["c"]
    chosen = next(line for line in text.splitlines() if "chosen" in line)
    assert "0.0090%" in chosen
    assert text.count("0.01921%") == 2 + 3 + 1  # per cell, summary, law choice
    assert "law choice: chose lr* = A: the lowest median held-out regret, 0.0090%" in text
    assert "0.019%" not in text and "0.009%" not in text


def test_the_page_and_the_repr_write_regrets_as_the_tables() -> None:
    page = regret_table(_backtest(_choice()))
    for shown in ("0.01921%", "0.01925%", "0.0090%"):
        # per cell twice (surface, grid), summary twice (median, max) and the median grid
        # regret, and the law choice's row
        assert page.count(f"<td class='num'>{shown}") == 2 + 3 + 1
    assert "the lowest median held-out regret, 0.0090%" in page
    assert "0.019%" not in page and "0.009%" not in page
    assert "median regret {a: 0.01921%, b: 0.01925%, c: 0.0090%}" in repr(_backtest())
