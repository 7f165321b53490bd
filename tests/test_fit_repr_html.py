"""A notebook shows a fit's ``_repr_html_``: the summary ``str`` prints, its coefficient
names and values as it writes them, every string escaped (a ``<`` in a source or warning)."""

from __future__ import annotations

import dataclasses
import html
import re
from typing import Any

import pytest

from scalinglab import fit, simulated_runs


@pytest.fixture(scope="module")
def result() -> Any:
    return fit("chinchilla", simulated_runs(), bootstrap=20, seed=0)


def test_html_holds_the_summarys_coefficients_and_intervals(result: Any) -> None:
    page = result._repr_html_()
    cells = [html.unescape(c) for c in re.findall(r"<td[^>]*>(?:<b>)?(.*?)(?:</b>)?</td>", page)]
    # the rows str(result) prints: "E            1.8288   [1.7444, 1.8603]"
    printed = [
        line.split(maxsplit=1)[0:1] + re.split(r"\s{3,}", line.split(maxsplit=1)[1].strip())
        for line in str(result).splitlines()
        if line.split(maxsplit=1)[0:1] and line.split()[0] in result.coefs
    ]
    assert [cells[i : i + 3] for i in range(0, len(cells), 3)] == printed
    assert [row[0] for row in printed] == list(result.coefs)
    # the values as numbers: the fit's coefficients and bootstrap interval ends, to 5 digits
    for name, value, interval in printed:
        assert float(value) == pytest.approx(result.coefs[name], rel=1e-4)
        lo, hi = (float(x) for x in interval.strip("[]").split(", "))
        assert (lo, hi) == pytest.approx(result.intervals[name], rel=1e-4)
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert "chinchilla: L = E + A * N**(-alpha) + B * D**(-beta)" in text
    assert "90% interval (20 resamples)" in text
    assert f"solver: {result.solver}" in text and "converged" in text
    assert "AIC " in text and "prediction intervals: backtest-calibrated" in text
    for warning in result.warnings:
        assert warning in text


def test_every_string_is_escaped(result: Any) -> None:
    odd = dataclasses.replace(
        result, source="<script>alert(1)</script> & runs", warnings=("loss < 0 at <b>",)
    )
    page = odd._repr_html_()
    assert "<script>" not in page and "at <b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; runs" in page
    assert "loss &lt; 0 at &lt;b&gt;" in page
    # the text summary is unchanged by the HTML view: the same lines
    assert str(odd).splitlines()[1].startswith("data: <script>alert(1)</script> & runs")
