"""The curves page as a reader saw it: the observed dots lay under the fitted lines, and a
coefficient's interval was one cell (``[316.65, 87041]`` beside ``[1e-6, 1e6]``)."""

from __future__ import annotations

import re

import pytest
from tests.test_curves import SPECS, _synthetic

import scalinglab
from scalinglab.curves import Tissue


@pytest.fixture(scope="module")
def fitted() -> tuple[object, list[object]]:
    truth = {"L0": 2.8, "A": 0.6, "alpha": 0.45, "C": 0.8}
    curves = _synthetic(Tissue(), truth, SPECS, noise=2e-3, seed=3)
    return scalinglab.fit_curves(curves, law="tissue", bootstrap=20), curves


def test_observations_drawn_over_the_fitted_lines(fitted: tuple[object, list[object]]) -> None:
    from scalinglab.curves._plot import curves_figure

    result, curves = fitted
    figure = curves_figure(result, curves)  # type: ignore[arg-type]
    lines = figure.axes[0].get_lines()
    dots = [line for line in lines if line.get_marker() == "."]
    fitted_lines = [line for line in lines if line.get_marker() in ("None", "", None)]
    assert dots and fitted_lines
    assert min(d.get_zorder() for d in dots) > max(f.get_zorder() for f in fitted_lines)
    assert all(f.get_linewidth() < 1 for f in fitted_lines)


def test_interval_ends_in_columns_as_the_fit_page(fitted: tuple[object, list[object]]) -> None:
    from scalinglab.curves._report_parts import coefs_html

    result, _ = fitted
    html = coefs_html(result)  # type: ignore[arg-type]
    heads = re.findall(r"<th>([^<]*)</th>", html)
    assert heads[-1] == "upper" and heads[-2].endswith(": lower")
    ends = re.findall(
        r"<td class='num' data-value='[^']*' data-param='(\w+)' data-end='(\w+)'>", html
    )
    names = list(result.coefs)  # type: ignore[attr-defined]
    assert ends == [(n, e) for n in names for e in ("lower", "upper")]
