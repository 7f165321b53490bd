"""The rows of the tables ``scalinglab backtest`` prints, built once: the law comparison
(:func:`comparison_rows`) and a backtest's held-out runs (:func:`held_out_rows`) with the
lines under them. The command draws them with Rich (:mod:`scalinglab.cli._backtest_views`),
a notebook as HTML (:mod:`scalinglab.validate._html_view`): the same cells."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scalinglab._backtest_order import distance_heading, listed_said, run_distance
from scalinglab._format import (
    format_column,
    format_flops,
    format_g,
    format_interval,
    format_level,
    format_number,
    format_quantity,
)
from scalinglab._table_rows import Cell, Column, TableRows, cell
from scalinglab.validate._compare_labels import FITTED
from scalinglab.validate._compare_labels import _of_law as _law_named
from scalinglab.validate._few_runs import coverage_said, runs_said
from scalinglab.validate._rolling_design import unidentified_said

if TYPE_CHECKING:
    from scalinglab.validate._backtest import Backtest
    from scalinglab.validate._compare import Comparison
    from scalinglab.validate._score import BacktestRun, BacktestSummary
    from scalinglab.validate._split import Split

__all__ = [
    "comparison_notes",
    "comparison_rows",
    "coverage_cell",
    "held_out_rows",
    "held_out_summary",
    "not_shown",
    "pct",
    "split_lines",
]

_MARK = {True: cell("✓", "green"), False: cell("✗", "bold red")}


def pct(x: float) -> str:
    """An error as the tables write it, ``1.14%``; ``—`` for NaN. From 100% on, whole
    percents with thousands separated (``6,635%``), from 10⁶% a mantissa and exponent
    (``1.5e6%``), as :func:`~scalinglab._format.format_beyond` writes a large factor:
    hundredths of a percent say nothing of an error that large."""
    if x != x:
        return "—"
    if abs(x) >= 1e4:
        return f"{100 * x:.1e}%".replace("e+0", "e").replace("e+", "e")
    return f"{100 * x:,.0f}%" if abs(x) >= 1 else f"{x:.2%}"


def coverage_cell(summary: BacktestSummary, level: float) -> str:
    """The coverage at ``level``: a count under FEW_RUNS runs scored (``0 of 1``)."""
    return coverage_said(summary.coverage[level], summary.scored.get(level, summary.n))


def _of_law(note: str, law: str, several: bool, shared: bool = False) -> str:
    """A note of one law's fit, named by its law when several were backtested; a note every
    law's backtest says (the notes of reading the runs) stays as it is, and one that names
    its law already too."""
    if not several:
        return note
    for head in ("prediction intervals:", "coverage:"):
        if note.startswith(head):
            return f"{head[:-1]} ({law}):{note[len(head) :]}"
    if shared or note.startswith(law):
        return note
    # a fit's own note (E at the edge of identified): of which law, as its warnings say
    return _law_named(note if note.startswith(FITTED) else f"{FITTED}{note}", law)


def comparison_notes(comparison: Comparison, baselines: Sequence[Any] = ()) -> list[str]:
    """The ``note:`` lines of the comparison, every law (named where several were compared)
    and every baseline, once each."""
    several = len(comparison.laws) > 1
    every = set.intersection(*(set(s.backtest.notes) for s in comparison.laws))
    notes = [*comparison.notes]
    notes += [
        _of_law(n, s.backtest.law, several, n in every)
        for s in comparison.laws
        for n in s.backtest.notes
    ]
    notes += [n for b in baselines for n in b.notes]
    return list(dict.fromkeys(notes))


def _extrapolation(split: Split) -> str:
    """How far the held-out runs reach past the largest fitted: a factor on a positive axis;
    on one that reaches 0 or below, where a ratio is no distance (-0.25× a largest fitted
    -0.2), spans of the fitted range, as ``predict`` counts them (:meth:`Split.span`)."""
    column, span = split.column, split.span()
    if span is None:
        return f"extrapolation up to {format_g(max(split.times_fitted()), 3)}× the largest fitted {column}"
    fitted, far = split.fitted[column], float(max(split.spans_beyond()))
    said = f"the fitted {column} range ({format_g(min(fitted), 3)} to {format_g(max(fitted), 3)})"
    if far <= 0:
        return f"no held-out run past the largest fitted {column} ({column} reaches 0 or below)"
    return (
        f"extrapolation up to {format_g(far, 3)} spans of {said} past the largest fitted {column} "
        f"({column} reaches 0 or below: no factor)"
    )


def split_lines(split: Split) -> list[str]:
    """The lines over the tables: the data, the runs held out and fitted, and how far the
    held-out runs reach past the largest fitted."""
    largest = float(split.fitted[split.column].max())
    shown = format_flops(largest) if math.isfinite(largest) else format_number(largest)
    return [
        f"data: {split.source or split.fitted.describe_source()}",
        f"held out {runs_said(len(split.held_out))} ({split.description}); fitted on "
        f"{runs_said(len(split.fitted))} up to {split.column} {shown}; {_extrapolation(split)}",
    ]


def comparison_rows(comparison: Comparison, baselines: Sequence[Any] = ()) -> TableRows:
    """The law comparison: each law's held-out errors, coverage, BIC, coefficients at a
    bound and exponent spread, then each baseline's errors and coverage."""
    levels = list(comparison.laws[0].backtest.summary.coverage)
    # coverage columns only where some law or baseline has a coverage (none without a
    # bootstrap: the line under the held-out runs says why)
    summaries = [*(s.backtest.summary for s in comparison.laws), *(b.summary for b in baselines)]
    if all(math.isnan(m.coverage.get(lv, math.nan)) for m in summaries for lv in levels):
        levels = []
    # NaN spreads (no bootstrap) left out, and the column with them where every law's is
    spreads = [
        ", ".join(f"{k} {v:.1%}" for k, v in s.exponent_spread.items() if v == v)
        for s in comparison.laws
    ]
    spread_head = ("exponent IQR/median",) if any(spreads) else ()
    headers = ("median ARE", "max ARE", *(f"in {format_level(lv)}" for lv in levels))
    columns = (
        Column("law / method", style="bold"),
        *(Column(h, justify="right") for h in (*headers, "BIC", "at bound", *spread_head)),
    )
    rows: list[tuple[Cell, ...]] = []
    for s, spread in zip(comparison.laws, spreads, strict=True):
        summary = s.backtest.summary
        name = cell(s.law) if s.ok else cell(f"{s.law} (FAILED)", "red")
        if s.backtest.unidentified is not None:  # the rolling table's words, beside the scores
            name = name.plus(f" ({unidentified_said(s.backtest.unidentified)})", "yellow")
        rows.append((
            name,
            cell(pct(summary.median_are)),
            cell(pct(summary.max_are)),
            *(cell(coverage_cell(summary, lv)) for lv in levels),
            cell(f"{s.bic:.1f}"),
            cell(", ".join(s.at_bound) or "none", "yellow" if s.at_bound else ""),
            *(cell(spread or "—") for _ in spread_head),
        ))  # fmt: skip
    for b in baselines:
        summary = b.summary
        rows.append((
            cell(f"{b.method} ({b.law})", "dim"),
            cell(pct(summary.median_are)),
            cell(pct(summary.max_are)),
            *(cell(coverage_cell(summary, lv)) for lv in levels),
            *(cell("—") for _ in range(2 + len(spread_head))),
        ))  # fmt: skip
    return TableRows("held-out error by law", columns, tuple(rows))


def _inside(run: BacktestRun, level: float) -> Cell:
    """✓ or ✗; ``—`` for a run not scored (no interval, or an unbounded one)."""
    mark = run.inside(level)
    return cell("—") if mark is None else _MARK[mark]


def held_out_rows(bt: Backtest, shown: Sequence[BacktestRun]) -> TableRows:
    """The ``shown`` held-out runs of ``bt``: scale, distance past the fitted, actual and
    predicted loss, the widest interval, ARE and whether each interval holds the loss."""
    levels = list(bt.summary.coverage)
    widest = max(levels)
    # no run with an interval (bootstrap=0): no interval column, none of coverage (a line
    # under the table says why), not columns of blanks and dashes
    banded = any(not all(map(math.isnan, r.intervals[widest])) for r in shown)
    levels = levels if banded else []
    linear = bt.split.span() is not None  # an axis reaching 0 or below: spans, no factor
    headers = (
        bt.split.column,
        distance_heading(bt),
        "actual",
        "predicted",
        *((f"{format_level(widest)} interval",) if banded else ()),
        "ARE",
    )
    columns = (
        Column("run", style="bold", fold=True),  # names that share a prefix stay apart
        *(Column(h, justify="right") for h in headers),
        *(Column(f"in {format_level(lv)}", justify="center") for lv in levels),
    )
    # one column's distances to the same decimals: 2.00 beside 7.17, not 2
    far = format_column([run_distance(r, linear=linear) for r in shown])
    rows = tuple(
        (
            cell(r.run),
            cell(format_quantity(r.scale, bt.split.column)),
            cell(far[i]),
            cell(f"{r.actual:.4f}"),
            cell(f"{r.predicted:.4f}"),
            *(
                (cell(format_interval(*r.intervals[widest], lambda v: f"{v:.4f}")),)
                if banded
                else ()
            ),
            cell(pct(r.are)),
            *(_inside(r, lv) for lv in levels),
        )
        for i, r in enumerate(shown)
    )
    return TableRows(f"held-out runs: {bt.law}", columns, rows)


def _level_coverage(bt: Backtest, level: float) -> str:
    """``90%: 100%``, and how many runs were scored where an unbounded interval left some
    out (with no bootstrap none is drawn, and the note says so once)."""
    s = bt.summary
    text = f"{format_level(level)}: {coverage_cell(s, level)}"
    k = s.scored.get(level, s.n)
    if k == s.n or not any(r.unbounded(level) for r in bt.runs):
        return text
    return f"{text} ({k} of {s.n} runs scored)"


def held_out_summary(bt: Backtest) -> str:
    """The line under the held-out runs: median and max ARE, coverage at each level over
    the held-out runs, counted once before the levels (a level's own ``(0 of 6 runs
    scored)`` is then the only remark in brackets beside it)."""
    s = bt.summary
    coverage = ", ".join(_level_coverage(bt, lv) for lv in s.coverage)
    return (
        f"median ARE {pct(s.median_are)} · max ARE {pct(s.max_are)} · "
        f"coverage of nominal intervals over the {runs_said(s.n)} held out: {coverage}"
    )


def not_shown(bt: Backtest, shown: Sequence[BacktestRun], *, how: str) -> str:
    """How many held-out runs the table leaves out, the worst if among them, and ``how``
    to see them all."""
    linear = bt.split.span() is not None
    text = f"{listed_said(bt, shown)}; {len(bt.runs) - len(shown)} not shown"
    scored = [r for r in bt.runs if r.are == r.are]  # NaN: no prediction to score
    worst = max(scored, key=lambda r: r.are) if scored else None
    if worst is not None and worst not in shown:
        far = (
            f"{format_g(worst.spans_beyond, 3)} spans past"
            if linear
            else f"{format_g(worst.times_fitted, 3)}×"
        )
        text += f", among them the worst, run {worst.run!r} (ARE {pct(worst.are)} at {far} fitted)"
    return f"{text}: {how}"
