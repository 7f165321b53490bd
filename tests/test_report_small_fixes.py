"""Small things a new user saw in ``scalinglab report``: the isoFLOP figure's long title
wraps and its panels leave room between them, and a law of compute alone gets the loss at
each budget as ``plan --compute`` gives it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._pages import page_text
from tests.test_report_pages import _write

from scalinglab import read_runs


@pytest.mark.heavy  # 1.6 s in the suite on a 2-core AMD EPYC
def test_isoflop_file_title_is_short_for_a_long_data_label(tmp_path: Path) -> None:
    """plot_isoflop's file is titled as a report --figures file (the data's short name, not
    its whole description), and its panels leave room between them."""
    from matplotlib.figure import Figure

    from scalinglab import isoflop, simulated_runs
    from scalinglab.report import plot_isoflop
    from scalinglab.report._isoflop_plot import isoflop_figure

    iso = isoflop(simulated_runs(), bootstrap=0, seed=0)
    assert isoflop_figure(iso).get_layout_engine().get()["wspace"] == pytest.approx(0.06)
    long = "overtraining-c4: 31 open_lm models of 10.6M-411.6M params " * 4 + "(49 runs)"
    titles: list[list[str]] = []
    save = Figure.savefig

    def saved(self: Figure, *args: object, **kwargs: object) -> None:
        titles.append([t.get_text() for t in self.texts])
        save(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Figure, "savefig", saved)
        plot_isoflop(iso, tmp_path / "iso.png")
        plot_isoflop(replace(iso, source=long), tmp_path / "long.png")
    simulated = "SIMULATED DATA (not real training runs)"
    assert titles == [
        [simulated, "IsoFLOP profiles and optima: simulated runs (49 runs), Chinchilla approach 2"],
        [
            simulated,
            "IsoFLOP profiles and optima: overtraining-c4 (49 runs), Chinchilla approach 2",
        ],
    ]


@pytest.mark.heavy  # 2.7 s in the suite on a 2-core AMD EPYC
def test_a_law_of_compute_alone_plans_the_loss_at_each_budget(
    capsys: pytest.CaptureFixture[str], tmp_path_factory: pytest.TempPathFactory
) -> None:
    import json

    from scalinglab.cli import main

    page = _write(tmp_path_factory, "--law", "power-law:flops", "--bootstrap", "20")
    plan = page_text(page, "plan")
    assert "no planning table" not in plan
    assert "The loss at each budget by the law of compute alone, L(C)" in plan
    # the same loss and interval `plan --compute` gives from the same fit
    fit = tmp_path_factory.mktemp("fit") / "plf.json"
    args = ["--law", "power-law:flops", "--bootstrap", "20"]
    assert main(["fit", *args, "--out", str(fit)]) == 0
    capsys.readouterr()
    assert main(["plan", "--fit", str(fit), "--compute", "1e22", "--json"]) == 0
    a = json.loads(capsys.readouterr().out)["allocation"]
    shown = f"1e22 {a['loss']:.5g} [{a['loss_lower']:.5g}, {a['loss_upper']:.5g}]"
    assert shown in plan, (shown, plan)


def test_a_formula_of_compute_under_another_symbol_is_planned_as_l_of_c(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """``E + A*F**-alpha`` with ``--x F=flops`` is a law of compute alone, as ``fit
    --compute`` and ``plan`` read it (``compute_symbol``), not only a law whose symbol is C."""
    args = ("--law", "E + A*F**-alpha", "--x", "F=flops", "--bootstrap", "20", "--no-validate")
    plan = page_text(_write(tmp_path_factory, *args), "plan")
    assert "no planning table" not in plan
    assert "The loss at each budget by the law of compute alone, L(C)" in plan


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_a_fit_figures_title_wraps_and_its_parity_ticks_are_plain_on_both_axes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A formula of N and C is drawn as a parity panel: its title (the figure's heading, the
    formula and the file by its name, not its long path) is wrapped inside the narrow
    figure, and neither axis reads 2.2×10⁰."""
    from matplotlib.figure import Figure

    from scalinglab import fit
    from scalinglab.report import plot_fit

    rng = np.random.default_rng(0)
    n = np.repeat(np.geomspace(1e8, 1e10, 8), 4)
    d = n * np.tile([5.0, 10.0, 20.0, 40.0], 8)
    loss = (1.8 + 480 * n**-0.35 + 1800 * d**-0.36) * np.exp(rng.normal(0, 0.003, n.size))
    source = tmp_path / ("a_long_directory_name_" * 4) / "runs.csv"
    source.parent.mkdir()
    pd.DataFrame({"Model Size": n, "Training FLOP": 6 * n * d, "loss": loss}).to_csv(source)
    x = {"M": "Model Size", "F": "Training FLOP"}
    result = fit("E + A*M**-alpha + B*(F/(6*M))**-beta", source, x=x, bootstrap=0)
    figures: list[Figure] = []
    extents = []

    def saved(fig: Figure, *args: object, **kwargs: object) -> None:
        figures.append(fig)
        fig.canvas.draw()
        (text,) = fig.texts  # the file's title, as written
        extents.append((text.get_text(), text.get_window_extent(), fig.bbox.width))

    monkeypatch.setattr(Figure, "savefig", saved)
    plot_fit(result, read_runs(source, columns={"params": "Model Size"}), tmp_path / "p.png")
    (fig,) = figures
    ((title, box, width),) = extents
    assert " ".join(title.split("\n")) == (
        "Observed against fitted loss: E + A*M**-alpha + B*(F/(6*M))**-beta on runs.csv (32 runs)"
    )
    assert len(title.split("\n")) == 2 and box.x0 >= 0 and box.x1 <= width
    (ax,) = fig.axes
    for axis in (ax.xaxis, ax.yaxis):
        labels = [t.get_text() for t in axis.get_ticklabels(minor=True)]
        labels += [t.get_text() for t in axis.get_ticklabels()]
        assert "2.2" in labels or "2.5" in labels or "3" in labels, labels
        assert not any("times" in t or "×" in t for t in labels), labels


def test_plain_ticks_leave_an_x_of_sizes_to_powers_of_ten() -> None:
    """Only a loss axis gets plain labels: an x of N spanning under a decade (an isoFLOP
    panel) keeps matplotlib's formatter, a parity panel's loss x gets them."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    from scalinglab.report._plot import _plain_ticks

    for x, plain in ((False, False), (True, True)):
        ax = Figure().subplots()
        ax.plot([1e8, 5e8], [2.2, 2.9])
        ax.set(xscale="log", yscale="log")
        _plain_ticks(ax, x=x)
        assert isinstance(ax.xaxis.get_major_formatter(), FuncFormatter) is plain
        assert isinstance(ax.yaxis.get_major_formatter(), FuncFormatter)
