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

from scalinglab._format import format_level
from scalinglab._paths import writable
from scalinglab.hparams._fixed_batch import batch_header
from scalinglab.hparams._laws import OPTIMUM
from scalinglab.report._figure import ReportFigure, _new_figure
from scalinglab.report._hparams_data import sweep_line
from scalinglab.report._html_parts import Section, escape, human, notes_list, page, percent, span
from scalinglab.report._html_sections import figures_html, software_card

if TYPE_CHECKING:
    from scalinglab.hparams import HparamBacktest, HparamFit, Sweep

__all__ = ["hparams_figures", "write_hparams_report"]


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
        where = dict(cell.keys)
        where.setdefault("flops", 6.0 * where.get("params", 0.0) * where.get("tokens", 0.0))
        lr_law = hp.lr_law.predict(**where)[0]
        b_law = hp.batch_law.predict(**where)[0] if hp.batch_law else (cell.batch if two_d else 1.0)
        ax.plot([lr_law], [b_law], "o", mfc="none", mec="black", ms=8)
        ax.set_xscale("log")
        if two_d:
            ax.set_yscale("log")
        ax.set_title(cell.label() + ("" if cell.bracketed else " (flagged)"), fontsize=7)
        ax.tick_params(labelsize=6)
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
    for k in range(n, rows * cols):
        axes[k // cols][k % cols].set_visible(False)
    fig.colorbar(pts, cax=fig.add_axes((0.89, 0.25, 0.015, 0.5)), label="loss over the best (%)")
    fig.supxlabel("peak learning rate", fontsize=8)
    fig.supylabel(f"batch ({sweep.batch_unit})" if two_d else "", fontsize=8)
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


def _law_panel(ax: Any, hp: HparamFit, which: str, axis: str) -> None:
    law = hp.lr_law if which == "lr" else hp.batch_law
    assert law is not None
    used = [hp.cells[i] for i in hp.used]
    vals = np.array([c.lr if which == "lr" else c.batch for c in used])
    lo = np.array([(c.lr_interval if which == "lr" else c.batch_interval)[0] for c in used])
    hi = np.array([(c.lr_interval if which == "lr" else c.batch_interval)[1] for c in used])
    x = np.array([c.keys[axis] for c in used])
    other = "tokens" if axis == "params" else "params"
    groups = sorted({c.keys[other] for c in used})
    colors = [f"C{k % 10}" for k in range(len(groups))]
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
            label=f"{'D' if other == 'tokens' else 'N'}={g:.3g}",
        )
        grid = np.geomspace(x.min() / 1.3, x.max() * 1.3, 50)
        where = {axis: grid, other: np.full_like(grid, g)}
        where["flops"] = 6.0 * where["params"] * where["tokens"]
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
    ax.set_ylabel("lr*" if which == "lr" else "B*", fontsize=8)
    ax.tick_params(labelsize=7)
    if len(groups) <= 6:
        ax.legend(fontsize=6)


def hparams_figures(hp: HparamFit, sweep: Sweep) -> list[ReportFigure]:
    """The report's figures: the per-cell maps, and lr* and B* against N and D."""
    figures = [_cell_maps(hp, sweep)]
    if all("params" in c.keys and "tokens" in c.keys for c in hp.cells):
        panels = [("lr", "params"), ("lr", "tokens")]
        if hp.batch_law is not None:
            panels.append(("batch", "tokens"))
        fig = _new_figure((3.4 * len(panels), 3.0))
        axes = fig.subplots(1, len(panels), squeeze=False)[0]
        for ax, (which, axis) in zip(axes, panels, strict=True):
            _law_panel(ax, hp, which, axis)
        caption = (
            "Located optima of the used cells with their bootstrap intervals, and the laws "
            f"({hp.lr_law.formula}"
            + (f"; {hp.batch_law.formula}" if hp.batch_law else "")
            + f") with their {format_level(hp.level)} bands, one line per value of the other variable."
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


def _cells_table(hp: HparamFit) -> str:
    # the batch columns as hparams fit heads them: B*, the sweep's fixed batch, or none
    batch = batch_header(hp.cells, hp.batch_unit)
    interval = f"{format_level(hp.level)} interval"  # as hparams fit titles its table
    head: tuple[str, ...] = ("cell", "runs", "diverged", "lr*", interval)
    head += () if batch is None else (batch, interval) if batch.startswith("B*") else (batch,)
    head += ("loss*", "status")
    rows = []
    for c in hp.cells:
        cells: list[object] = [
            c.label(),
            c.n_runs,
            len(c.diverged),
            f"{c.lr:.3g}",
            span(*c.lr_interval, lambda v: f"{v:.3g}"),  # "—" without one, as hparams fit
        ]
        if batch is not None:
            cells.append(_count(c.batch))  # as the CLI prints B*: 191K tokens
            if batch.startswith("B*"):
                cells.append(span(*c.batch_interval, _count))
        cells += [f"{c.loss:.4f}", c.status]
        rows.append("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in cells) + "</tr>")
    return (
        "<table><thead><tr>"
        + "".join(f"<th>{escape(h)}</th>" for h in head)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def _count(value: float) -> str:
    """A batch size (tokens or sequences) in the units people use, as the CLI prints it."""
    return human(value, "tokens")


def _ratio(value: float) -> str:
    """A pred/located ratio; '—' for a method that predicted no batch (scored on lr only)."""
    return f"{value:.2f}" if math.isfinite(value) else "—"


def _laws_table(hp: HparamFit) -> str:
    rows = []
    for law in (hp.lr_law, hp.batch_law, hp.loss_law):
        if law is None:
            continue
        for name, value in law.coefs.items():
            lo, hi = law.intervals[name]
            rows.append(
                f"<tr><td>{OPTIMUM[law.target]} = {escape(law.formula)}</td>"
                f"<td>{escape(name)}</td><td>{value:.4g}</td>"
                f"<td>{span(lo, hi, lambda v: f'{v:.4g}')}</td></tr>"
            )
    return (
        "<table><thead><tr><th>law</th><th>coef</th><th>value</th>"
        f"<th>{format_level(hp.level)} interval</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
        + (f"<p>Law choice: {escape(hp.law_choice.reason)}.</p>" if hp.law_choice else "")
    )


def _regret_table(bt: HparamBacktest) -> str:
    rows = []
    for m in bt.methods:
        r = bt.summary(m)
        rows.append(
            f"<tr><td>{escape(m)}</td><td>{percent(r['median_regret'], 3)}</td>"
            f"<td>{percent(r['worst_regret'], 3)}</td>"
            f"<td>{percent(r['median_grid_regret'], 3)}</td>"
            f"<td>{r['median_lr_ratio']:.2f}</td><td>{_ratio(r['median_batch_ratio'])}</td></tr>"
        )
    per = []
    for s in bt.scores:
        per.append(
            f"<tr><td>{escape(s.method)}</td><td>{escape(s.cell)}</td><td>{s.lr_ratio:.2f}</td>"
            f"<td>{_ratio(s.batch_ratio)}</td><td>{percent(s.regret, 3)}"
            f"{' (beyond grid)' if s.beyond_grid else ' (beyond window)' if s.beyond_window else ''}</td>"
            f"<td>{percent(s.grid_regret, 3)}</td></tr>"
        )
    return (
        f"<p>Held out: {escape(bt.holdout)}; laws fitted on {len(bt.train_cells)} cells. Regret: "
        "the held-out cell's fitted surface at the prediction over its minimum, minus one; "
        "grid regret: the same read off the cell's runs by linear interpolation (— where it "
        "cannot be read; the notes below say why, and which cells the medians use).</p>"
        "<table><thead><tr><th>method</th><th>median regret</th><th>worst</th>"
        "<th>median grid regret (runs)</th><th>median lr pred/located</th><th>median B pred/located</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        "<table><thead><tr><th>method</th><th>cell</th><th>lr pred/located</th>"
        "<th>B pred/located</th><th>regret</th><th>grid regret (runs)</th></tr></thead><tbody>"
        + "".join(per)
        + "</tbody></table>"
        + (
            f"<p>Law choice on the training cells: {escape(bt.law_choice.reason)}.</p>"
            if bt.law_choice
            else ""
        )
        + notes_list(bt.notes)
    )


def write_hparams_report(
    hp: HparamFit,
    sweep: Sweep,
    path: str | os.PathLike[str],
    *,
    backtest: HparamBacktest | None = None,
    title: str | None = None,
    command: str = "",
) -> Path:
    """Write the hyperparameter report as one self-contained HTML file and return its path."""

    figures = hparams_figures(hp, sweep)
    sections = [
        Section(
            "hparams-cells",
            "Located optima",
            sweep_line(hp, sweep) + _cells_table(hp) + notes_list(hp.notes),
        ),
        Section("hparams-laws", "Laws across cells", _laws_table(hp)),
        Section("hparams-figures", "Figures", figures_html(figures, ())),
    ]
    if backtest is not None:
        sections.append(Section("hparams-regret", "Backtest and regret", _regret_table(backtest)))
    # the versions that made the page, and the command that remakes it where there is one
    sections.append(Section("hparams-card", "Reproduce", software_card(command)))
    heading = title or "Optimal learning rate and batch"
    text = page(heading, "hyperparameter report", sections)
    out = writable(path)
    out.write_text(text, encoding="utf-8")
    return out
