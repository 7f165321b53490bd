"""Figures of curve fits: predicted against observed curves, and residuals against step.

Drawn on a bare :class:`matplotlib.figure.Figure` (no ``pyplot``, no display), like the
rest of :mod:`scalinglab.report`; matplotlib is imported only when a figure is drawn.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from scalinglab.curves._data import Curve
from scalinglab.curves._result import CurveFit
from scalinglab.report._figure import write_figure
from scalinglab.report._raster import rasterize_dense

__all__ = ["DPI", "curves_figure", "plot_curves"]

#: Resolution the figure is written at (a PNG; an SVG's rasterised layers).
DPI = 130


def plot_curves(
    result: CurveFit,
    curves: Sequence[Curve],
    path: str | os.PathLike[str],
    *,
    held_out: Sequence[str] = (),
) -> None:
    """Observed curves with the fit's predictions (held-out runs dashed, with their
    interval), and the relative residual of every logged point against step.

    Args:
        result: The curve fit.
        curves: Curves to draw (fitted and held-out).
        path: Figure file (.png, .svg, .pdf).
        held_out: Runs the fit did not see.
    """
    write_figure(curves_figure(result, curves, held_out=held_out), path, dpi=DPI)


LEGEND_CURVES = 20
"""Curves named in the figure's legend at most; more get one line saying how many."""


def curves_figure(
    result: CurveFit, curves: Sequence[Curve], *, held_out: Sequence[str] = ()
) -> Any:
    """The figure :func:`plot_curves` writes (a matplotlib ``Figure``), for a caller that
    writes it elsewhere too (the report's page and its file)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    ax, res = fig.subplots(1, 2)
    sized = result.law.startswith("sized:")
    colors = [f"C{i % 10}" for i in range(len(curves))]
    for c, color in zip(curves, colors, strict=True):
        at = c.step >= c.schedule.warmup
        pred = result.predict(c.schedule, steps=c.step[at], params=c.params if sized else None)
        held = c.run in held_out
        name = c.run.split("/")[-1] + (" (held out)" if held else "")
        # the observations over the fitted line, which is thin and translucent: both read;
        # both under the spines' 2.5, so that a large plot's raster layers stay one image
        ax.plot(c.step[at], c.loss[at], ".", ms=2, color=color, alpha=0.8, zorder=2.2)
        ax.plot(pred.step, pred.loss, "--" if held else "-", color=color, lw=0.8, alpha=0.7,
                label=name, zorder=2.1)  # fmt: skip
        if held and np.isfinite(pred.lower).all():
            ax.fill_between(pred.step, pred.lower, pred.upper, color=color, alpha=0.15, lw=0)
        res.plot(c.step[at], 100 * (c.loss[at] / pred.loss - 1), ".", ms=2, color=color)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(f"{result.law}: observed (dots), fitted (solid), predicted (dashed)")
    if len(curves) <= LEGEND_CURVES:
        ax.legend(fontsize=7)
    else:  # a legend of every curve crowds the axes out: the layout collapses (a warning)
        note = f"{len(curves)} curves: too many to name here (colours repeat every 10)"
        ax.text(0.99, 0.99, note, transform=ax.transAxes, ha="right", va="top", fontsize=7)
    res.axhline(0.0, color="k", lw=0.6)
    res.set_xlabel("step")
    res.set_ylabel("observed / predicted - 1 (%)")
    res.set_title("residuals against step")
    rasterize_dense(fig, lines=True)  # hundreds of long curves: their lines one image too
    return fig
