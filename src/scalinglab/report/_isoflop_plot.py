"""Figures of the Chinchilla approaches 2 and 1: IsoFLOP parabolas and the training envelope.

::

    plot_isoflop(iso, "iso.png")              # parabolas with optima | N_opt(C) and D_opt(C)
    plot_envelope(env, curves, "env.png")     # curves against FLOPs and the envelope | N_opt(C)

Matplotlib is imported inside the functions and figures use the object API (no ``pyplot``).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab.report._figure import write_figure
from scalinglab.report._figure_titles import envelope_title, isoflop_title, page_title
from scalinglab.report._plot import FORMATS, colormap
from scalinglab.report._raster import rasterize_dense

if TYPE_CHECKING:
    from scalinglab.data import Curves
    from scalinglab.validate import EnvelopeResult, IsoFLOPResult

__all__ = ["DPI", "envelope_figure", "isoflop_figure", "plot_envelope", "plot_isoflop"]

#: Resolution the figures are written at (a PNG; an SVG's rasterised layers).
DPI = 130


def _figure_path(path: str | os.PathLike[str]) -> Path:
    out = Path(path)
    if out.suffix.lower() not in FORMATS:
        raise ConfigError(
            f"cannot write a figure as {out.suffix or 'a file without a suffix'!r}: {out}",
            hint=f"end the name with one of {', '.join(FORMATS)}",
        )
    return out


def _bar(est: Any) -> tuple[list[float], list[float]]:
    """Asymmetric error bar of an estimate (zero where there is no interval)."""
    lo = est.value - est.lower if math.isfinite(est.lower) else 0.0
    hi = est.upper - est.value if math.isfinite(est.upper) else 0.0
    return [max(lo, 0.0)], [max(hi, 0.0)]


def _laws_panel(ax: Any, result: Any, compute: np.ndarray, n_opt: np.ndarray, used: Any) -> None:
    """N_opt and D_opt against compute, with the fitted power laws and their bands."""
    grid = np.geomspace(compute.min() / 1.5, compute.max() * 1.5, 60)
    for law, color, name in (
        (result.params_law, "tab:red", "N_opt"),
        (result.tokens_law, "tab:blue", "D_opt"),
    ):
        band = [law.predict(float(c)) for c in grid]
        lower = np.array([b.lower for b in band])
        if np.isfinite(lower).all():
            ax.fill_between(grid, lower, [b.upper for b in band], color=color, alpha=0.15, lw=0)
        e = law.exponent
        interval = f" [{e.lower:.3f}, {e.upper:.3f}]" if math.isfinite(e.lower) else ""
        ax.plot(grid, law(grid), color=color, lw=1.8, label=f"{name} ∝ C^{e.value:.3f}{interval}")
    ax.scatter(compute[used], n_opt[used], color="tab:red", s=22, zorder=3)
    ax.scatter(compute[used], compute[used] / (6 * n_opt[used]), color="tab:blue", s=22, zorder=3)
    if (~used).any():
        ax.scatter(
            compute[~used], n_opt[~used], facecolor="none", edgecolor="0.3", s=30,
            label="flagged, not used", zorder=3,
        )  # fmt: skip
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="compute C (FLOPs)",
        ylabel="N_opt (params), D_opt (tokens)",
    )
    ax.set_title(f"compute-optimal allocation ({result.flops_rule})", fontsize=10)
    ax.legend(fontsize=8)


def plot_isoflop(result: IsoFLOPResult, path: str | os.PathLike[str]) -> Path:
    """IsoFLOP parabolas with their optima (left) and ``N_opt(C)``, ``D_opt(C)`` (right).

    Flagged budgets (vertex outside the sampled sizes, or no minimum) are drawn dashed with a
    hollow marker and are not part of the power laws.

    Args:
        result: The IsoFLOP analysis.
        path: Where to write; the format comes from the suffix (``.png``, ``.svg``, ``.pdf``).

    Returns:
        The path written.

    Raises:
        ConfigError: For a suffix that names no format.
    """
    out = _figure_path(path)
    write_figure(isoflop_figure(result), out, dpi=DPI, title=isoflop_title(result))
    return out


def isoflop_figure(result: IsoFLOPResult) -> Any:
    """The figure :func:`plot_isoflop` writes (a matplotlib ``Figure``), for a caller that
    writes it elsewhere too (the report's page and its ``--figures`` file); titled as the
    report titles its figures (:mod:`scalinglab.report._figure_titles`): a file's title is
    added as it is written (:func:`~scalinglab.report._figure_titles.isoflop_title`).

    Args:
        result: The isoFLOP analysis.
    """
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    compute = np.array([b.flops for b in result.budgets])
    norm = LogNorm(vmin=compute.min(), vmax=compute.max() * 1.0001)
    colors = colormap("plasma")
    for b in result.budgets:
        color = colors(norm(b.flops))
        n, loss = np.array(b.params), np.array(b.loss)
        left.scatter(n, loss, color=color, s=16, zorder=3)
        x = np.linspace(np.log10(n.min()) - 0.1, np.log10(n.max()) + 0.1, 80)
        c0, c1, c2 = b.coefs
        y = c0 + c1 * x + c2 * x**2
        left.plot(10**x, y if result.space == "linear" else np.exp(y), color=color, lw=1.2,
                  linestyle="-" if b.used else "--")  # fmt: skip
        if math.isfinite(b.params_opt.value):
            left.errorbar(
                [b.params_opt.value], [b.loss_opt.value], xerr=_bar(b.params_opt), fmt="D",
                color=color, mfc=color if b.used else "none", ms=6, capsize=3, zorder=4,
            )  # fmt: skip
    left.set(xscale="log", xlabel="model size N (params)", ylabel="loss")
    left.set_title("IsoFLOP profiles: parabola in log N per budget, vertex = N_opt", fontsize=10)
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=colors), ax=left, label="budget C (FLOPs)")
    used = np.array([b.used for b in result.budgets])
    n_opt = np.array([b.params_opt.value for b in result.budgets])
    finite = np.isfinite(n_opt)
    _laws_panel(right, result, compute[finite], n_opt[finite], used[finite])
    _titled(fig, result.simulated)
    return fig


def plot_envelope(result: EnvelopeResult, curves: Curves, path: str | os.PathLike[str]) -> Path:
    """Every curve's loss against compute with the envelope (left), and ``N_opt(C)`` (right).

    Args:
        result: The envelope fit.
        curves: The curves it was fitted to.
        path: Where to write; the format comes from the suffix (``.png``, ``.svg``, ``.pdf``).

    Returns:
        The path written.

    Raises:
        ConfigError: For a suffix that names no format.
    """
    out = _figure_path(path)
    write_figure(envelope_figure(result, curves), out, dpi=DPI, title=envelope_title(result))
    return out


def envelope_figure(result: EnvelopeResult, curves: Curves) -> Any:
    """The figure :func:`plot_envelope` writes (a matplotlib ``Figure``), its file's title
    added as it is written (:func:`~scalinglab.report._figure_titles.envelope_title`)."""
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    fig = Figure(figsize=(12, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    runs = np.array(curves.runs)
    norm = LogNorm(vmin=curves.params.min(), vmax=curves.params.max() * 1.0001)
    colors = colormap("viridis")
    flops = curves.flops
    for run in curves.run_ids:
        at = np.flatnonzero(runs == run)
        order = at[np.argsort(flops[at])]
        left.plot(flops[order], curves.loss[order], color=colors(norm(curves.params[at[0]])),
                  lw=0.9, alpha=0.8)  # fmt: skip
    grid, env = np.array(result.flops), np.array(result.loss)
    used = np.array(result.used)
    left.plot(grid, env, color="black", lw=1.0, linestyle=":", label="envelope")
    left.scatter(grid[used], env[used], color="black", s=10, zorder=3, label="envelope, fitted")
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=colors), ax=left, label="model size N (params)")
    left.set(xscale="log", yscale="log", xlabel="compute C = 6·N·D (FLOPs)", ylabel="loss")
    from matplotlib.ticker import FuncFormatter

    plain = FuncFormatter(lambda v, _: f"{v:g}")  # 3, not 3 × 10⁰, on a short log axis
    left.yaxis.set_major_formatter(plain)
    left.yaxis.set_minor_formatter(plain)
    left.set_title("training curves and their lower envelope", fontsize=10)
    left.legend(fontsize=8)
    n_opt = np.array(result.params)
    finite = np.isfinite(n_opt)
    _laws_panel(right, result, grid[finite], n_opt[finite], used[finite])
    _titled(fig, result.simulated)
    rasterize_dense(fig, lines=True)  # hundreds of long curves: their lines one image too
    return fig


def _titled(fig: Any, simulated: bool) -> None:
    """Only the warning that the data are simulated, as the report's figures carry
    (:func:`~scalinglab.report._figure_titles.page_title`); the file's title is added as it
    is written."""
    page_title(fig, simulated=simulated)
    # room between the panels for the left one's colour bar label and the right's y label
    fig.get_layout_engine().set(wspace=0.06)
