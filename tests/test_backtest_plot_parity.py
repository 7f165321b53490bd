"""The parity panel of ``plot_backtest`` draws each held-out run at its actual loss: laws
are told apart by colour and marker, never nudged along the actual-loss axis (a nudge of
0.2% per law drew two laws predicting alike as different runs off the diagonal)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.conftest import isoflop_runs

import scalinglab as sl
from scalinglab.report import plot_backtest
from scalinglab.report._backtest_plot import backtest_figure


@pytest.mark.heavy  # 3.4 s in the suite on a 2-core AMD EPYC
def test_points_sit_at_the_actual_loss_and_laws_differ_by_marker(tmp_path: Path) -> None:
    laws = ["chinchilla", "E + A*N**-alpha + B*D**-beta"]  # the same law: alike predictions
    comparison = sl.compare(isoflop_runs(seed=0), laws=laws, holdout="largest:4", bootstrap=20)
    shown = [s.backtest for s in comparison.laws]
    point = sl.compare(isoflop_runs(seed=0), laws=laws[:1], holdout="largest:4", bootstrap=0)
    shown.append(point.laws[0].backtest)  # no intervals: drawn as points alone
    fig = backtest_figure(shown, level=0.9, rolling=None)
    parity = fig.axes[0]
    actual = [r.actual for r in shown[0].runs]
    banded = [c.lines[0] for c in parity.containers]  # the errorbar's data line
    bare = [line for line in parity.get_lines() if line.get_label().endswith("(no interval)")]
    drawn = [*banded, *bare]
    assert len(drawn) == 3
    for line, bt in zip(drawn, shown, strict=True):
        np.testing.assert_array_equal(line.get_xdata(), actual)
        np.testing.assert_array_equal(line.get_ydata(), [r.predicted for r in bt.runs])
    assert [line.get_marker() for line in drawn] == ["o", "s", "^"]
    assert len({line.get_color() for line in drawn}) == 3
    assert plot_backtest(shown, tmp_path / "bt.png").stat().st_size > 0


@pytest.mark.heavy  # 1.2 s in the suite on a 2-core AMD EPYC
def test_the_error_panels_write_their_ticks_as_the_tables_do() -> None:
    """Errors as percentages and distances as plain factors (``1%``, ``2``), not
    ``10⁻²`` and ``2 × 10⁰``."""
    runs = isoflop_runs(seed=0)
    bt = sl.backtest(runs, holdout="largest:4", bootstrap=0)
    from scalinglab.validate._rolling import rolling_backtest

    rolling = rolling_backtest(runs, bootstrap=0)
    fig = backtest_figure([bt], level=0.9, rolling=rolling)
    fig.canvas.draw()
    for ax, axis in ((fig.axes[1], "y"), (fig.axes[2], "y"), (fig.axes[1], "x")):
        labels = [t.get_text() for t in getattr(ax, f"get_{axis}ticklabels")(which="both")]
        shown = [t for t in labels if t]
        assert shown and not any("$" in t for t in shown), shown  # no mathtext
        if axis == "y":
            assert all(t.endswith("%") for t in shown), shown
