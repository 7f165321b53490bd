"""``fit --plot``'s panels: each says what it shows (a title), and the shaded extrapolation
gives its reach as a factor written as the plan table's ``beyond data`` column writes one
(``x3,074``, :func:`~scalinglab._format.format_beyond`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import scalinglab
from scalinglab.data import bundled_runs
from scalinglab.report import _plot


def _drawn(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The figures plot_fit would write, kept instead."""
    figures: list[Any] = []
    monkeypatch.setattr(_plot, "write_figure", lambda fig, out, **_: figures.append(fig))
    return figures


def _legend(ax: Any) -> list[str]:
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_the_frontier_and_parity_panels_say_what_they_show(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    runs = bundled_runs("overtraining-c4")
    result = scalinglab.fit("chinchilla", runs, bootstrap=0, compare=False)
    figures = _drawn(monkeypatch)
    _plot.plot_fit(result, runs, tmp_path / "fit.png", budgets=[1e21, 1e22, 1e23, 1e24])
    frontier, parity = (ax for ax in figures[0].axes if ax.get_label() != "<colorbar>")
    assert frontier.get_title() == "loss against compute"
    assert parity.get_title() == "observed against fitted loss, one dot per run"
    # the shade reaches the largest budget: 1e24 / the runs' largest compute, as a factor
    flops = np.asarray(runs["params"]) * np.asarray(runs["tokens"]) * 6.0
    factor = 1e24 / flops.max()
    assert 3000 < factor < 3100  # the README's x3,074
    assert f"extrapolation (to x{factor:,.0f})" in _legend(frontier)
    assert not any("×" in t for t in _legend(frontier))


def test_the_one_variable_panel_writes_its_reach_so_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    n = np.geomspace(1e7, 1e9, 8)
    frame = pd.DataFrame({"run": [f"r{i}" for i in range(8)], "params": n,
                          "loss": 2.0 + 30 * n**-0.3})  # fmt: skip
    runs = scalinglab.read_runs(frame)
    result = scalinglab.fit("E + A*N**-alpha", runs, x={"N": "params"}, bootstrap=0,
                            compare=False)  # fmt: skip
    figures = _drawn(monkeypatch)
    _plot.plot_fit(result, runs, tmp_path / "fit.png")
    (ax,) = figures[0].axes
    assert _plot.EXTRAPOLATE == 100.0 and "extrapolation (to x100)" in _legend(ax)
