"""What a reader saw on the report pages drawn in Chromium (the README's commands): the
downstream page's residual histogram wrote seven ticks (``-0.125 -0.100 ... 0.025``) that
ran into each other."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from tests.conftest import SHARED

from scalinglab import fit, read_runs

MODELS = SHARED / "overtraining" / "models.dev.csv"


@pytest.fixture(scope="module", autouse=True)
def _shared() -> None:
    if not MODELS.exists():
        pytest.skip("shared over-training data not present")


def _drawn(draw: Any) -> list[Any]:
    """The matplotlib figures ``draw()`` saves (as the page inlines them)."""
    from matplotlib.figure import Figure

    figures: list[Any] = []
    save = Figure.savefig

    def saved(self: Figure, *args: object, **kwargs: object) -> None:
        save(self, *args, **kwargs)
        figures.append(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", saved)
        draw()
    return figures


def test_residual_histogram_ticks_stand_apart() -> None:
    """The downstream page's loss law (its delta): the histogram, a third of the figure
    wide, labels at most five ticks, none touching its neighbour."""
    from scalinglab.report._figure import svg_markup
    from scalinglab.report._report_figures import _residuals

    runs = read_runs(MODELS, columns={"loss": "loss_c4_val"}).where(dataset="c4_original")
    result = fit("overtraining", runs, bootstrap=0, delta=0.0198692)
    item = _residuals(result, runs)
    (figure,) = _drawn(lambda: svg_markup(item))
    hist = figure.axes[1]
    low, high = hist.get_xlim()
    labels = [
        label
        for label in hist.get_xticklabels()
        if label.get_text() and low <= label.get_position()[0] <= high
    ]
    assert 3 <= len(labels) <= 5, [label.get_text() for label in labels]
    boxes = sorted((label.get_window_extent() for label in labels), key=lambda b: b.x0)
    for a, b in itertools.pairwise(boxes):
        assert b.x0 - a.x1 >= a.height / 2, [label.get_text() for label in labels]
