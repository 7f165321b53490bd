"""A notebook shows a curve fit as HTML (``_repr_html_``): the coefficient table
``scalinglab curves fit`` prints, cell for cell, the fit's own numbers, every string escaped
(a ``<`` or ``&`` in a run name or source), no script."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import pytest
from rich.console import Console
from tests.test_backtest_repr_html import html_tables, printed_rows
from tests.test_curves import SPECS, _synthetic

from scalinglab import fit_curves
from scalinglab.cli._rows_table import rich_table
from scalinglab.curves import Tissue
from scalinglab.curves._rows import coef_table

TRUTH = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}


@pytest.fixture(scope="module")
def result() -> Any:
    curves = _synthetic(Tissue(), TRUTH, SPECS, noise=2e-3, seed=3)
    return fit_curves(curves, law="tissue", bootstrap=20, seed=0)


def test_html_holds_the_printed_coefficients(result: Any) -> None:
    console = Console(record=True, width=300)
    console.print(rich_table(coef_table(result, title="")))  # what `curves fit` prints
    page = result._repr_html_()
    (rows,) = html_tables(page)
    assert rows == printed_rows(console.export_text())
    assert [row[0] for row in rows] == list(TRUTH)
    for name, value, interval in rows:  # the fit's numbers, and near the truth drawn from
        assert float(value) == pytest.approx(result.coefs[name], rel=1e-4)
        assert float(value) == pytest.approx(TRUTH[name], rel=0.1)
        lo, hi = (float(x) for x in interval.strip("[]").split(", "))
        assert (lo, hi) == pytest.approx(result.intervals[name], rel=1e-4)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert f"tissue fitted to {len(result.runs)} curves ({result.status})" in text
    assert "90% interval (20 " in text and "starts reached the best fit" in text
    assert "<script" not in page


def test_without_bootstrap_two_columns(result: Any) -> None:
    point = dataclasses.replace(result, samples=None)
    (rows,) = html_tables(point._repr_html_())
    assert [len(row) for row in rows] == [2] * len(TRUTH)


def test_names_and_source_are_escaped(result: Any) -> None:
    odd = dataclasses.replace(result, source="a<b & c.csv", law="<script>&x",
                              warnings=("loss < 0 & <i>",), notes=("run <r1> & r2",))  # fmt: skip
    page = odd._repr_html_()
    assert "<script" not in page and "<i>" not in page and "<r1>" not in page
    assert "&lt;script&gt;&amp;x fitted to" in page and "data: a&lt;b &amp; c.csv" in page
    assert "loss &lt; 0 &amp; &lt;i&gt;" in page and "run &lt;r1&gt; &amp; r2" in page
