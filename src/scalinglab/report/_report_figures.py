"""The report's figures: loss against N, D and C with the fit and its extrapolation band, the
residuals, and the compute-optimal frontier with intervals.

Each figure is a :class:`~scalinglab.report._figure.ReportFigure` holding a matplotlib
:class:`~matplotlib.figure.Figure` (object API, no ``pyplot``); :mod:`._figure` turns it into
inline SVG or a file.

For a law in ``N`` and ``D`` the fitted curve against each axis is the compute-optimal path:
the loss ``L*(C)`` at the optimal ``N*(C)`` and ``D*(C)`` from :func:`scalinglab.plan.frontier`,
drawn out to 100× the largest run's compute, with the interval of a run there. One-variable laws show
the fit against their variable; any other law its observed against fitted loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ScalingLabError
from scalinglab._format import format_g, format_level
from scalinglab.fit._withheld import params_tokens, planning_pair
from scalinglab.report import _plot
from scalinglab.report._band_said import band_said, unbounded_why
from scalinglab.report._figure import ReportFigure, _new_figure
from scalinglab.report._figure_titles import PARITY_HEADING, against, page_title
from scalinglab.report._html_parts import bootstrap_said
from scalinglab.report._nd_runs import nd_columns, nd_symbols, run_compute

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["OptimalPath", "fit_figures"]

Array = NDArray[np.float64]

_GRID_POINTS = 60


@dataclass(frozen=True)
class OptimalPath:
    """The compute-optimal path of a law in N and D, on a grid of budgets, with intervals."""

    flops: Array
    params: tuple[Array, Array, Array]
    tokens: tuple[Array, Array, Array]
    loss: tuple[Array, Array, Array]
    loss_kind: str = "parameters"  # what the loss band is: Allocation.loss_interval_kind

    @classmethod
    def of(cls, result: FitResult, flops: Array) -> OptimalPath:
        from scalinglab.plan import frontier

        allocations = frontier(result, budgets=flops)

        def triple(name: str) -> tuple[Array, Array, Array]:
            est = [getattr(a, name) for a in allocations]
            return (
                np.array([e.value for e in est], dtype=np.float64),
                np.array([e.lower for e in est], dtype=np.float64),
                np.array([e.upper for e in est], dtype=np.float64),
            )

        kind = allocations[0].loss_interval_kind if allocations else "parameters"
        return cls(flops, triple("params"), triple("tokens"), triple("loss"), kind)


def fit_figures(
    result: FitResult, runs: RunTable, *, budgets: Sequence[float] = (), y: str = "loss"
) -> tuple[list[ReportFigure], list[str]]:
    """Build the report's figures for a fit.

    Args:
        result: The fit.
        runs: The runs it was fitted to.
        budgets: Planned compute budgets, marked on the frontier.
        y: The column holding the loss.

    Returns:
        The figures, and notes on any that could not be drawn (and why).
    """
    loss = np.asarray(runs[y], dtype=np.float64)
    symbols = set(result.columns)
    notes: list[str] = []
    figures: list[ReportFigure] = []
    path: OptimalPath | None = None
    withheld = result.plan_withheld or ""  # an N*(C), D*(C) path would be arbitrary
    if withheld:
        notes.append(f"compute-optimal frontier not drawn: {withheld.partition(': ')[2]}")
    elif planning_pair(result.law) is not None:  # by the columns read: P, T as N, D
        compute = run_compute(result, runs)
        top = max(float(compute.max()) * _plot.EXTRAPOLATE, *budgets, 0.0)
        grid = np.geomspace(compute.min() / 1.5, top, _GRID_POINTS)
        try:
            path = OptimalPath.of(result, grid)
        except ScalingLabError as err:
            notes.append(f"compute-optimal frontier not drawn: {err.message}")
    if path is not None:
        figures.append(_scaling_nd(result, runs, loss, path))
    elif len(symbols) == 1:
        figures.append(_scaling_one(result, runs, loss))
    else:
        figures.append(_parity(result, runs, loss))
    figures.append(_residuals(result, runs))
    if path is not None:
        figures.append(_frontier(result, runs, path, budgets))
    for item in figures:
        page_title(item.figure, simulated=result.simulated)
    return figures, notes


# -- the figures ----------------------------------------------------------------------------


def _scaling_nd(result: FitResult, runs: RunTable, loss: Array, path: OptimalPath) -> ReportFigure:
    fig = _new_figure((13.5, 4.3))
    axes = fig.subplots(1, 3)
    compute = run_compute(result, runs)
    (n, d), (n_column, d_column) = nd_symbols(result), nd_columns(result)
    xs = {
        "N": (runs[n_column], path.params[0], f"params {n} ({n_column})"),
        "D": (runs[d_column], path.tokens[0], f"tokens {d} ({d_column})"),
        "C": (compute, path.flops, "compute C (FLOPs)"),
    }
    at: dict[str, Any] = {s: runs[c] for s, c in result.columns.items()}
    fitted = result.predict(**at).loss
    for ax, (symbol, (observed, along, label)) in zip(axes, xs.items(), strict=True):
        # against N or D alone, runs off the optimal size lie above the optimal path by
        # design: the law's value at each run shows the fit, the line only the envelope
        _fit_with_band(
            ax, observed, along, path.loss, label,
            line="compute-optimal envelope L*(C)" if symbol != "C" else "fit (compute-optimal)",
        )  # fmt: skip
        if symbol != "C":
            ax.scatter(
                observed, fitted, facecolors="none", edgecolors="tab:red", s=26, linewidths=0.8,
                zorder=4, label="the law at each run",
            )  # fmt: skip
        points = ax.scatter(
            observed, loss, c=compute, norm=_lognorm(compute), cmap="viridis", s=14, zorder=3
        )
        ax.set(xscale="log", yscale="log", xlabel=label, ylabel="loss")
        _plot._limit_y(ax, loss, path.loss[0])
        _plot._plain_ticks(ax)
    fig.colorbar(points, ax=axes, label="compute C of the run (FLOPs)", shrink=0.9)
    axes[0].legend(fontsize=7, loc="upper right")
    caption = (
        "Runs (points, coloured by compute) and the fitted law along its compute-optimal path "
        f"L*(C) at N*(C), D*(C) (line), {_band(result, path.loss_kind)}; beyond the "
        f"largest run (shaded) the line is dashed, out to {_plot.EXTRAPOLATE:.0f}× its compute. "
        "Against N or D the line is the lower envelope: runs larger or smaller than the optimum "
        "for their compute lie above it, and the open circles give the law's value at each run."
    )
    return ReportFigure("loss-scaling", "Loss against N, D and C", caption, fig)


def _fit_with_band(
    ax: Any,
    observed: Array,
    along: Array,
    loss: tuple[Array, Array, Array],
    label: str,
    *,
    line: str = "fit (compute-optimal)",
) -> None:
    value, lower, upper = loss
    edge = float(np.max(observed))
    inside = along <= edge
    ax.axvspan(edge, float(np.max(along)), **_plot._SHADE, label="extrapolation")
    if np.isfinite(upper).any():  # an unbounded interval, [0, ∞]: no band
        ax.fill_between(along, lower, upper, **_plot._BAND, label="interval of a run")
    ax.plot(along[inside], value[inside], **_plot._LINE, label=line)
    ax.plot(along[~inside], value[~inside], **_plot._LINE, linestyle="--")


def _scaling_one(result: FitResult, runs: RunTable, loss: Array) -> ReportFigure:
    fig = _new_figure((6.5, 4.5))
    ax = fig.subplots()
    _plot._one_variable_panel(ax, result, runs, loss)
    _plot._plain_ticks(ax)
    ((symbol, column),) = result.columns.items()
    edge: dict[str, Any] = {symbol: [float(runs[column].max())]}
    caption = (
        f"Runs and the fitted law against {symbol} ({column}) "
        f"{_band(result, result.predict(**edge).interval_kind)}, "
        f"extrapolated (dashed, shaded) to {_plot.EXTRAPOLATE:.0f}× the largest run."
    )
    return ReportFigure("loss-scaling", against(symbol), caption, fig)


def _parity(result: FitResult, runs: RunTable, loss: Array) -> ReportFigure:
    fig = _new_figure((5.5, 5.0))
    ax = fig.subplots()
    _plot._parity_panel(ax, result, runs, loss)
    caption = "Observed against fitted loss; points on the diagonal are fitted exactly."
    return ReportFigure("loss-scaling", PARITY_HEADING, caption, fig)


def _residuals(result: FitResult, runs: RunTable) -> ReportFigure:
    fig = _new_figure((11.0, 3.8))
    left, right = fig.subplots(1, 2, width_ratios=[2.2, 1])
    residuals = np.asarray(result.residuals, dtype=np.float64)
    if params_tokens(result.law) is not None:  # by the columns read, whatever else it reads
        x, label = run_compute(result, runs), "compute C (FLOPs)"
    else:
        symbol, column = next(iter(result.columns.items()))
        x, label = np.asarray(runs[column], dtype=np.float64), f"{symbol} ({column})"
    left.axhline(0.0, color="0.4", linewidth=1, label="zero")
    if result.robust_loss != "squared":
        # a small delta lies on the zero line: a band, dashed at its edges, and named
        left.axhspan(-result.delta, result.delta, color="tab:orange", alpha=0.2, linewidth=0)
        for sign in (-1, 1):
            left.axhline(
                sign * result.delta, color="tab:orange", linewidth=1.2, linestyle="--",
                label=f"±δ = {format_g(result.delta)}" if sign > 0 else None,
            )  # fmt: skip
        left.legend(fontsize=7, loc="lower right")
    left.scatter(x, residuals, color="tab:blue", s=14, zorder=3)
    kind = "log(law) − log(loss)" if result.space == "log" else "law − loss"
    left.set(xscale="log", xlabel=label, ylabel=f"residual: {kind}")
    right.hist(residuals, bins=min(30, max(5, len(residuals) // 4)), color="tab:blue", alpha=0.8)
    # a third of the figure wide: matplotlib's default ticks (-0.125, -0.100, ...) ran together
    from matplotlib.ticker import MaxNLocator

    right.xaxis.set_major_locator(MaxNLocator(nbins=4))
    right.set(xlabel="residual", ylabel="runs")
    caption = (
        f"Residual of every run at the best fit ({kind}). The dashed orange lines (the shaded band between them) mark ±δ = "
        f"{format_g(result.delta)}, where the robust loss ({result.robust_loss}) turns from quadratic "
        "to linear."
        if result.robust_loss != "squared"
        else f"Residual of every run at the best fit ({kind})."
    )
    return ReportFigure("residuals", "Residuals", caption, fig)


def _frontier(
    result: FitResult, runs: RunTable, path: OptimalPath, budgets: Sequence[float]
) -> ReportFigure:
    fig = _new_figure((11.0, 4.2))
    axes = fig.subplots(1, 2)
    compute = run_compute(result, runs)
    observed = tuple(runs[c] for c in nd_columns(result))
    names = ("params N*", "tokens D*")  # as the plan table names its columns
    for ax, triple, seen, name in zip(
        axes, (path.params, path.tokens), observed, names, strict=True
    ):
        value, lower, upper = triple
        inside = path.flops <= compute.max()
        ax.axvspan(float(compute.max()), float(path.flops.max()), **_plot._SHADE)
        if np.isfinite(lower).any():
            ax.fill_between(path.flops, lower, upper, **_plot._BAND, label="bootstrap band")
        ax.plot(path.flops[inside], value[inside], **_plot._LINE, label=name)
        ax.plot(path.flops[~inside], value[~inside], **_plot._LINE, linestyle="--")
        ax.scatter(compute, seen, color="0.55", s=10, zorder=3, label="runs")
        if budgets:
            b = np.array(sorted(budgets), dtype=np.float64)
            ax.scatter(
                b, np.interp(np.log(b), np.log(path.flops), value), marker="*", s=110,
                color="black", zorder=4, label="planned budgets",
            )  # fmt: skip
        ax.set(xscale="log", yscale="log", xlabel="compute C (FLOPs)", ylabel=name)
        ax.legend(fontsize=7, loc="upper left")
    # as the plan table says them: over each kept resample's fit's optimum
    drawn = bootstrap_said(result, noun="bootstrap fits' optima")
    banded = bool(drawn and np.isfinite(path.params[1]).any())  # a point fit draws no band
    caption = (
        "Compute-optimal params N* and tokens D* under C = 6·N·D, "
        + (
            f"with {format_level(result.level)} intervals over {drawn}"
            if banded
            else "without intervals (a point fit, without bootstrap resamples)"
        )
        + "; grey points are the runs, stars the planned budgets."
    )
    return ReportFigure("frontier", "Compute-optimal frontier", caption, fig)


def _lognorm(values: Array) -> Any:
    from matplotlib.colors import LogNorm

    return LogNorm(vmin=float(values.min()), vmax=float(values.max()))


def _band(result: FitResult, kind: str) -> str:
    """:func:`band_said` of ``result``'s loss band of ``kind`` at its level."""
    return band_said(result.level, kind, why=unbounded_why(result, result.level))
