"""One way to write a number at every door: the report's coefficients and loss intervals
as the terminal writes them, a law's coefficient and an exponent without ``+`` or padding
zero, one cell's value and interval to the same figures, one name for the backtest's
average, and the hparams laws' interval header saying its level and kind."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from rich.console import Console

from scalinglab._format import format_g, format_loss
from scalinglab.cli import _render as render
from scalinglab.report._html_parts import estimate_cell, number_cell, span


def test_format_g_writes_the_exponent_as_the_tables_do() -> None:
    # Python's g writes 4.23e+07 and 1e-06; the tables write 4.23e7 and 1e-6
    assert format_g(4.23e7, 3) == "4.23e7" and format_g(1e-6) == "1e-6"
    assert format_g(2.5e-5, 3) == "2.5e-5" and format_g(0.000472997) == "0.000472997"
    assert format_g(123.0, 3) == "123" and format_g(math.nan) == "nan"


def test_a_loss_keeps_its_trailing_zeros_at_every_door() -> None:
    x = 1.894
    assert format_loss(x) == f"{x:.4f}" == "1.8940"
    # the report's plan cell: the value and its interval's ends as the terminal's loss column
    estimate = type("E", (), {"value": 2.0963, "lower": x, "upper": 2.3203})()
    cell = estimate_cell(estimate, column="loss")
    assert f"[{x:.4f}, {2.3203:.4f}]" in cell and "[1.894," not in cell


def test_the_report_writes_a_coefficient_to_the_terminals_five_figures() -> None:
    value = 0.058214375
    cell = number_cell(value, param="E")
    assert cell.endswith(f">{value:.5g}</td>") and f"{value:.5g}" == render.number(value)


def test_an_hparams_interval_is_written_as_the_cli_writes_one() -> None:
    lo, hi = 0.00126, 0.00453
    assert span(lo, hi, lambda v: format_g(v, 3)) == f"[{lo:.3g}, {hi:.3g}]"
    assert span(math.nan, hi) == "—"


def test_one_cell_writes_its_value_and_its_interval_to_the_same_figures() -> None:
    # loss2loss's table wrote 2.685 [1.5288, 2.6854]
    value, lo, hi = 2.68467, 1.52883, 2.68541
    assert render.estimate(value, lo, hi, 4) == f"{value:.4g} [{lo:.4g}, {hi:.4g}]"
    assert render.estimate(value, math.nan, math.nan, 4) == f"{value:.4g}"


def test_the_hparams_laws_table_says_its_interval_and_writes_no_plus() -> None:
    from tests.test_report_hparams_page import SEQ_LEN, sweep

    from scalinglab.cli._hparams_views import print_fit
    from scalinglab.hparams import fit_hparams, read_sweep

    hp = fit_hparams(read_sweep(sweep(3), seq_len=SEQ_LEN), bootstrap=20)
    console = Console(width=300, record=True)
    print_fit(console, hp)
    text = console.export_text()
    assert f"{round(100 * hp.level)}% bootstrap interval" in text
    assert "e+" not in text and not re.search(r"e-0\d", text)
    for law in (hp.lr_law, hp.batch_law, hp.loss_law):
        for name, value in ({} if law is None else law.coefs).items():
            mantissa, _, exponent = f"{value:.3e}".partition("e")
            shown = f"{mantissa}e{int(exponent)}" if not 1e-3 <= abs(value) < 1e5 else None
            assert shown is None or shown in text, (name, value)


@pytest.mark.heavy  # 2.2 s in the suite on a 2-core AMD EPYC
def test_the_backtests_average_has_one_name_in_the_table_and_the_report() -> None:
    from tests.test_downstream_chain import MULTS, SIZES, models

    from scalinglab.cli._downstream_views import print_backtest
    from scalinglab.downstream import backtest_downstream, read_evals
    from scalinglab.report._downstream import downstream_sections

    table = models(np.random.default_rng(0), SIZES, MULTS)
    table["acc_task2"] = table["acc_task"] + 0.02  # two tasks predicted: an average of both
    evals = read_evals(table, chance={"task": 0.25, "task2": 0.25})
    bt = backtest_downstream(evals, bootstrap=0, seed=0)
    # two tasks: the chain averages them itself (one task has no average row at all)
    console = Console(width=200, record=True)
    print_backtest(console, bt, bt.rows(), bt.chain.level)
    table = console.export_text()
    (section,) = downstream_sections(bt.chain, evals, backtest=bt)[1:]
    assert "<th scope='row'>average (2 tasks)</th>" in section.body
    assert "│ average (2 tasks) " in table
    assert "<th scope='row'>mean of the tasks</th>" not in section.body
    assert "mean of the tasks" not in table
