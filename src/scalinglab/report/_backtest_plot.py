"""``plot_backtest``: how well fits on small runs predicted the held-out large ones.

Panels (matplotlib imported inside the function, object API, no ``pyplot``):

1. predicted against actual loss of every held-out run, with its prediction interval as a
   bar, one colour and marker shape per law or baseline (hollow, so that laws predicting
   alike show one inside the other), and the line ``predicted = actual``; each point sits
   at its run's actual loss, never nudged (a nudge read as runs off the diagonal);
2. absolute relative error against extrapolation distance (held-out compute over the
   largest fitted compute), log-log; on an axis reaching 0 or below, where a ratio is no
   distance, spans of the fitted range past the largest fitted value, on a linear x axis;
3. with a rolling-origin backtest: median and max ARE against the number of scales fitted.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_g, format_level
from scalinglab.report._figure import write_figure
from scalinglab.report._figure_titles import backtest_title, page_title
from scalinglab.report._plot import FORMATS
from scalinglab.report._ticks import label_to_top, plain_log_ticks

if TYPE_CHECKING:
    from scalinglab.validate import Backtest, Rolling

__all__ = ["DPI", "backtest_figure", "plot_backtest"]

#: Resolution the backtest figure is written at (a PNG; an SVG's rasterised points).
DPI = 120

_COLORS = ("tab:red", "tab:blue", "tab:green", "tab:purple", "tab:orange", "tab:brown")
_MARKERS = ("o", "s", "^", "D", "v", "P")


def plot_backtest(
    backtests: Backtest | Sequence[Backtest],
    path: str | os.PathLike[str],
    *,
    level: float = 0.9,
    rolling: Rolling | None = None,
) -> Path:
    """Draw one or more backtests on the same split and write the figure.

    Args:
        backtests: A backtest, or several on the same held-out runs (laws, baselines).
        path: Where to write; the format comes from the suffix (``.png``, ``.svg``, ``.pdf``).
        level: Which interval to draw as bars (a level the backtests scored).
        rolling: A rolling-origin backtest to draw as a third panel.

    Returns:
        ``path``, as a :class:`~pathlib.Path`.

    Raises:
        ConfigError: For a suffix that names no format, no backtests, or a level not scored.
    """
    out = Path(path)
    if out.suffix.lower() not in FORMATS:
        raise ConfigError(
            f"cannot write a figure as {out.suffix or 'a file without a suffix'!r}: {out}",
            hint=f"end the name with one of {', '.join(FORMATS)}",
        )
    items = [backtests] if not isinstance(backtests, Sequence) else list(backtests)
    if not items:
        raise ConfigError("plot_backtest needs at least one backtest")
    if any(level not in b.runs[0].intervals for b in items if b.runs):
        raise ConfigError(f"the backtests did not score a {format_level(level)} interval")
    figure = backtest_figure(items, level=level, rolling=rolling)
    write_figure(figure, out, dpi=DPI, title=backtest_title(items))
    return out


def backtest_figure(items: Sequence[Backtest], *, level: float, rolling: Rolling | None) -> Any:
    """The figure :func:`plot_backtest` writes (a matplotlib ``Figure``), for a caller that
    draws it elsewhere or looks at what it holds; titled as the report titles its figures
    (:mod:`scalinglab.report._figure_titles`): a file's title is added as it is written
    (:func:`~scalinglab.report._figure_titles.backtest_title`).

    Args:
        items: Backtests on the same split.
        level: Which interval to draw as bars.
        rolling: A rolling-origin backtest for a third panel, or ``None``.
    """
    from matplotlib.figure import Figure

    panels = 3 if rolling is not None else 2
    fig = Figure(figsize=(5.2 * panels, 4.6), layout="constrained")
    axes = list(fig.subplots(1, panels))
    banded, errors = [], []
    for k, bt in enumerate(items):
        style = {"color": _COLORS[k % len(_COLORS)], "marker": _MARKERS[k % len(_MARKERS)]}
        label = bt.law if bt.method == "scalinglab" else f"{bt.method} ({bt.law})"
        banded.append(_parity(axes[0], bt, level, style, label))
        errors += _distance(axes[1], bt, style, label)
    actual = np.array([r.actual for r in items[0].runs])
    lo, hi = float(actual.min()), float(actual.max())
    pad = 0.05 * (hi - lo or hi)
    axes[0].plot([lo - pad, hi + pad], [lo - pad, hi + pad], color="0.4", linewidth=1)
    axes[0].set(xlabel="actual loss", ylabel="predicted loss")
    # intervals claimed only where drawn: none at --bootstrap 0 (or a baseline without one)
    drawn = f"{format_level(level)} intervals" + ("" if all(banded) else " where drawn")
    axes[0].set_title(
        f"held-out runs: predicted vs actual ({drawn if any(banded) else 'no intervals'})",
        fontsize=10,
    )
    axes[0].legend(fontsize=8)
    split = items[0].split
    axes[1].set(
        xscale="log" if split.span() is None else "linear",
        yscale="log",
        xlabel=f"extrapolation: {split.column} / largest fitted"
        if split.span() is None
        else f"extrapolation: spans of the fitted {split.column} range past the largest fitted",
        ylabel="absolute relative error",
    )
    axes[1].set_title("error against extrapolation distance", fontsize=10)
    # 2, 3, 4 and 0.4%, 1%, as the tables write them, not 2 × 10⁰ and 4 × 10⁻³
    if split.span() is None:
        plain_log_ticks(axes[1].xaxis, lambda v: format_g(v, 3))
    label_to_top(axes[1], _largest(errors), _percent)  # 13% read against a 20% label
    axes[1].legend(fontsize=8)
    if rolling is not None:
        _rolling(axes[2], rolling)
    page_title(fig, simulated=bool(items[0].split.fitted.simulated))
    return fig


def _parity(ax: Any, bt: Backtest, level: float, style: dict[str, str], label: str) -> bool:
    """Draw ``bt``'s predictions against the actual losses, each at its run's actual loss;
    whether with interval bars."""
    actual = np.array([r.actual for r in bt.runs])
    predicted = np.array([r.predicted for r in bt.runs])
    bands = np.array([r.intervals[level] for r in bt.runs], dtype=float).reshape(-1, 2)
    hollow = {"mfc": "none", "mew": 1.2, "ms": 6, "linestyle": "none"}
    if np.isfinite(bands).all():
        err = np.vstack([predicted - bands[:, 0], bands[:, 1] - predicted]).clip(min=0)
        ax.errorbar(
            actual, predicted, yerr=err, capsize=2, elinewidth=1, alpha=0.8, label=label,
            **style, **hollow,
        )  # fmt: skip
        return True
    ax.plot(actual, predicted, label=f"{label} (no interval)", **style, **hollow)
    return False


def _distance(ax: Any, bt: Backtest, style: dict[str, str], label: str) -> list[float]:
    """Draw ``bt``'s errors against extrapolation distance; the errors as drawn."""
    linear = bt.split.span() is not None  # spans of the fitted range: no factor there
    distance = np.array([r.spans_beyond if linear else r.times_fitted for r in bt.runs])
    are = np.maximum(np.array([r.are for r in bt.runs], dtype=float), 1e-6)
    ax.plot(distance, are, label=label, linestyle="none", mfc="none", **style)
    return [float(a) for a in are]


def _rolling(ax: Any, rolling: Rolling) -> None:
    # a step not identified is left out: its error is where the solver stopped on a valley
    shown = [s for s in rolling.steps if s.unidentified is None]
    k = [s.scales for s in shown]
    ax.plot(k, [s.summary.median_are for s in shown], "o-", color="tab:red", label="median")
    ax.plot(k, [s.summary.max_are for s in shown], "s--", color="0.4", label="max")
    ax.set(yscale="log", xlabel="scales fitted (smallest first)", ylabel="ARE on held-out runs")
    ax.set_xticks(k)
    label_to_top(ax, _largest([s.summary.max_are for s in shown]), _percent)
    ax.set_title(f"rolling origin: {rolling.law}", fontsize=10)
    ax.legend(fontsize=8)


def _largest(values: Sequence[float]) -> float:
    """The largest finite value drawn (NaN for none), which a labelled tick must reach."""
    finite = [v for v in values if np.isfinite(v)]
    return max(finite) if finite else float("nan")


def _percent(share: float) -> str:
    """A relative error as the backtest tables write one: ``0.4%``, ``1.36%``."""
    return f"{format_g(100 * share, 3)}%"
