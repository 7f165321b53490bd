"""``report --figures``: each figure built once, laid out once, and written twice (inline in
the page and as its file, with a title), the two the same figure as ``plot_backtest`` and
``plot_isoflop`` write; the files carry no timestamp."""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from matplotlib import figure as mpl_figure
from matplotlib import rc_context
from tests._cli import cli

from scalinglab.report import _layout
from scalinglab.report._figure import draw_svg, inline_svg

_FIGURE = re.compile(r'<svg role="img" aria-label="([^"]+)".*?</svg>', re.DOTALL)


@pytest.mark.heavy
def test_report_with_figures_builds_and_settles_each_figure_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Any] = []

    class Counted(mpl_figure.Figure):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            built.append(self)

    settled: Counter[int] = Counter()
    settle = _layout.settle

    def counted_settle(fig: Any) -> None:
        settled[id(fig)] += 1
        settle(fig)

    monkeypatch.setattr(mpl_figure, "Figure", Counted)
    monkeypatch.setattr(_layout, "settle", counted_settle)
    folder = tmp_path / "figs"
    code, _, err = cli(
        capsys, "report", "--data", "overtraining-c4", "--bootstrap", "20",
        "--out", str(tmp_path / "r.html"), "--figures", str(folder), "--format", "svg",
    )  # fmt: skip
    assert code == 0, err
    files = sorted(p.name for p in folder.iterdir())
    assert files == [
        "backtest.svg", "frontier.svg", "isoflop.svg", "loss-scaling.svg", "residuals.svg",
    ]  # fmt: skip
    assert len(built) == len(files)  # was 7: the backtest and isoFLOP figures built twice
    drawn = {f.axes[0].get_title().partition(":")[0]: settled[id(f)] for f in built}
    assert drawn["held-out runs"] == drawn["IsoFLOP profiles"] == 1
    # the page shows what the files hold, less the file's title (ids prefixed in the page)
    page = {m[1]: m[0] for m in _FIGURE.finditer((tmp_path / "r.html").read_text("utf-8"))}
    for key in ("backtest", "isoflop"):
        text = (folder / f"{key}.svg").read_text(encoding="utf-8")
        assert "<dc:date>" not in text  # the same fit writes the same bytes
        assert len(inline_svg(text, key)) > len(page[key])  # the title's glyphs added


@pytest.mark.heavy
def test_a_figure_drawn_and_filed_is_the_figure_plotted_alone(tmp_path: Path) -> None:
    """One figure saved twice gives the bytes two figures built alike give (the file as
    ``plot_isoflop`` writes it, titled alike), in svg, png and pdf; the page's has no title."""
    from scalinglab import isoflop, simulated_runs
    from scalinglab.report._figure_titles import isoflop_title
    from scalinglab.report._isoflop_plot import DPI, isoflop_figure, plot_isoflop

    iso = isoflop(simulated_runs(), bootstrap=20, seed=0)
    title = isoflop_title(iso)
    for fmt in ("svg", "png", "pdf"):
        file = tmp_path / f"drawn.{fmt}"
        svg = draw_svg(lambda: isoflop_figure(iso), file, dpi=DPI, file_title=title)
        with rc_context({"svg.hashsalt": "scalinglab"}):
            alone = plot_isoflop(iso, tmp_path / f"alone.{fmt}")
        assert file.read_bytes() == alone.read_bytes()
    untitled = tmp_path / "untitled.svg"
    assert svg == draw_svg(lambda: isoflop_figure(iso), untitled, dpi=DPI)  # page's = untitled
    assert svg == untitled.read_text(encoding="utf-8")


def test_settle_twice_is_settle_once() -> None:
    from matplotlib.figure import Figure

    def drawn(times: int) -> str:
        fig = Figure(figsize=(5, 3), layout="constrained")
        ax = fig.subplots()
        ax.plot([1e18, 1e21], [3.0, 2.5])
        ax.set(xscale="log", xlabel="compute C (FLOPs)")
        for _ in range(times):
            _layout.settle(fig)
        out = io.StringIO()
        with rc_context({"svg.hashsalt": "t"}):
            fig.savefig(out, format="svg", metadata={"Date": None})
        return out.getvalue()

    assert drawn(2) == drawn(1) != drawn(0)
