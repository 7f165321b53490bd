"""The hparams page's lr × batch cell maps label their axes large enough to read: their tick
labels were 6 pt on a figure drawn page-wide, read half the size of the lr* and B* figure's
below them; now as large as those on the page, and no label runs into another or a title."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from tests.conftest import SHARED

from scalinglab.hparams import fit_hparams, read_sweep
from scalinglab.report._hparams_report import hparams_figures

STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


@pytest.fixture(scope="module")
def figures() -> tuple[Any, Any]:
    if not STEPLAW.exists():
        pytest.skip("shared Step Law data not present")
    sweep = read_sweep(STEPLAW, y="smooth loss", seq_len=2048)
    cells, laws = (item.figure for item in hparams_figures(fit_hparams(sweep, bootstrap=0), sweep))
    cells.canvas.draw()
    laws.canvas.draw()
    return cells, laws


def _labels(ax: Any) -> list[Any]:
    """The tick labels drawn: shown, and of a tick in view (matplotlib keeps one each side)."""
    drawn = []
    for axis in (ax.xaxis, ax.yaxis):
        low, high = sorted(axis.get_view_interval())
        for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels(), strict=False):
            if label.get_text() and label.get_visible() and low <= loc <= high:
                drawn.append(label)
    return drawn


@pytest.mark.heavy  # 3.7 s in the suite on a 2-core AMD EPYC
def test_cell_tick_labels_read_as_large_as_the_other_figures(figures: tuple[Any, Any]) -> None:
    cells, laws = figures
    panels = [ax for ax in cells.axes[:15] if ax.get_visible()]
    sizes = {t.get_fontsize() for ax in panels for t in _labels(ax)}
    (size,) = sizes
    (other,) = {t.get_fontsize() for t in laws.axes[0].xaxis.get_ticklabels()}
    # both drawn the page's width: a point reads as (page width / figure width) on screen
    shown = size / cells.get_figwidth()
    assert shown == pytest.approx(other / laws.get_figwidth(), rel=0.1)
    assert size == 9.0  # it was 6: read at 0.47 pt per inch of figure against 0.69


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_cell_labels_stand_apart(figures: tuple[Any, Any]) -> None:
    cells, _ = figures
    panels = [ax for ax in cells.axes[:15] if ax.get_visible()]
    boxes = [t.get_window_extent() for ax in panels for t in _labels(ax)]
    boxes += [ax.title.get_window_extent() for ax in panels]
    assert len(boxes) > 30
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
    frames = [ax.get_window_extent() for ax in panels]
    for title in (ax.title.get_window_extent() for ax in panels):
        assert not any(title.overlaps(frame) for frame in frames)
