"""Figures of more than RASTER_POINTS markers draw their points as an embedded image (axes and
text still vector), so a report of 5,000 runs stays a page, not 8.8 MB of ``<use>`` points;
a figure of fewer stays all vector. Checked on the report page, on ``fit --plot`` as SVG, PDF
and PNG, and on the ``--figures`` files."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli
from tests.conftest import TRUTH, chinchilla_runs

from scalinglab import FitResult, read_runs
from scalinglab.cli import main
from scalinglab.report import plot_fit
from scalinglab.report._figure import ReportFigure, svg_markup
from scalinglab.report._raster import RASTER_POINTS, marks, rasterize_dense

_FIGURE = re.compile(r'<svg role="img" aria-label="([^"]+)".*?</svg>', re.DOTALL)


def _runs(n: int, *, seed: int = 0) -> pd.DataFrame:
    """``n`` runs scattered over 2.5 decades of N and D, the Chinchilla law with 0.5% noise
    (as the sweep that found the 8.8 MB page drew them)."""
    rng = np.random.default_rng(seed)
    n_params, tokens = 10 ** rng.uniform(7, 9.5, n), 10 ** rng.uniform(9, 11.5, n)
    loss = (
        TRUTH["E"]
        + TRUTH["A"] * n_params ** -TRUTH["alpha"]
        + TRUTH["B"] * tokens ** -TRUTH["beta"]
    )
    loss *= 1 + 0.005 * rng.standard_normal(n)
    runs = [f"r{i}" for i in range(n)]
    return pd.DataFrame(
        {"run": runs, "params": n_params.round(), "tokens": tokens.round(), "loss": loss}
    )


def _figures(html: str) -> dict[str, str]:
    return {m[1]: m[0] for m in _FIGURE.finditer(html)}


def _images(key: str, svg: str) -> int:
    """The figure's embedded images, less a colour bar's gradient (always an image)."""
    return svg.count("<image") - _COLOUR_BARS.get(key, 0)


_COLOUR_BARS = {"loss-scaling": 1, "isoflop": 1}


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "runs5k.csv"
    _runs(5000).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def big_report(big: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """The report of the 5,000 runs (``--bootstrap 0``), its figures also filed as PDF into
    ``--figures``: the page and the folder's files, from the one command."""
    folder = tmp_path_factory.mktemp("big-report")
    page = folder / "r.html"
    code = main(["report", str(big), "--bootstrap", "0", "--out", str(page), "--figures",
                 str(folder / "figs"), "--format", "pdf"])  # fmt: skip
    assert code == 0
    return page.read_text(encoding="utf-8"), folder / "figs"


def test_a_figure_over_the_limit_draws_its_points_as_an_image() -> None:
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.subplots()
    ax.scatter(np.arange(RASTER_POINTS), np.arange(RASTER_POINTS))
    ax.plot([0, 1], [0, 1])  # a line: never rasterised
    assert marks(fig) == RASTER_POINTS and not rasterize_dense(fig)
    ax.plot([0.5], [0.5], "o")  # one marker more
    assert marks(fig) == RASTER_POINTS + 1 and rasterize_dense(fig)
    assert [a.get_rasterized() for a in (*ax.collections, *ax.lines)] == [True, False, True]
    item = ReportFigure("dense", "Dense", "", fig)
    svg = svg_markup(item)
    assert "data:image/png;base64," in svg and svg.count("<use") < 100  # the tick labels
    assert svg_markup(item) == svg  # the same figure, the same bytes: no timestamp in the PNG


@pytest.mark.heavy
def test_a_report_of_5000_runs_embeds_images_and_stays_small(big_report: tuple[str, Path]) -> None:
    html = big_report[0]
    figures = _figures(html)
    assert {"loss-scaling", "residuals", "frontier", "backtest", "isoflop"} <= set(figures)
    for key in ("loss-scaling", "residuals", "frontier", "isoflop"):  # 5,000 points or more
        svg = figures[key]
        assert _images(key, svg) >= 1, key
        assert svg.count("<use") < 1000, key  # was 25,462 in loss-scaling: one per point
        assert "<path" in svg, key  # its axes, ticks and labels still vector
    # 500 held-out runs, no interval bars at --bootstrap 0: 1,000 markers, under the limit
    assert _images("backtest", figures["backtest"]) == 0
    assert figures["backtest"].count("<use") > 1000
    # was 8.8 MB (5.5 MB of figures, the 4.9 MB loss-scaling alone)
    assert len(figures["loss-scaling"]) < 600_000
    assert len(html) < 2_500_000, len(html)


@pytest.mark.heavy
def test_a_small_report_stays_all_vector(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    runs = tmp_path / "runs.csv"
    chinchilla_runs().to_csv(runs, index=False)  # 63 runs: 315 points in its largest figure
    page = tmp_path / "r.html"
    code, _, err = cli(capsys, "report", str(runs), "--bootstrap", "0", "--out", str(page))
    assert code == 0, err
    figures = _figures(page.read_text(encoding="utf-8"))
    assert {"loss-scaling", "residuals", "frontier", "backtest", "isoflop"} <= set(figures)
    for key, svg in figures.items():
        assert _images(key, svg) == 0, key
    assert figures["loss-scaling"].count("<use") > 5 * 63  # every point its own element


@pytest.mark.heavy
def test_fit_plot_of_5000_runs_as_pdf_svg_and_png(
    capsys: pytest.CaptureFixture[str], big: Path, tmp_path: Path
) -> None:
    """``fit --plot`` writes the SVG; the PDF and PNG are drawn by the function it calls,
    ``plot_fit``, from the fit it saved (``--out``): the same figure without fitting 5,000
    runs three times."""
    saved = tmp_path / "fit.json"
    code, _, err = cli(capsys, "fit", str(big), "--bootstrap", "0", "--plot",
                       str(tmp_path / "fit.svg"), "--out", str(saved))  # fmt: skip
    assert code == 0, err
    result, table = FitResult.load(saved), read_runs(big)
    for suffix in ("pdf", "png"):
        assert plot_fit(result, table, tmp_path / f"fit.{suffix}") == tmp_path / f"fit.{suffix}"
    sizes = {suffix: (tmp_path / f"fit.{suffix}").stat().st_size for suffix in ("pdf", "svg")}
    pdf, svg = (tmp_path / "fit.pdf").read_bytes(), (tmp_path / "fit.svg").read_text()
    assert b"/Subtype /Image" in pdf and "data:image/png;base64," in svg
    assert svg.count("<use") < 1000  # 10,000 points, each a <use> before
    assert sizes["pdf"] < 400_000 and sizes["svg"] < 600_000, sizes
    assert (tmp_path / "fit.png").read_bytes().startswith(b"\x89PNG")


# the 5,000-run report (11 CPU s) is built for the heavy tests above; the rule it applies is
# checked by default (test_a_figure_over_the_limit_draws_its_points_as_an_image)
@pytest.mark.heavy
def test_figures_folder_files_are_rasterised_too(big_report: tuple[str, Path]) -> None:
    folder = big_report[1]
    for name in ("loss-scaling", "residuals", "frontier"):
        assert b"/Subtype /Image" in (folder / f"{name}.pdf").read_bytes(), name
