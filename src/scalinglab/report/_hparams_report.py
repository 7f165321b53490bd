"""The hyperparameter report: located optima, the laws across cells, and held-out regret.

::

    hp = scalinglab.fit_hparams(sweep)
    write_hparams_report(hp, sweep, "report.html", backtest=backtest_hparams(sweep))

One self-contained page in the style of the fit report: per-cell loss maps over (lr, batch)
with the located optimum and the law's prediction marked, lr* and B* against N and D with the
fitted law and its band, and the regret table of the backtest.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._defaults import HPARAMS_BOOTSTRAP
from scalinglab._format import format_count, format_g, format_grouped, format_level
from scalinglab._no_intervals import no_intervals_line
from scalinglab._paths import write_text
from scalinglab.report._figure import ReportFigure, _new_figure
from scalinglab.report._hparams_data import sweep_line
from scalinglab.report._hparams_tables import (
    cells_table,
    intervals_line,
    kept,
    laws_table,
    regret_table,
    resamples,
    variables_line,
)
from scalinglab.report._html_parts import Section, kept_said, notes_list, page, warnings_list
from scalinglab.report._html_sections import figures_html, software_card
from scalinglab.report._ticks import plain_log_ticks

if TYPE_CHECKING:
    from scalinglab.hparams import HparamBacktest, HparamFit, Sweep

__all__ = ["hparams_figures", "write_hparams_report"]

# the cell maps' tick labels: 9 pt on a figure of five 2.3-inch panels read on the page as
# large as the 7 pt of the 10.2-inch figure of lr* and B* below it, both drawn page-wide
_CELL_TICKS = 9.0


def _cell_maps(hp: HparamFit, sweep: Sweep) -> ReportFigure:
    n = len(hp.cells)
    cols = min(5, n)
    rows = math.ceil(n / cols)
    from matplotlib.figure import Figure
    from matplotlib.ticker import NullFormatter

    # shared axes and a fixed layout: a grid of log-log panels under the constrained layout,
    # each with its own tick labels, took most of the report's time to draw
    fig = Figure(figsize=(2.3 * cols + 1.2, 2.1 * rows + 0.6))
    axes = fig.subplots(rows, cols, squeeze=False, sharex=True, sharey=True)
    fig.subplots_adjust(left=0.07, right=0.86, bottom=0.09, top=0.94, wspace=0.08, hspace=0.3)
    two_d = sweep.batch is not None
    at = sweep.cell_columns()  # the C the laws were fitted on: the sweep's FLOPs column
    for k, cell in enumerate(hp.cells):
        ax = axes[k // cols][k % cols]
        mask = sweep.cell == k
        lr, loss = sweep.lr[mask], sweep.loss[mask]
        rel = 100 * (loss / cell.best_loss - 1)
        batch = sweep.batch[mask] if two_d and sweep.batch is not None else np.ones_like(lr)
        ok = np.isfinite(rel) & (rel < 2.0)
        bad = ~ok
        ax.scatter(lr[bad], batch[bad], s=8, c="lightgrey", marker="s")
        pts = ax.scatter(
            lr[ok], batch[ok], s=22, c=rel[ok], cmap="viridis_r", vmin=0, vmax=2, marker="s"
        )
        ax.plot([cell.lr], [cell.batch if two_d else 1.0], "x", color="red", ms=8, mew=2)
        where = {**cell.keys, **{name: float(v[k]) for name, v in at.items()}}
        lr_law = hp.lr_law.predict(**where)[0]
        b_law = hp.batch_law.predict(**where)[0] if hp.batch_law else (cell.batch if two_d else 1.0)
        ax.plot([lr_law], [b_law], "o", mfc="none", mec="black", ms=8)
        ax.set_xscale("log")
        if two_d:
            ax.set_yscale("log")
        ax.set_title(cell.label() + ("" if cell.bracketed else " (flagged)"), fontsize=9)
        ax.tick_params(labelsize=_CELL_TICKS)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    fig.colorbar(pts, cax=fig.add_axes((0.89, 0.25, 0.015, 0.5)), label="loss over the best (%)")
    fig.supxlabel("peak learning rate", fontsize=10)
    fig.supylabel(f"batch ({sweep.batch_unit})" if two_d else "", fontsize=10)
    caption = (
        "Each cell's runs over (lr, batch), coloured by loss above the cell's best run (grey: "
        "more than 2% above, or diverged). Red x: the optimum located on the fitted surface ("
        + (
            "quadratic in log lr and log batch with a cubic term in log lr, as loss rises "
            "faster above the optimal lr than below"
            if hp.settings.get("surface", "quadratic") == "cubic"
            else "quadratic in log lr and log batch"
        )
        + "); "
        "black circle: the law's prediction for the cell (fitted on the used cells)."
    )
    return ReportFigure("hparams-cells", "Loss over (lr, batch), cell by cell", caption, fig)


def _law_panel(ax: Any, hp: HparamFit, which: str, axis: str, per_nd: np.ndarray) -> None:
    """lr* or B* against N or D: the used cells' optima, and the law's line and band per
    value of the other variable, its C ``per_nd`` (each cell's C/(N·D)) times N·D."""
    law = hp.lr_law if which == "lr" else hp.batch_law
    assert law is not None
    used = [hp.cells[i] for i in hp.used]
    vals = np.array([c.lr if which == "lr" else c.batch for c in used])
    lo = np.array([(c.lr_interval if which == "lr" else c.batch_interval)[0] for c in used])
    hi = np.array([(c.lr_interval if which == "lr" else c.batch_interval)[1] for c in used])
    x = np.array([c.keys[axis] for c in used])
    ratio = per_nd[list(hp.used)]
    other = "tokens" if axis == "params" else "params"
    groups = sorted({c.keys[other] for c in used})
    shade = _shades(groups) if len(groups) > 6 else None  # 10 colours cycle; no legend
    colors = [f"C{k}" for k in range(len(groups))] if shade is None else shade[2]
    for g, color in zip(groups, colors, strict=True):
        m = np.array([c.keys[other] == g for c in used])
        err = np.vstack([vals[m] - lo[m], hi[m] - vals[m]])
        ax.errorbar(
            x[m],
            vals[m],
            # a fit saved before cell intervals held their optimum may have one that does not
            yerr=np.where(np.isfinite(err), np.maximum(err, 0.0), 0.0),
            fmt="o",
            ms=4,
            color=color,
            label=f"{'D' if other == 'tokens' else 'N'}={format_count(g)}",  # as the cells
        )
        grid = np.geomspace(x.min() / 1.3, x.max() * 1.3, 50)
        where = {axis: grid, other: np.full_like(grid, g)}
        # C/(N·D) between the group's cells (in log): 7·N·D stays 7·N·D, and an exact count
        # (attention, the head: a ratio that moves with N) follows its cells
        order = np.argsort(x[m])
        r = np.exp(np.interp(np.log(grid), np.log(x[m][order]), np.log(ratio[m][order])))
        where["flops"] = r * where["params"] * where["tokens"]
        from scalinglab.laws import get_law

        f = get_law(law.formula)
        line = f.evaluate(dict(law.coefs), where)
        ax.plot(grid, line, "-", color=color, lw=1)
        if law.samples is not None and len(law.samples):
            draws = f.evaluate(law.samples, where)
            band = np.nanpercentile(draws, [50 * (1 - law.level), 50 * (1 + law.level)], axis=0)
            ax.fill_between(grid, band[0], band[1], color=color, alpha=0.15, lw=0)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("N (params)" if axis == "params" else "D (tokens)", fontsize=8)
    ax.set_ylabel("lr*" if which == "lr" else f"B* ({hp.batch_unit})", fontsize=8)
    ax.tick_params(which="both", labelsize=7)
    plain_log_ticks(ax.xaxis, format_count)
    plain_log_ticks(ax.yaxis, (lambda v: format_g(v, 3)) if which == "lr" else format_count)
    symbol = "D" if other == "tokens" else "N"
    if shade is None:
        ax.legend(fontsize=6)
    else:  # a colour bar says which line is which value
        from matplotlib.cm import ScalarMappable

        bar = ax.figure.colorbar(ScalarMappable(*shade[:2]), ax=ax, fraction=0.05, pad=0.02)
        # above the bar: at its side the label stood beside the next panel's own axis label
        bar.ax.set_title(f"{symbol}\n({other})", fontsize=7)
        bar.ax.tick_params(which="both", labelsize=7)
        plain_log_ticks(bar.ax.yaxis, format_count)


def _shades(values: list[float]) -> tuple[Any, Any, list[Any]]:
    """A log colour scale over ``values``: its norm, its colour map and each value's colour."""
    from matplotlib import colormaps
    from matplotlib.colors import LogNorm

    norm, cmap = LogNorm(min(values), max(values)), colormaps["viridis"]
    return norm, cmap, [cmap(norm(v)) for v in values]


def hparams_figures(hp: HparamFit, sweep: Sweep) -> list[ReportFigure]:
    """The report's figures: the per-cell maps, and lr* and B* against N and D."""
    figures = [_cell_maps(hp, sweep)]
    if all("params" in c.keys and "tokens" in c.keys for c in hp.cells):
        panels = [("lr", "params"), ("lr", "tokens")]
        if hp.batch_law is not None:
            panels.append(("batch", "tokens"))
        at = sweep.cell_columns()
        keys = np.array([[c.keys["params"], c.keys["tokens"]] for c in hp.cells])
        nd = keys[:, 0] * keys[:, 1]
        per_nd = at["flops"] / nd if "flops" in at else np.full(len(nd), 6.0)
        fig = _new_figure((3.4 * len(panels), 3.0))
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for ax, (which, axis) in zip(axes, panels, strict=True):
            _law_panel(ax, hp, which, axis, per_nd)
        banded = hp.has_intervals  # --bootstrap 0: no error bars, no bands
        caption = (
            "Located optima of the used cells"
            + (" with their bootstrap intervals" if banded else "")
            + f", and the laws ({hp.lr_law.formula}"
            + (f"; {hp.batch_law.formula}" if hp.batch_law else "")
            + (
                f") with their {format_level(hp.level)} bands ("
                + kept_said(resamples(hp), kept(hp, laws=True), noun="bootstrap resamples")
                + "), one line per value of the other variable."
                if banded
                else "), one line per value of the other variable; "
                + no_intervals_line(requested=resamples(hp), ask=HPARAMS_BOOTSTRAP)
                + " (no bands)."
            )
            + (
                " Fitted by regret: each cell weighted by what a miss costs on its surface, and "
                "lr* fitted to the best lr at the batch the B* law predicts, so the lr* line "
                "follows the batch law's misses rather than the located lr* points."
                if hp.settings.get("weighting", "equal") == "regret" and hp.batch_law
                else ""
            )
        )
        figures.append(ReportFigure("hparams-laws", "lr* and B* against N and D", caption, fig))
    return figures


def bootstrap_item(hp: HparamFit) -> str:
    """The card's "bootstrap" item: the resamples behind every interval on the page."""
    n = resamples(hp)
    if not n:
        return "none: no intervals"
    # as the loss card: the resamples the intervals kept, by the laws' fits and by the
    # cells' surfaces (the "Located optima" table's count), each named: they differ
    laws = kept(hp, laws=True)
    lo, hi = (min(laws), max(laws)) if laws else (n, n)
    held = f"{_span(lo, hi)} kept by the laws' fits"
    cells = kept(hp, laws=False)  # [] for a fit read back without its cells' draws
    held += f"; {_span(min(cells), max(cells))} per cell" if cells else ""
    return (
        f"{format_grouped(n)} resamples of each cell's runs with replacement ({held}), each cell's surface and "
        f"then the laws refitted; {format_level(hp.level)} percentile intervals; seed "
        f"{hp.settings.get('seed')}"
    )


def _span(lo: int, hi: int) -> str:
    """``958 to 1,000``, or ``1,000`` where the two agree."""
    return format_grouped(lo) if lo == hi else f"{format_grouped(lo)} to {format_grouped(hi)}"


def write_hparams_report(
    hp: HparamFit,
    sweep: Sweep,
    path: str | os.PathLike[str],
    *,
    backtest: HparamBacktest | None = None,
    title: str | None = None,
    command: str = "",
    no_backtest: str = "",
) -> Path:
    """Write the hyperparameter report as one self-contained HTML file and return its path;
    ``no_backtest``: why a page without ``backtest`` has none, said where its table would be."""

    figures = hparams_figures(hp, sweep)
    sections = [
        Section(
            "hparams-cells",
            "Located optima",
            sweep_line(hp, sweep)
            + intervals_line(hp)
            + cells_table(hp)
            + warnings_list(hp.warnings)
            + notes_list(hp.notes),
        ),
        Section(
            "hparams-laws",
            "Laws across cells",
            variables_line(hp, sweep) + intervals_line(hp, laws=True) + laws_table(hp),
        ),
        Section("hparams-figures", "Figures", figures_html(figures, ())),
    ]
    if backtest is not None:
        said = regret_table(backtest, said=hp.warnings)  # the fit's warnings, said once
        sections.append(Section("hparams-regret", "Backtest and regret", said))
    elif no_backtest:
        why = notes_list([no_backtest])
        sections.append(Section("hparams-regret", "Backtest and regret", why))
    # the versions that made the page, and the command that remakes it where there is one
    card = software_card(command, bootstrap=bootstrap_item(hp))
    sections.append(Section("hparams-card", "Reproduce", card))
    heading = title or "Optimal learning rate and batch"
    text = page(heading, "hyperparameter report", sections)
    return write_text(path, text)  # its folder made now, after the work
