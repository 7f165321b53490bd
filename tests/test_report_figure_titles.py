"""The report's figures are titled in one place: on the page, under headings that name them,
a figure carries no title of its own (the isoFLOP figure repeated the page's long heading, the
backtest's the section's text); a ``--figures`` file carries a short one of its own."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from matplotlib import rc_context
from tests._cli import cli

from scalinglab.report._figure import draw_svg, save_figure
from scalinglab.report._figure_titles import (
    FILE_TITLE_SIZE,
    data_name,
    file_title,
    titled_file,
)

_BUNDLED = (
    "overtraining-c4: open_lm models of 10.6M-411.6M params trained on c4_original, loss = C4 "
    "validation loss; Gadre et al. 2024 (arXiv:2403.08540), github.com/mlfoundations/scaling, "
    "MIT license (31 runs)"
)


def test_data_names_are_short() -> None:
    assert data_name(_BUNDLED) == "overtraining-c4 (31 runs)"
    assert data_name("runs.csv (240 runs)") == "runs.csv (240 runs)"
    simulated = "SIMULATED ladder — Hoffmann et al. 2022 law + 1% noise, seed 0 (49 runs)"
    assert data_name(simulated) == "simulated runs (49 runs)"
    assert file_title("Residuals", "chinchilla on x.csv") == "Residuals: chinchilla on x.csv"
    # a file by its name, a selection by its count: their folders and sizes run long
    selected = "/data/runs/2024/sweep.csv (220 of its 245 runs selected, 57.3M-12.6B params)"
    assert data_name(selected) == "sweep.csv (220 of 245 runs)"
    assert data_name("/d/r.csv (1 run, 3 excluded)") == "r.csv (1 run, 3 excluded)"
    assert data_name("/d/runs.duckdb (run store)") == "runs.duckdb (run store)"
    assert data_name("<DataFrame>") == "<DataFrame>"


@pytest.mark.heavy
def test_plots_written_alone_are_titled_as_report_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """plot_fit, plot_isoflop, plot_envelope and plot_backtest (``fit --plot``, ``isoflop
    --plot``, ...) write a short title of their own, as a --figures file (it was the data's
    whole description, a formula and its coefficients, or the split alone)."""
    from matplotlib.figure import Figure
    from tests._chinchilla_draws import HOFFMANN, isoflop_runs, law_curves

    from scalinglab import backtest, envelope, fit, isoflop, read_runs
    from scalinglab.data import read_curves
    from scalinglab.report import plot_backtest, plot_envelope, plot_fit, plot_isoflop

    titles: list[list[str]] = []
    save = Figure.savefig

    def saved(self: Figure, *args: object, **kwargs: object) -> None:
        titles.append([t.get_text() for t in self.texts])
        save(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", saved)
    path = tmp_path / "deep" / "folder" / "runs.csv"
    path.parent.mkdir(parents=True)
    isoflop_runs(seed=0).to_csv(path, index=False)
    runs = read_runs(path)
    n = len(runs)
    plot_fit(fit("chinchilla", runs, bootstrap=0), runs, tmp_path / "fit.png")
    one = fit("power-law-plus-constant", runs, bootstrap=0)
    plot_fit(one, runs, tmp_path / "one.png")
    plot_isoflop(isoflop(runs, bootstrap=0), tmp_path / "iso.png")
    bt = backtest(runs, law="chinchilla", bootstrap=0)
    plot_backtest(bt, tmp_path / "bt.png")
    curves = law_curves(HOFFMANN, noise=0.0, sizes=12)
    plot_envelope(envelope(curves, bootstrap=0), read_curves(curves), tmp_path / "env.png")
    kept, held = n - bt.summary.n, bt.summary.n
    assert titles == [
        [f"Loss against compute: chinchilla on runs.csv ({n} runs)"],
        [f"Loss against N: power-law-plus-constant on runs.csv ({n} runs)"],
        [f"IsoFLOP profiles and optima: runs.csv ({n} runs), Chinchilla approach 2"],
        [
            f"Held-out runs predicted: chinchilla on runs.csv ({kept} of {n} runs), {held} held "
            f"out ({bt.split.description})"
        ],
        ["Training curves and their lower envelope: <DataFrame> (12 runs), Chinchilla approach 1"],
    ]


@pytest.mark.heavy
def test_page_figures_carry_no_heading_and_files_a_short_title(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matplotlib.figure import Figure

    titles: dict[str, list[str]] = {}  # each saved file's figure-level texts
    save = Figure.savefig

    def recorded(self: Figure, out: object, **kwargs: object) -> None:
        # a file is written to a temporary `.<name>.<pid>.tmp` beside it, then renamed
        written = Path(str(getattr(out, "name", out))).name
        name = (
            "page"
            if isinstance(out, io.StringIO)
            else re.sub(r"^\.(.+)\.\d+\.tmp$", r"\1", written)
        )
        titles.setdefault(name, []).append(" | ".join(t.get_text() for t in self.texts))
        save(self, out, **kwargs)

    monkeypatch.setattr(Figure, "savefig", recorded)
    folder = tmp_path / "figs"
    code, _, err = cli(
        capsys, "report", "--data", "overtraining-c4", "--bootstrap", "20",
        "--out", str(tmp_path / "r.html"), "--figures", str(folder),
    )  # fmt: skip
    assert code == 0, err
    assert set(titles["page"]) == {""}  # every figure on the page: no title at all
    assert titles["isoflop.svg"] == [
        "IsoFLOP profiles and optima: overtraining-c4 (31 runs), Chinchilla approach 2"
    ]
    assert titles["backtest.svg"] == [
        "Held-out runs predicted: chinchilla on overtraining-c4 (27 of 31 runs), 4 held out "
        "(the top 10% by flops: flops >= 8.13e19)"
    ]
    assert titles["loss-scaling.svg"] == [
        "Loss against N, D and C: chinchilla on overtraining-c4 (31 runs)"
    ]
    assert titles["residuals.svg"] == ["Residuals: chinchilla on overtraining-c4 (31 runs)"]
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    # the page's headings name the figures, as the files' titles begin
    assert "<strong>IsoFLOP profiles and optima.</strong>" in page
    assert "<strong>Held-out runs predicted.</strong>" in page


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_a_simulated_figure_says_so_on_the_page_and_in_its_file(tmp_path: Path) -> None:
    from scalinglab import isoflop, simulated_runs
    from scalinglab.report._isoflop_plot import DPI, isoflop_figure

    iso = isoflop(simulated_runs(), bootstrap=0, seed=0)
    fig = isoflop_figure(iso)
    assert fig.get_suptitle() == "SIMULATED DATA (not real training runs)"
    svg = draw_svg(lambda: fig, tmp_path / "f.png", dpi=DPI, file_title="IsoFLOP: simulated")
    assert [t.get_text() for t in fig.texts] == ["SIMULATED DATA (not real training runs)"]
    assert "<svg" in svg


def test_the_file_title_grows_the_figure_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    from matplotlib.figure import Figure

    from scalinglab.report._figure import ReportFigure, rendered

    fig = Figure(figsize=(6.0, 3.0), layout="constrained")
    ax = fig.subplots()
    ax.plot([1, 2], [3, 4])
    item = rendered(ReportFigure("k", "A heading", "", fig))
    before = ax.get_position().bounds
    with titled_file(fig, "A heading: data"):
        width, height = fig.get_size_inches()
        inside = ax.get_position()
        (text,) = fig.texts
        assert text.get_fontsize() == FILE_TITLE_SIZE
        grown = height - 3.0
        assert width == 6.0 and grown == pytest.approx((FILE_TITLE_SIZE * 1.25 + 8) / 72)
        # the panel keeps its size in inches, its top now below the strip
        assert inside.height * height == pytest.approx(before[3] * 3.0)
        assert inside.y1 * height == pytest.approx(before[1] * 3.0 + before[3] * 3.0)
    assert ax.get_position().bounds == before and fig.texts == []
    assert tuple(fig.get_size_inches()) == (6.0, 3.0)
    out = save_figure(item, tmp_path, fmt="svg", title="A heading: data")
    again = io.StringIO()
    with rc_context({"svg.hashsalt": "scalinglab-k", "svg.fonttype": "path"}):
        fig.savefig(again, format="svg", metadata={"Date": None})
    height_pt = re.search(r'height="([\d.]+)pt"', out.read_text(encoding="utf-8"))
    assert height_pt is not None and float(height_pt[1]) == pytest.approx((3.0 + grown) * 72)
    assert 'height="216pt"' in again.getvalue()  # the page's figure: 3 inches, as drawn
