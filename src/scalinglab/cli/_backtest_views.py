"""Rich views of ``scalinglab backtest``: the split, the law comparison with its winner, the
held-out runs of the winner, and the rolling-origin steps."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_g, format_level, format_quantity
from scalinglab.cli import _render as render
from scalinglab.cli._backtest_order import by_distance, listed_said

__all__ = ["HELD_OUT_ROWS", "backtest_warnings", "print_backtest", "print_caveats"]

#: Held-out runs the table lists by default (``--limit``): a top decile of 5,000 runs
#: printed 500 rows; the Chinchilla points' 24 all fit.
HELD_OUT_ROWS = 25

_MARK = {True: Text("✓", style="green"), False: Text("✗", style="bold red")}


# validate/ loads NumPy, which `backtest --help` must not (tests/test_cli_startup.py)
def runs_said(n: int) -> str:
    """:func:`scalinglab.validate._few_runs.runs_said`, imported when first called."""
    from scalinglab.validate._few_runs import runs_said as said

    return said(n)


def unidentified_said(mark: str) -> str:
    """:func:`scalinglab.validate._rolling_design.unidentified_said`, imported when first
    called: the words of the law comparison's row and the rolling table's step."""
    from scalinglab.validate._rolling_design import unidentified_said as said

    return said(mark)


def coverage_said(coverage: float, n: int) -> str:
    """:func:`scalinglab.validate._few_runs.coverage_said`, imported when first called."""
    from scalinglab.validate._few_runs import coverage_said as said

    return said(coverage, n)


def print_backtest(
    console: Console,
    comparison: Any,
    baselines: Sequence[Any],
    steps: Any,
    *,
    limit: int = HELD_OUT_ROWS,
) -> None:
    """Everything ``scalinglab backtest`` prints, top to bottom; ``limit``: the held-out
    runs listed, farthest past the largest fitted first (0: every one)."""
    split = comparison.split
    largest = float(split.fitted[split.column].max())
    source = split.source or split.fitted.describe_source()
    console.print(Text(f"data: {source}"), soft_wrap=True)
    console.print(
        Text(
            f"held out {runs_said(len(split.held_out))} ({split.description}); fitted on "
            f"{runs_said(len(split.fitted))} up to {split.column} {render.flops(largest)}; "
            f"{_extrapolation(split)}"
        ),
        soft_wrap=True,
    )
    _comparison_table(console, comparison, baselines)
    winner = comparison.winner
    if winner is not None:
        console.print(
            Text.assemble(
                ("winner: ", "bold"), (winner.law, "bold cyan"), f" — {comparison.reason}"
            ),
            soft_wrap=True,
        )
        console.print(Text(f"rule: {comparison.rule}", style="dim"), soft_wrap=True)
        _runs_table(console, winner.backtest, limit=limit)
    else:
        console.print(Text("no winner: no fit converged", style="bold red"))
    said: list[str] = []  # the rolling table's notes, said once under it
    if steps is not None:
        _rolling_table(console, steps)
        said = list(steps.notes)
    print_caveats(console, comparison, baselines, steps, said=said)


def print_caveats(
    console: Console, comparison: Any, baselines: Sequence[Any], steps: Any, *, said: Sequence[str]
) -> None:
    """The ``warning:`` lines (:func:`backtest_warnings`), then the ``note:`` lines of every
    law, baseline and the comparison, once each, less those ``said`` already (the rolling
    table's): under the tables, or on stderr under ``--json``."""
    render.print_warnings(console, backtest_warnings(comparison, baselines, steps))
    several = len(comparison.laws) > 1
    notes = [*comparison.notes]
    notes += [
        _of_law(n, s.backtest.law, several) for s in comparison.laws for n in s.backtest.notes
    ]
    notes += [n for b in baselines for n in b.notes]
    render.print_notes(console, [n for n in dict.fromkeys(notes) if n not in said])


def backtest_warnings(comparison: Any, baselines: Sequence[Any], steps: Any) -> list[str]:
    """Every reason not to trust the scores, once each: the laws' (:attr:`Comparison.warnings
    <scalinglab.validate.Comparison.warnings>`: the split's, each fit's), the baselines' and
    the rolling steps' (the split's again): what ``--json``'s top-level ``"warnings"`` holds."""
    rolling = () if steps is None else steps.warnings
    said = [*comparison.warnings, *(w for b in baselines for w in b.warnings), *rolling]
    return list(dict.fromkeys(said))


def _of_law(note: str, law: str, several: bool) -> str:
    """A note of one law's fit, named by its law when several were backtested (the notes
    of reading the runs are the same for every law and stay as they are)."""
    if not several:
        return note
    for head in ("prediction intervals:", "coverage:"):
        if note.startswith(head):
            return f"{head[:-1]} ({law}):{note[len(head) :]}"
    return note


def _pct(x: float) -> str:
    return "—" if x != x else f"{x:.2%}"


def _cov(summary: Any, level: float) -> str:
    """The coverage at ``level``: a count under FEW_RUNS runs scored ("0 of 1")."""
    return coverage_said(summary.coverage[level], summary.scored.get(level, summary.n))


def _comparison_table(console: Console, comparison: Any, baselines: Sequence[Any]) -> None:
    levels = list(comparison.laws[0].backtest.summary.coverage)
    table = Table(title="held-out error by law", title_justify="left")
    table.add_column("law / method", style="bold")
    for header in ("median ARE", "max ARE", *(f"in {format_level(lv)}" for lv in levels)):
        table.add_column(header, justify="right")
    for header in ("BIC", "at bound", "exponent IQR/median"):
        table.add_column(header, justify="right")
    for s in comparison.laws:
        summary = s.backtest.summary
        spread = (
            ", ".join(
                f"{k} {v:.1%}"
                for k, v in s.exponent_spread.items()
                if v == v  # NaN: no bootstrap
            )
            or "—"
        )
        name = Text(s.law) if s.ok else Text(f"{s.law} (FAILED)", style="red")
        if s.backtest.unidentified is not None:  # the rolling table's words, beside the scores
            name.append(f" ({unidentified_said(s.backtest.unidentified)})", style="yellow")
        table.add_row(
            name,
            Text(_pct(summary.median_are)),
            Text(_pct(summary.max_are)),
            *(Text(_cov(summary, lv)) for lv in levels),
            Text(f"{s.bic:.1f}"),
            Text(", ".join(s.at_bound) or "none", style="yellow" if s.at_bound else ""),
            Text(spread),
        )
    for b in baselines:
        summary = b.summary
        table.add_row(
            Text(f"{b.method} ({b.law})", style="dim"),
            Text(_pct(summary.median_are)),
            Text(_pct(summary.max_are)),
            *(Text(_cov(summary, lv)) for lv in levels),
            Text("—"),
            Text("—"),
            Text("—"),
        )
    console.print(table)


def _extrapolation(split: Any) -> str:
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


def _runs_table(console: Console, bt: Any, *, limit: int) -> None:
    """The winner's held-out runs, farthest past the largest fitted first (where a law is
    tested hardest: :func:`~scalinglab.cli._backtest_order.by_distance`), at most ``limit``
    of them (0: all), and its summary under it."""
    ordered = by_distance(bt)
    shown = ordered if limit == 0 else ordered[:limit]
    levels = list(bt.summary.coverage)
    widest = max(levels)
    table = Table(title=f"held-out runs: {bt.law}", title_justify="left")
    table.add_column("run", style="bold", overflow="fold")  # names that share a prefix stay apart
    linear = bt.split.span() is not None  # an axis reaching 0 or below: spans, no factor
    for header in (
        bt.split.column,
        "spans past fitted" if linear else "× fitted",
        "actual",
        "predicted",
        f"{format_level(widest)} interval",
    ):
        table.add_column(header, justify="right")
    table.add_column("ARE", justify="right")
    for lv in levels:
        table.add_column(f"in {format_level(lv)}", justify="center")
    for r in shown:
        lo, hi = r.intervals[widest]
        table.add_row(
            Text(r.run),
            Text(format_quantity(r.scale, bt.split.column)),
            Text(format_g(r.spans_beyond if linear else r.times_fitted, 3)),
            Text(f"{r.actual:.4f}"),
            Text(f"{r.predicted:.4f}"),
            Text(render.interval(lo, hi, lambda v: f"{v:.4f}")),
            Text(_pct(r.are)),
            *(_inside(r, lv) for lv in levels),
        )
    console.print(table)
    s = bt.summary
    coverage = ", ".join(_level_coverage(bt, lv) for lv in s.coverage)
    console.print(
        Text(
            f"median ARE {_pct(s.median_are)} · max ARE {_pct(s.max_are)} · "
            f"coverage of nominal intervals: {coverage} ({runs_said(s.n)})"
        ),
        soft_wrap=True,
    )
    if len(shown) < len(ordered):
        console.print(Text(_not_shown(bt, shown, linear=linear), style="dim"), soft_wrap=True)


def _not_shown(bt: Any, shown: Sequence[Any], *, linear: bool) -> str:
    """How many held-out runs the table leaves out, the worst if among them, and how to see
    them all."""
    left = len(bt.runs) - len(shown)
    text = f"{listed_said(bt, shown)}; {left} not shown"
    scored = [r for r in bt.runs if r.are == r.are]  # NaN: no prediction to score
    worst = max(scored, key=lambda r: r.are) if scored else None
    if worst is not None and worst not in shown:
        far = (
            f"{format_g(worst.spans_beyond, 3)} spans past"
            if linear
            else f"{format_g(worst.times_fitted, 3)}×"
        )
        text += f", among them the worst, run {worst.run!r} (ARE {_pct(worst.are)} at {far} fitted)"
    return text + ": --limit 0 lists every one (--json and --out hold them all)"


def _level_coverage(bt: Any, level: float) -> str:
    """``90%: 100%``, and how many runs were scored where an unbounded interval left some
    out (with no bootstrap none is drawn, and the note says so once)."""
    s = bt.summary
    text = f"{format_level(level)}: {_cov(s, level)}"
    k = s.scored.get(level, s.n)
    if k == s.n or not any(r.unbounded(level) for r in bt.runs):
        return text
    return f"{text} ({k} of {s.n} runs scored)"


def _inside(run: Any, level: float) -> Text:
    """✓ or ✗; "—" for a run not scored (no interval, or an unbounded one): nothing to miss."""
    mark = run.inside(level)
    return Text("—") if mark is None else _MARK[mark]


def _rolling_table(console: Console, steps: Any) -> None:
    """The rolling-origin table and its notes under it."""
    table = Table(
        title=f"rolling origin: {steps.law} fitted on the smallest k scales", title_justify="left"
    )
    for header in ("scales k", "runs", f"largest fitted {steps.split.column}", "median ARE"):
        table.add_column(header, justify="right")
    table.add_column("max ARE", justify="right")
    # the widest coverage scored (--level), as the held-out table's interval column
    widest = max(steps.steps[0].summary.coverage) if steps.steps else 0.9
    table.add_column(f"in {format_level(widest)}", justify="right")
    for step in steps.steps:
        s = step.summary
        head = (Text(str(step.scales)), Text(str(step.n_fitted)), Text(render.flops(step.largest)))
        if step.unidentified is not None:  # its scores are where the solver stopped: not shown
            mark = Text(unidentified_said(step.unidentified), style="yellow")
            table.add_row(*head, mark, Text("—"), Text("—"))
            continue
        table.add_row(*head, Text(_pct(s.median_are)), Text(_pct(s.max_are)), Text(_cov(s, widest)))
    console.print(table)
    render.print_notes(console, steps.notes)
