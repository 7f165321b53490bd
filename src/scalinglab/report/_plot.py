"""``plot_fit``: the runs, the fitted law, its prediction band, and an extrapolation 100× out.

Matplotlib is imported inside the functions, and figures are built with the object API
(:class:`matplotlib.figure.Figure`, no ``pyplot``), so drawing needs no display, never
changes the caller's backend, and ``import scalinglab`` stays light.

- Laws in ``N`` and ``D`` (Chinchilla, Kaplan, formulas whose symbols read params and tokens,
  whatever their names: the laws planning plans): loss against compute
  (the ``flops`` column, else ``6·N·D``) coloured by model size, with the compute-optimal
  frontier ``L*(C)`` and its band out to 100× the largest run; and loss against model size
  with the fitted IsoFLOP curves ``L(N, C/(6N))`` at the runs' budgets.
- One-variable laws: the runs, the fit and its band, out to 100× the largest value.
- Anything else: observed against fitted loss.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab._format import format_beyond, format_level
from scalinglab.fit._withheld import planning_pair
from scalinglab.report._figure import write_figure
from scalinglab.report._figure_titles import (
    ND_HEADING,
    PARITY_HEADING,
    against,
    fit_title,
    page_title,
)
from scalinglab.report._nd_runs import nd_columns, nd_symbols, run_compute

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["EXTRAPOLATE", "FORMATS", "colormap", "on_isoflop_grid", "plot_fit"]

Array = NDArray[np.float64]

#: Figure formats, by suffix.
FORMATS: tuple[str, ...] = (".png", ".svg", ".pdf")
#: How far beyond the largest run the fitted law is drawn.
EXTRAPOLATE = 100.0
_BAND = {"color": "tab:red", "alpha": 0.18, "linewidth": 0}
_LINE = {"color": "tab:red", "linewidth": 2}
_SHADE = {"color": "0.92", "zorder": 0}
_DPI = 130


def plot_fit(
    result: FitResult,
    runs: RunTable,
    path: str | os.PathLike[str],
    *,
    budgets: Sequence[float] | None = None,
    y: str = "loss",
) -> Path:
    """Draw a fit against its runs and write the figure.

    Args:
        result: The fit.
        runs: The runs it was fitted to (the same table).
        path: Where to write; the format comes from the suffix (``.png``, ``.svg``, ``.pdf``).
        budgets: Compute budgets (FLOPs) to mark on the frontier of a law in N and D.
        y: The column holding the loss.

    Returns:
        ``path``, as a :class:`~pathlib.Path`.

    Raises:
        ConfigError: For a suffix that names no supported format.
    """
    from matplotlib.figure import Figure

    out = Path(path)
    if out.suffix.lower() not in FORMATS:
        raise ConfigError(
            f"cannot write a figure as {out.suffix or 'a file without a suffix'!r}: {out}",
            hint=f"end the name with one of {', '.join(FORMATS)}",
        )
    symbols = set(result.columns)
    loss = np.asarray(runs[y], dtype=np.float64)
    # the laws planning plans (by the columns read, not the symbols); runs that leave N and
    # D unidentified: any frontier is arbitrary (planning refuses it)
    if planning_pair(result.law) is not None and not result.plan_withheld:
        heading = ND_HEADING
        fig = Figure(figsize=(12, 4.8), layout="constrained")
        panels = list(fig.subplots(1, 2))
        left, right = panels
        _frontier_panel(left, result, runs, loss, budgets or ())
        if on_isoflop_grid(run_compute(result, runs), runs[nd_columns(result)[0]]):
            _isoflop_panel(right, result, runs, loss)
        else:  # IsoFLOP curves through scattered runs would show no data along them
            _parity_panel(right, result, runs, loss)
    elif len(symbols) == 1:
        heading = against(next(iter(symbols)))
        fig = Figure(figsize=(6.5, 4.8), layout="constrained")
        panels = [fig.subplots()]
        _one_variable_panel(panels[0], result, runs, loss)
    else:
        heading = PARITY_HEADING
        fig = Figure(figsize=(5.5, 5), layout="constrained")
        panels = [fig.subplots()]
        _parity_panel(panels[0], result, runs, loss)
    for ax in panels:  # not the colour bars
        _plain_ticks(ax)
    page_title(fig, simulated=result.simulated)  # the file's title: as the report's files
    # rasterised, settled, no timestamp: the same bytes
    write_figure(fig, out, dpi=_DPI, title=fit_title(heading, result))
    return out


def on_isoflop_grid(compute: Array, params: Array, *, min_budgets: int = 2) -> bool:
    """Whether runs lie on an IsoFLOP grid: at least ``min_budgets`` compute budgets (FLOPs
    equal within 5%) that each hold 3 or more model sizes."""
    bins = np.round(np.log10(np.asarray(compute, dtype=np.float64)) / 0.02)
    sizes = np.asarray(params, dtype=np.float64)
    full = [b for b in np.unique(bins) if len(np.unique(sizes[bins == b])) >= 3]
    return len(full) >= min_budgets


def _frontier_panel(
    ax: Any, result: FitResult, runs: RunTable, loss: Array, budgets: Sequence[float]
) -> None:
    from matplotlib.colors import LogNorm

    column = nd_columns(result)[0]
    compute, n = run_compute(result, runs), runs[column]
    top = max(compute.max() * EXTRAPOLATE, *budgets) if budgets else compute.max() * EXTRAPOLATE
    grid = np.geomspace(compute.min() / 1.5, top, 90)
    value, lower, upper, kind = _frontier(result, grid)
    inside = grid <= compute.max()
    far = format_beyond(float(np.log10(top / compute.max())))[0]  # x3,074: as the plan table
    ax.axvspan(compute.max(), top, **_SHADE, label=f"extrapolation (to {far})")
    if np.isfinite(upper).any():  # an unbounded interval, [0, ∞]: no band
        ax.fill_between(grid, lower, upper, **_BAND, label=_band_label(result.level, kind))
    ax.plot(grid[inside], value[inside], **_LINE, label="compute-optimal frontier L*(C)")
    ax.plot(grid[~inside], value[~inside], **_LINE, linestyle="--")
    points = ax.scatter(compute, loss, c=n, norm=LogNorm(), cmap="viridis", s=18, zorder=3)
    ax.figure.colorbar(points, ax=ax, label=f"params N ({column})")
    if budgets:
        b = np.asarray(sorted(budgets), dtype=np.float64)
        at = _frontier(result, b)[0]
        ax.scatter(b, at, marker="*", s=120, color="black", zorder=4, label="planned budgets")
    ax.set(xscale="log", yscale="log", xlabel="compute C (FLOPs)", ylabel="loss")
    _limit_y(ax, loss, value, lower[grid > compute.max()])
    ax.set_title("loss against compute", fontsize=10)
    ax.legend(fontsize=8, loc="upper right")


def _frontier(result: FitResult, compute: Array) -> tuple[Array, Array, Array, str]:
    """``L*(C)`` with the interval of a run there and its kind, from
    :func:`scalinglab.plan.frontier`."""
    from scalinglab.plan import frontier

    allocations = frontier(result, budgets=[float(c) for c in compute])
    value = np.array([a.loss.value for a in allocations], dtype=np.float64)
    lower = np.array([a.loss.lower for a in allocations], dtype=np.float64)
    upper = np.array([a.loss.upper for a in allocations], dtype=np.float64)
    return value, lower, upper, allocations[0].loss_interval_kind


def _band_label(level: float, kind: str) -> str:
    """The legend of a band: which interval it is (``parameters``: the law's mean)."""
    what = "band of the law's mean" if kind == "parameters" else f"{kind} prediction band"
    return f"{format_level(level)} {what}"


def _isoflop_panel(ax: Any, result: FitResult, runs: RunTable, loss: Array) -> None:
    from matplotlib.colors import LogNorm

    n_symbol, d_symbol = nd_symbols(result)
    compute, n = run_compute(result, runs), runs[result.columns[n_symbol]]
    norm = LogNorm(vmin=compute.min(), vmax=compute.max())
    distinct = np.unique(np.round(np.log10(compute), 2))
    levels = 10**distinct if len(distinct) <= 8 else np.geomspace(compute.min(), compute.max(), 5)
    for c in levels:
        near = np.abs(np.log10(compute) - np.log10(c)) <= 0.15
        lo, hi = (n[near].min(), n[near].max()) if near.any() else (n.min(), n.max())
        grid = np.geomspace(lo / 1.5, hi * 1.5, 80)
        at: dict[str, Any] = {n_symbol: grid, d_symbol: c / (6.0 * grid)}
        curve = result.predict(**at).loss
        ax.plot(grid, curve, color=colormap("plasma")(norm(c)), linewidth=1.3)
    points = ax.scatter(n, loss, c=compute, norm=norm, cmap="plasma", s=18, zorder=3)
    ax.figure.colorbar(points, ax=ax, label="compute C (FLOPs)")
    label = f"params {n_symbol} ({result.columns[n_symbol]})"
    ax.set(xscale="log", yscale="log", xlabel=label, ylabel="loss")
    ax.set_title("fitted IsoFLOP curves L(N, C/6N)", fontsize=10)


def _one_variable_panel(ax: Any, result: FitResult, runs: RunTable, loss: Array) -> None:
    ((symbol, column),) = result.columns.items()
    x = np.asarray(runs[column], dtype=np.float64)
    # a variable the runs took to 0 or below has no log axis: drawn linearly, one span on
    linear, span = x.min() <= 0, x.max() - x.min()
    top = x.max() + span if linear else x.max() * EXTRAPOLATE
    grid = np.linspace(x.min(), top, 200) if linear else np.geomspace(x.min() / 1.5, top, 200)
    at: dict[str, Any] = {symbol: grid}
    prediction = result.predict(**at)
    inside = grid <= x.max()
    far = "+1 fitted span" if linear else format_beyond(float(np.log10(EXTRAPOLATE)))[0]
    ax.axvspan(x.max(), top, **_SHADE, label=f"extrapolation (to {far})")
    if np.isfinite(prediction.upper).any():
        ax.fill_between(
            grid,
            prediction.lower,
            prediction.upper,
            **_BAND,
            label=_band_label(result.level, prediction.interval_kind),
        )
    ax.plot(grid[inside], prediction.loss[inside], **_LINE, label="fit")
    ax.plot(grid[~inside], prediction.loss[~inside], **_LINE, linestyle="--")
    ax.scatter(x, loss, color="tab:blue", s=18, zorder=3, label="runs")
    ax.set(xscale="linear" if linear else "log", yscale="log", xlabel=f"{symbol} ({column})")
    ax.set_ylabel("loss")
    _limit_y(ax, loss, prediction.loss, prediction.lower[~inside])
    ax.legend(fontsize=8)


def _parity_panel(ax: Any, result: FitResult, runs: RunTable, loss: Array) -> None:
    at: dict[str, Any] = {s: runs[c] for s, c in result.columns.items()}
    fitted = result.predict(**at).loss
    ax.scatter(fitted, loss, color="tab:blue", s=18, label="runs")
    span = [min(fitted.min(), loss.min()), max(fitted.max(), loss.max())]
    ax.plot(span, span, color="0.4", linewidth=1, label="observed = fitted")
    ax.set(xscale="log", yscale="log", xlabel="fitted loss", ylabel="observed loss")
    ax.set_title("observed against fitted loss, one dot per run", fontsize=10)
    ax.legend(fontsize=8)
    _plain_ticks(ax, x=True)  # its x is a loss too


def colormap(name: str) -> Any:
    """Matplotlib's colormap ``name`` (``"plasma"``), matplotlib imported only when drawn."""
    from matplotlib import colormaps

    return colormaps[name]


def _plain_ticks(ax: Any, *, x: bool = False) -> None:
    """Loss ticks as 2.5, not 2.5 × 10⁰, where a log axis spans less than a decade: the y
    axis, and with ``x`` the x axis too (a parity panel's x is a loss, and its 2.2×10⁰
    labels overprint; an x of N, D or C keeps matplotlib's powers of ten)."""
    from matplotlib.ticker import FuncFormatter

    limits = (ax.get_xlim(), ax.get_ylim())  # reading them settles any pending autoscaling
    both = [(limits[0], ax.get_xscale(), ax.xaxis), (limits[1], ax.get_yscale(), ax.yaxis)]
    for lim, scale, axis in both if x else both[1:]:
        lo, hi = lim
        if scale == "log" and lo > 0 and hi / lo < 10:
            axis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
            # every minor tick labelled overlaps where the span is wide: 2, 3 and 5 suffice
            # there, all of them where it is narrow (loss 2.0 to 2.6)
            sparse = hi / lo > 2
            axis.set_minor_formatter(
                FuncFormatter(lambda v, _, sparse=sparse: _minor_label(v, sparse=sparse))
            )


def _minor_label(value: float, *, sparse: bool) -> str:
    if value <= 0:
        return ""
    mantissa = value / 10 ** np.floor(np.log10(value))
    if sparse and not any(abs(mantissa - m) < 1e-6 for m in (2, 3, 5)):
        return ""
    return f"{value:g}"


def _limit_y(ax: Any, *arrays: Array) -> None:
    """Keep the runs and the fit in view; a wild bootstrap sample must not set the scale."""
    values = np.concatenate([np.ravel(a) for a in arrays])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size:
        ax.set_ylim(values.min() / 1.08, values.max() * 1.08)
