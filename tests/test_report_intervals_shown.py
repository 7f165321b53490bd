"""Captions and columns follow whether the fit drew intervals (``--bootstrap 0`` draws
none), and numbers are in the units the command line gives them: the backtest's ARE in
percent as ``scalinglab backtest``, the downstream coverage with its level."""

from __future__ import annotations

import html
import re

import numpy as np
import pytest
from tests._pages import page_text
from tests.test_downstream_chain import MULTS, SIZES, models
from tests.test_report_pages import _write

from scalinglab.downstream import backtest_downstream, read_evals
from scalinglab.report._downstream import downstream_sections


@pytest.fixture(scope="module")
def point_fit(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _write(tmp_path_factory, "--bootstrap", "0")  # the bundled runs


@pytest.fixture(scope="module")
def bootstrapped(tmp_path_factory: pytest.TempPathFactory) -> str:
    return _write(tmp_path_factory, "--bootstrap", "20")


def _head(page: str, table: str) -> list[str]:
    start = page.index(f"<table class='{table}'>")
    head = page[start : page.index("</thead>", start)]
    return [html.unescape(h) for h in re.findall(r"<th>([^<]*)</th>", head)]


@pytest.mark.heavy
def test_a_point_fit_page_claims_no_interval(point_fit: str) -> None:
    frontier = re.search(r"<figure id='fig-frontier'><figcaption>(.*?)</figcaption>", point_fit)
    assert frontier is not None
    assert "bootstrap intervals" not in frontier[1] and "without intervals" in frontier[1]
    assert _head(point_fit, "params") == ["coef", "meaning", "value"]
    assert _head(point_fit, "backtest") == [
        "held-out run", "flops", "× fitted", "actual", "predicted", "ARE",
    ]  # fmt: skip
    assert "[—, —]" not in point_fit
    backtest = re.search(r"<figure id='fig-backtest'><figcaption>(.*?)</figcaption>", point_fit)
    assert backtest is not None and "interval" not in backtest[1]


@pytest.mark.heavy
def test_backtest_are_is_in_percent_as_the_sentence_and_the_cli(bootstrapped: str) -> None:
    head = _head(bootstrapped, "backtest")
    assert head[-2:] == ["ARE", "inside"]
    assert head[-3].startswith("90% ") and head[-3].endswith(" interval")
    table = bootstrapped[bootstrapped.index("<table class='backtest'>") :]
    table = table[: table.index("</table>")]
    cells = re.findall(r"<td class='num' data-value='([^']*)'>([0-9.]+%)</td><td>(yes|no)", table)
    assert cells, table
    for value, shown, _ in cells:  # the fraction carried exactly, shown as percent
        assert shown == f"{float(value):.2%}"
    median = re.search(r"median absolute relative error ([0-9.]+%)", page_text(bootstrapped))
    assert median is not None  # the sentence above speaks percent too


@pytest.mark.heavy  # 3.0 s in the suite on a 2-core AMD EPYC
def test_downstream_backtest_names_its_coverage_level_and_its_average() -> None:
    table = models(np.random.default_rng(0), SIZES, MULTS)
    table["acc_task2"] = table["acc_task"] + 0.02  # two tasks: one task has no average row
    evals = read_evals(table, chance={"task": 0.25, "task2": 0.25})
    bt = backtest_downstream(evals, bootstrap=30, seed=0, level=0.8)
    (section,) = downstream_sections(bt.chain, evals, backtest=bt)[1:]
    said = html.unescape(section.body)
    assert "<th>80% coverage</th>" in said
    assert (
        f"{bt.average().task}: the error of the accuracy averaged over the tasks, predicted "
        "and measured as one number per model; not the mean of the tasks' errors" in said
    )
