"""Plain-text rendering of a fit (its ``str``); the CLI draws the same content with Rich."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._format import format_g, format_level, format_number
from scalinglab.fit._losses import loss_said
from scalinglab.fit._resamples import resamples_label

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult

__all__ = ["fmt", "render_fit", "starts_line"]


def starts_line(result: FitResult) -> str:
    """How many starts reached the best, of those solved to the end (a screened grid's are
    fewer than it has: :mod:`scalinglab.fit._merge`), as the CLI and the report say it."""
    solved = result.n_starts if result.n_starts_solved is None else result.n_starts_solved
    if solved == result.n_starts:
        return f"{result.n_starts_at_best} of {result.n_starts} starts reached the best"
    return (
        f"{result.n_starts_at_best} of the {solved} starts solved reached the best "
        f"({result.n_starts} screened)"
    )


def fmt(x: float) -> str:
    """A number in 5 significant digits, scientific when large or small, as the tables
    write one (``1.2346e5``, ``—`` for NaN)."""
    return format_number(x)


def render_fit(r: FitResult) -> str:
    """Text summary: law, data, objective and status, parameters with intervals, diagnostics."""
    pct = format_level(r.level)
    lines = [
        f"{r.law_spec}: {r.law.formula}",
        f"data: {r.source}" + ("  [SIMULATED]" if r.simulated else ""),
        f"objective {format_g(r.objective, 10)} ({loss_said(r.robust_loss, r.delta, symbol='delta')}, "
        f"{r.space} space, {r.n_runs} runs); {r.message}",
        f"starts: {r.n_starts} tried, "
        + ("" if r.n_starts_solved is None else f"{r.n_starts_solved} solved to the end, ")
        + f"{r.n_starts_at_best} reached the best, {r.n_converged} converged",
    ]
    width = max(len(n) for n in r.coefs) + 2
    header = f"{'coef':<{width}}{'value':>12}"
    if r.samples is not None:
        header += f"   {pct} interval ({resamples_label(len(r.samples), r.resample)})"
    lines.append(header)
    for name, value in r.coefs.items():
        row = f"{name:<{width}}{fmt(value):>12}"
        if r.samples is not None:
            lo, hi = r.intervals[name]
            row += f"   [{fmt(lo)}, {fmt(hi)}]"
        lines.append(row)
    lines.append(f"at bound: {', '.join(r.at_bound) if r.at_bound else 'none'}")
    lines.append(f"AIC {r.aic:.2f}  BIC {r.bic:.2f}")
    lines += [f"warning: {w}" for w in r.warnings]
    lines.append(f"prediction intervals: {r.interval_note}")
    lines += [f"note: {n}" for n in r.notes]
    return "\n".join(lines)
