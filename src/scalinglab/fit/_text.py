"""Plain-text rendering of a fit (its ``str``); the CLI draws the same content with Rich."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._cells import estimate_ends
from scalinglab._format import (
    format_aic,
    format_g,
    format_grouped,
    format_level,
    format_number,
)
from scalinglab.data._noted_runs import note_lines
from scalinglab.fit._bounds import ranges
from scalinglab.fit._diagnostics import coarse_resamples_note
from scalinglab.fit._losses import loss_said
from scalinglab.fit._resamples import resamples_label

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult

__all__ = ["FitText", "coef_cells", "coef_parts", "fit_text", "fmt", "render_fit", "starts_line"]


def starts_line(result: FitResult) -> str:
    """How many starts reached the best, of those solved to the end (a screened grid's are
    fewer than it has: :mod:`scalinglab.fit._merge`), as the CLI and the report say it; each
    count grouped, as every count of a thousand or more is written (``4,500 screened``)."""
    solved = result.n_starts if result.n_starts_solved is None else result.n_starts_solved
    best, starts = format_grouped(result.n_starts_at_best), format_grouped(result.n_starts)
    if solved == result.n_starts:
        return f"{best} of {starts} starts reached the best"
    return (
        f"{best} of the {format_grouped(solved)} starts solved reached the best ({starts} screened)"
    )


def coef_cells(r: FitResult, name: str) -> tuple[str, str, str]:
    """Coefficient ``name``'s value and its interval's two ends as every view of a fit writes
    them: ``scalinglab fit``'s table, ``str(result)``, the notebook's and the report's (the
    ends to the value's decimals, one on a round bound of its range bare:
    :func:`~scalinglab._cells.estimate_ends`); the ends ``""`` where it has no interval."""
    lower, upper = r.intervals.get(name, (math.nan, math.nan))
    return estimate_ends(r.coefs[name], lower, upper, r.law.figures, bounds=ranges(r.law).get(name))


def coef_parts(r: FitResult, name: str) -> tuple[str, str]:
    """:func:`coef_cells` as a table of one interval column writes them: the value and
    ``[lower, upper]`` (``""`` without an interval)."""
    shown, lower, upper = coef_cells(r, name)
    return shown, f"[{lower}, {upper}]" if lower else ""


def fmt(x: float) -> str:
    """A number in 5 significant digits, scientific when large or small, as the tables
    write one (``1.2346e5``, ``—`` for NaN)."""
    return format_number(x)


@dataclass(frozen=True)
class FitText:
    """The text of a fit's summary, in parts: :func:`render_fit` writes them as plain text,
    :func:`scalinglab.fit._html_view.render_fit_html` as HTML (the same words and numbers).

    Attributes:
        title: ``law: formula``.
        head: The lines above the table: data, objective and status, starts.
        columns: The table's header cells (``coef``, ``value``, the interval's, if any).
        rows: Its rows: a coefficient's name, value and, with resamples, its interval.
        tail: The lines below: at bound, AIC/BIC, each ``warning: ...``, prediction
            intervals, on 20 to 99 resamples the note that their ends move from seed to
            seed (``scalinglab fit``'s first), each ``note: ...`` (as ``scalinglab fit`` prints them: past ten runs kept
            though they look diverged, one line counts the rest); last, where the law has
            them, its allocation exponents (:attr:`FitResult.allocation_exponents`) as
            ``scalinglab fit`` prints them under its plan, with their warnings.
    """

    title: str
    head: tuple[str, ...]
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    tail: tuple[str, ...]


def fit_text(r: FitResult) -> FitText:
    """The parts of a fit's text summary (see :class:`FitText`)."""
    pct = format_level(r.level)
    head = (
        f"data: {r.source}" + ("  [SIMULATED]" if r.simulated else ""),
        f"objective {format_g(r.objective)} ({loss_said(r.robust_loss, r.delta, symbol='delta')}, "
        f"{r.space} space, {r.n_runs} runs); {r.message}",
        f"starts: {format_grouped(r.n_starts)} tried, "
        + (
            ""
            if r.n_starts_solved is None
            else f"{format_grouped(r.n_starts_solved)} solved to the end, "
        )
        + f"{format_grouped(r.n_starts_at_best)} reached the best, {format_grouped(r.n_converged)} converged",
    )
    columns: tuple[str, ...] = ("coef", "value")
    if r.samples is not None:
        columns += (f"{pct} interval ({resamples_label(len(r.samples), r.resample)})",)
    rows: list[tuple[str, ...]] = []
    for name in r.coefs:  # the ends to the value's decimals, as the CLI's table
        shown, band = coef_parts(r, name)
        rows.append((name, shown, band) if r.samples is not None else (name, shown))
    drawn = 0 if r.samples is None else len(r.samples)
    coarse = coarse_resamples_note(drawn, r.level) if drawn else None  # 20-99: `fit`'s note
    tail = (
        f"at bound: {', '.join(r.at_bound) if r.at_bound else 'none'}",
        f"AIC {format_aic(r.aic)}  BIC {format_aic(r.bic)}",
        *(f"warning: {w}" for w in r.warnings),
        f"prediction intervals: {r.interval_note}",
        *([f"note: {coarse}"] if coarse else []),
        *note_lines(r.notes),  # as `scalinglab fit` prints them: past ten diverged, one line
    )
    exponents = r.allocation_exponents  # the line `scalinglab fit` prints under its plan
    if exponents is not None:
        tail += (str(exponents), *(f"warning: {w}" for w in exponents.warnings))
    return FitText(f"{r.law_spec}: {r.law.formula}", head, columns, tuple(rows), tail)


def render_fit(r: FitResult) -> str:
    """Text summary: law, data, objective and status, parameters with intervals, diagnostics."""
    text = fit_text(r)
    width = max(len(row[0]) for row in text.rows) + 2
    lines = [text.title, *text.head]
    lines.append(f"{text.columns[0]:<{width}}{text.columns[1]:>12}")
    if len(text.columns) > 2:
        lines[-1] += f"   {text.columns[2]}"
    for row in text.rows:
        lines.append(f"{row[0]:<{width}}{row[1]:>12}" + "".join(f"   {c}" for c in row[2:]))
    lines += text.tail
    return "\n".join(lines)
