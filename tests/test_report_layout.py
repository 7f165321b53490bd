"""Report figures settled before they are saved (:func:`scalinglab.report._layout.settle`):
log ticks labelled in plain text, not mathtext, and the constrained layout run once, where
matplotlib would place the axes."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("matplotlib")

from scalinglab.report._layout import power_label, settle


@pytest.mark.parametrize(
    ("value", "label"),
    [(1e21, "10²¹"), (1e-3, "10⁻³"), (1.0, "10⁰"), (2e19, "2\u2009×\u200910¹⁹"), (-1e4, "−10⁴")],
)
def test_power_label_is_plain_text(value: float, label: str) -> None:
    assert power_label(value) == label


def _figure() -> object:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 3.5), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.scatter(np.geomspace(1e16, 1e24, 9), np.geomspace(1e7, 1e11, 9))
    left.set(xscale="log", yscale="log", xlabel="compute C (FLOPs)", ylabel="N")
    right.plot(np.geomspace(6e18, 3e19, 5), np.linspace(2.5, 3.5, 5))
    right.set(xscale="log", xlabel="budget C (FLOPs)", ylabel="loss")
    fig.suptitle("a title")
    return fig


def _labels(fig: object) -> list[str]:
    out = []
    for ax in fig.axes:  # type: ignore[attr-defined]
        for axis in (ax.xaxis, ax.yaxis):
            for minor in (False, True):
                out += [t.get_text() for t in axis.get_ticklabels(minor=minor)]
    return [t for t in out if t]


@pytest.mark.heavy  # 1.4 s in the suite on a 2-core AMD EPYC
def test_settled_log_ticks_are_plain_text_where_matplotlib_labels() -> None:
    fig = _figure()
    fig.savefig(io.StringIO(), format="svg")  # type: ignore[attr-defined]
    before = _labels(fig)
    assert any("$" in t for t in before)  # matplotlib's own: mathtext
    settle(fig)
    fig.savefig(io.StringIO(), format="svg")  # type: ignore[attr-defined]
    after = _labels(fig)
    assert not any("$" in t for t in after)
    assert len(after) == len(before)  # the same ticks labelled, minor ones (2 × 10¹⁹) too
    assert {"10¹⁶", "10²⁰", "10²⁴", "10¹⁹", "2\u2009×\u200910¹⁹"} <= set(after)


@pytest.mark.heavy  # 1.5 s in the suite on a 2-core AMD EPYC
def test_settled_layout_is_the_constrained_one_and_fixed() -> None:
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    reference = _figure()
    reference.savefig(io.StringIO(), format="svg")  # type: ignore[attr-defined]
    fig = _figure()
    settle(fig)
    assert not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine)  # type: ignore[attr-defined]
    placed = [a.get_position().bounds for a in fig.axes]  # type: ignore[attr-defined]
    fig.savefig(io.StringIO(), format="svg")  # type: ignore[attr-defined]
    assert [a.get_position().bounds for a in fig.axes] == placed  # type: ignore[attr-defined]
    # where matplotlib's constrained layout puts the panels, within 1.5 points (its labels
    # are measured with plain text, not mathtext, and without the unlabelled minor ticks)
    size = np.tile(fig.get_size_inches(), 2)  # type: ignore[attr-defined]
    ref = [a.get_position().bounds for a in reference.axes]  # type: ignore[attr-defined]
    assert np.abs((np.array(placed) - np.array(ref)) * size).max() * 72 < 1.5


def test_report_figure_svg_has_no_mathtext_ticks() -> None:
    from scalinglab.report._figure import ReportFigure, svg_markup

    fig = _figure()
    svg = svg_markup(ReportFigure("t", "t", "t", fig))
    assert svg.startswith("<svg")
    assert not any("$" in t for t in _labels(fig))


def _svg(fig: object) -> str:
    from matplotlib import rc_context

    out = io.StringIO()
    with rc_context({"svg.hashsalt": "t"}):
        fig.savefig(out, format="svg", metadata={"Date": None})  # type: ignore[attr-defined]
    return out.getvalue()


@pytest.mark.heavy  # 1.0 s in the suite on a 2-core AMD EPYC
def test_a_settled_figure_is_drawn_once_per_save(monkeypatch: pytest.MonkeyPatch) -> None:
    """``savefig`` draws a figure with any layout engine (even the placeholder that
    ``set_layout_engine("none")`` leaves) twice: once thrown away, then the draw it writes.
    A settled figure has no engine, so one draw each save, and the same file as before."""
    from matplotlib.figure import Figure
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    kept = _figure()
    settle(kept)
    # what set_layout_engine("none") left on a constrained figure, as settle did before
    kept.set_layout_engine(PlaceHolderLayoutEngine(True, False))  # type: ignore[attr-defined]
    fig = _figure()
    settle(fig)
    assert fig.get_layout_engine() is None  # type: ignore[attr-defined]
    draws: list[object] = []
    draw = Figure.draw

    def counted(self: Figure, renderer: object) -> None:
        draws.append(self)
        draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    assert _svg(kept) == _svg(fig)
    assert draws.count(kept) == 2
    assert draws.count(fig) == 1
    _svg(fig)
    assert draws.count(fig) == 2  # and again once for a second save


def test_the_layout_places_each_axis_ticks_once_per_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    """The constrained layout's measures place an axis's ticks again and again with nothing
    moved; in :func:`settle` they are placed once per place of the axes (the layout's two
    passes), and the layout and the file are the same as with every placing done."""
    from collections import Counter
    from contextlib import nullcontext

    from matplotlib.axis import Axis

    from scalinglab.report import _layout

    placed: Counter[int] = Counter()
    place = Axis._update_ticks

    def counted(self: Axis) -> list[object]:
        placed[id(self)] += 1
        return place(self)

    monkeypatch.setattr(Axis, "_update_ticks", counted)
    every = _figure()
    with monkeypatch.context() as m:
        m.setattr(_layout, "_ticks_once_per_place", lambda fig: nullcontext())
        settle(every)
    each = sum(placed.values())
    placed.clear()
    fig = _figure()
    settle(fig)
    axes = [a for ax in fig.axes for a in (ax.xaxis, ax.yaxis)]  # type: ignore[attr-defined]
    assert max(placed.values()) <= 2  # one placing per pass of the layout, per axis
    assert sum(placed.values()) <= 2 * len(axes) < each / 2  # was some 4x as many
    assert all("_update_ticks" not in vars(a) for a in axes)  # matplotlib's own again
    positions = [a.get_position().bounds for a in fig.axes]  # type: ignore[attr-defined]
    assert positions == [a.get_position().bounds for a in every.axes]  # type: ignore[attr-defined]
    assert _svg(fig) == _svg(every)
