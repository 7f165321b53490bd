"""The hparams page's lr* and B* panels label their log axes as the tables write numbers:
on the Step Law sweep (N 215M-537M, under half a decade) matplotlib's minor labels
``3 × 10⁸`` and ``4 × 10⁸`` ran into each other; the legend said ``N=2.15e8`` where the
cells say ``N=215M``, and B* had no unit."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest
from tests.conftest import SHARED

from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._hparams_report import hparams_figures

STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


@pytest.fixture(scope="module")
def panels() -> list[Any]:
    if not STEPLAW.exists():
        pytest.skip("shared Step Law data not present")
    sweep = read_sweep(STEPLAW, y="smooth loss", seq_len=2048)
    hp = fit_hparams(sweep, bootstrap=0)
    figure = hparams_figures(hp, sweep)[1].figure
    figure.canvas.draw()
    return list(figure.axes)  # the three panels, then any colour bar


def _labels(axis: Any) -> list[Any]:
    return [label for label in axis.get_ticklabels(which="both") if label.get_text()]


@pytest.mark.heavy
def test_tick_labels_stand_apart(panels: list[Any]) -> None:
    """No two labels overlap, and neighbours along an x axis stand a label's height apart
    (``3 × 10⁸`` and ``4 × 10⁸`` were 6 px apart, under half their 12 px height)."""
    for ax in panels[:3]:  # the plots; a colour bar has one axis of labels
        for axis in (ax.xaxis, ax.yaxis):
            boxes = [label.get_window_extent() for label in _labels(axis)]
            assert len(boxes) >= 2
            for a, b in itertools.combinations(boxes, 2):
                assert not a.overlaps(b), [label.get_text() for label in _labels(axis)]
        along = sorted((b.x0, b.x1, b.height) for b in map(_box, _labels(ax.xaxis)))
        for (_, end, height), (start, _, _) in itertools.pairwise(along):
            assert start - end >= height, [label.get_text() for label in _labels(ax.xaxis)]


def _box(label: Any) -> Any:
    return label.get_window_extent()


def test_labels_write_sizes_as_the_tables_do(panels: list[Any]) -> None:
    n_axis = [label.get_text() for label in _labels(panels[0].xaxis)]
    assert "300M" in n_axis and not any("$" in t for t in n_axis), n_axis  # no mathtext
    assert panels[2].get_ylabel() == "B* (tokens)"
    legend = [t.get_text() for t in panels[1].get_legend().get_texts()]
    assert legend == ["N=215M", "N=268M", "N=429M", "N=537M"]
    batch = [label.get_text() for label in _labels(panels[2].yaxis)]
    assert batch and all(re.fullmatch(r"\d+(\.\d+)?[KM]", t) for t in batch), batch


def test_more_lines_than_a_legend_holds_get_a_colour_scale(panels: list[Any]) -> None:
    """lr* against N draws a line per D: 14 on the Step Law sweep, past the 6 a legend
    holds and the 10 colours that cycle (lines shared a colour, unnamed)."""
    lines = [line for line in panels[0].get_lines() if line.get_linestyle() == "-"]
    assert len(lines) == 14  # the 14 values of D among the 15 cells
    assert len({tuple(line.get_color()) for line in lines}) == 14
    assert panels[0].get_legend() is None
    bars = [ax for ax in panels[3:] if ax.get_title() == "D\n(tokens)"]
    assert len(bars) == 1  # its colour bar, titled (a side label stood by the next panel's)
    assert bars[0].get_ylabel() == ""
    ticks = [label.get_text() for label in bars[0].get_yticklabels(which="both")]
    assert "10B" in ticks and not any("$" in t for t in ticks), ticks
