"""The error-against-distance panel of a backtest's figure (the report's, ``backtest
--plot``'s) labels a tick at or above its largest error: with points from 0.5% to 13.15%
matplotlib labelled only the decades, 1% and 10%, so the 13.15% run sat above the last
label, read as off the scale."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab.report._backtest_plot import backtest_figure


def _labelled(ax: Any) -> list[tuple[float, str]]:
    """The y tick labels drawn within the axis's view: (value, text)."""
    ax.figure.canvas.draw()
    lo, hi = ax.get_ylim()
    return [
        (t.get_position()[1], t.get_text())
        for t in ax.get_yticklabels(which="both")
        if t.get_text() and lo * (1 - 1e-9) <= t.get_position()[1] <= hi * (1 + 1e-9)
    ]


@pytest.mark.parametrize(
    "errors",
    [[0.0051, 0.02, 0.05, 0.1315], [0.08, 0.1315], [0.0, 0.1315], [0.0004, 0.003]],
)
@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_a_tick_label_reaches_the_largest_error(errors: list[float]) -> None:
    bt = sl.backtest(isoflop_runs(seed=0), holdout="largest:4", bootstrap=0)
    shown = errors + [errors[-1]] * (len(bt.runs) - len(errors))
    bt = replace(bt, runs=tuple(replace(r, are=a) for r, a in zip(bt.runs, shown, strict=True)))
    ax = backtest_figure([bt], level=0.9, rolling=None).axes[1]
    points = max(max(line.get_ydata()) for line in ax.get_lines())
    assert points == pytest.approx(max(errors))
    labels = _labelled(ax)
    assert max(v for v, _ in labels) >= points * (1 - 1e-9), labels
    assert all(t.endswith("%") for _, t in labels), labels


def test_the_axis_reaches_the_next_one_digit_value_and_labels_it() -> None:
    """13.15% over a 1.4-decade axis: the axis reaches 20%, labelled; an error at a
    labelled tick (0.3% on an axis labelled at each digit) leaves the axis as it was."""
    from matplotlib.figure import Figure

    from scalinglab.report._ticks import label_to_top

    ax = Figure().subplots()
    ax.plot([1, 2, 3], [0.0051, 0.05, 0.1315])
    ax.set_yscale("log")
    label_to_top(ax, 0.1315, lambda v: f"{100 * v:g}%")
    assert ax.get_ylim()[1] == pytest.approx(0.2)
    assert (pytest.approx(0.2), "20%") in _labelled(ax)

    ax = Figure().subplots()
    ax.plot([1, 2], [0.0004, 0.003])
    ax.set_yscale("log")
    top = ax.get_ylim()[1]
    label_to_top(ax, 0.003, lambda v: f"{100 * v:g}%")
    assert ax.get_ylim()[1] == top
    assert (pytest.approx(0.003), "0.3%") in _labelled(ax)
