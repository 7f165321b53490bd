"""Rich views of the library's results: fits, plans, the law catalog, errors, progress.

Every piece of text that comes from data or from the user is wrapped in :class:`Text`, so a
file name or a run id with brackets in it is printed as written, never read as markup.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from scalinglab.fit import FitResult
    from scalinglab.laws import Conventions

__all__ = [
    "FitProgress",
    "beyond",
    "count",
    "flops",
    "has_band",
    "interval",
    "number",
    "print_error",
    "print_fit",
    "print_notes",
    "print_plan_summary",
    "print_solver_note",
    "print_warnings",
    "ratio",
    "simulated_banner",
    "stderr_console",
    "stdout_console",
]

_STAGES = {"fit": "fit: all starts", "bootstrap": "bootstrap: resamples × starts"}


# -- consoles ------------------------------------------------------------------------------


def stdout_console() -> Console:
    """Tables go here; 120 columns wide when not a terminal (pipes, files, tests)."""
    wide = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120
    return Console(width=wide, highlight=False)


def stderr_console() -> Console:
    """Messages and progress bars go here."""
    return Console(stderr=True, highlight=False)


# -- numbers -------------------------------------------------------------------------------


def number(x: float, digits: int = 5) -> str:
    """``x`` to ``digits`` significant figures, scientific when very large or small."""
    if not math.isfinite(x):
        return "—" if math.isnan(x) else str(x)
    a = abs(x)
    if a != 0 and (a >= 1e5 or a < 1e-3):
        mantissa, _, exponent = f"{x:.{digits - 1}e}".partition("e")
        return f"{mantissa}e{int(exponent)}"
    return f"{x:.{digits}g}"


def flops(x: float) -> str:
    """A FLOP count, ``5.76e23``, ``1e24``."""
    return f"{x:.3g}".replace("e+", "e") if math.isfinite(x) else number(x)


def count(x: float) -> str:
    """A parameter or token count in units people use: ``70.0B``, ``1.40T``."""
    if not math.isfinite(x):
        return number(x)
    rounded = float(f"{x:.3g}")  # so that 999.7M is shown as 1B, not 1e+03M
    if abs(rounded) >= 1e15:
        return number(x, 3)
    for scale, unit in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(rounded) >= scale:
            return f"{rounded / scale:.3g}{unit}"
    return f"{rounded:.3g}"


def interval(lower: float, upper: float, form: Any = number) -> str:
    """``[lower, upper]`` (an infinite end as ∞), or ``""`` where there is no interval."""
    if math.isnan(lower) or math.isnan(upper):
        return ""

    def end(x: float) -> str:
        return str(form(x)) if math.isfinite(x) else ("∞" if x > 0 else "-∞")

    return f"[{end(lower)}, {end(upper)}]"


# -- pieces --------------------------------------------------------------------------------


def simulated_banner(console: Console, what: str) -> None:
    """The line that must head every output made from simulated data."""
    console.print(
        Text(f"SIMULATED DATA — not real training runs: {what}", style="bold black on yellow"),
        soft_wrap=True,
    )


def print_error(console: Console, message: str, hint: str = "") -> None:
    """``error: <message>`` and ``hint: <hint>``, one line each, never wrapped."""
    console.print(Text.assemble(("error: ", "bold red"), (message, "red")), soft_wrap=True)
    if hint:
        console.print(Text.assemble(("hint: ", "bold"), hint), soft_wrap=True)


def print_notes(console: Console, notes: Sequence[str]) -> None:
    for note in notes:
        console.print(Text(f"note: {note}", style="dim"), soft_wrap=True)


def print_conventions(console: Console, conventions: Conventions) -> None:
    table = Table(title="conventions", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in conventions.as_dict().items():
        table.add_row(Text(key), Text(value))
    console.print(table)


# -- fit -----------------------------------------------------------------------------------


def print_fit(console: Console, result: FitResult) -> None:
    """Law, data, parameter table with intervals, status line, notes."""
    console.print(Text.assemble((result.law_spec, "bold cyan"), f"   {result.law.formula}"))
    console.print(Text(f"data: {result.source}"), soft_wrap=True)
    have_band = result.samples is not None and len(result.samples) > 0
    table = Table(title="fitted coefficients", title_justify="left")
    table.add_column("coef", style="bold")
    table.add_column("value", justify="right")
    if have_band:
        n = len(result.samples) if result.samples is not None else 0
        table.add_column(f"{result.level:.0%} interval ({n} resamples)", justify="right")
    for name, value in result.coefs.items():
        row = [Text(name), Text(number(value))]
        if have_band:
            row.append(Text(interval(*result.intervals[name])))
        table.add_row(*row)
    console.print(table)
    status = Text()
    if result.ok:
        status.append("converged", style="bold green")
    else:
        status.append(f"FAILED: {result.message}", style="bold red")
    status.append(
        f" · objective {result.objective:.6g} ({result.loss}, δ={result.delta:g}, "
        f"{result.space} space, {result.n_runs} runs)"
        f" · {result.n_starts_at_best} of {result.n_starts} starts reached the best · "
    )
    status.append(
        f"at bound: {', '.join(result.at_bound) or 'none'}",
        style="bold yellow" if result.at_bound else "",
    )
    status.append(f" · AIC {result.aic:.1f} · solver {result.solver}")
    console.print(status, soft_wrap=True)
    if not have_band:
        console.print(Text("no intervals: run with --bootstrap N (N ≥ 100)", style="dim"))
    print_warnings(console, result.warnings)
    console.print(
        Text(f"prediction intervals: {result.interval_kind}", style="dim"), soft_wrap=True
    )
    print_notes(console, result.notes)
    print_solver_note(console, result.solver)


def print_solver_note(console: Console, solver: str) -> None:
    """One line when the fit ran on NumPy because nothing was compiled at install time."""
    from scalinglab.fit._compiled import missing_note

    note = missing_note() if solver == "numpy" else None
    if note:
        console.print(Text(f"note: {note}", style="yellow"), soft_wrap=True)


def has_band(allocation: Any) -> bool:
    """Whether an allocation carries intervals (a fit without bootstrap samples has none)."""
    return any(
        math.isfinite(e.lower) for e in (allocation.params, allocation.tokens, allocation.loss)
    )


def print_warnings(console: Console, warnings: Sequence[str]) -> None:
    """``warning: ...`` lines in bold yellow: reasons not to trust the fit."""
    for line in warnings:
        console.print(Text.assemble(("warning: ", "bold yellow"), line), soft_wrap=True)


def print_plan_summary(console: Console, allocations: Sequence[Any]) -> None:
    """Compact compute-optimal table, one row per budget."""
    if not allocations:
        return
    first = allocations[0]
    level = first.level if any(has_band(a) for a in allocations) else 0.0
    band = f", {level:.0%} intervals" if level else ", no intervals: fit with --bootstrap N"
    table = Table(
        title=f"compute-optimal allocation ({first.flops_rule}{band})", title_justify="left"
    )
    far = any(math.isfinite(a.distance) for a in allocations)
    headers = ["compute (FLOPs)", "params N*", "tokens D*", "tokens/param", "loss"]
    for header in headers + (["beyond data"] if far else []):
        table.add_column(header, justify="right")
    for a in allocations:
        row = [
            Text(flops(a.flops.value)),
            _cell(a.params, count),
            _cell(a.tokens, count),
            _cell(a.tokens_per_param, ratio),
            _cell(a.loss, _loss),
        ]
        if far:
            row.append(beyond(a.distance))
        table.add_row(*row)
    console.print(table)
    console.print(Text(f"method: {first.method}", style="dim"), soft_wrap=True)
    print_notes(console, list(dict.fromkeys(n for a in allocations for n in a.notes)))


def beyond(d: float) -> Text:
    """Distance beyond the data as a factor (``x500``), bold past a decade."""
    from scalinglab.fit._diagnostics import FAR

    if not math.isfinite(d):
        return Text("—")
    if d <= 0:
        return Text("inside")
    factor = 10**d
    text = f"x{factor:,.0f}\n{d:.2f} dec" if factor >= 10 else f"x{factor:.2g}\n{d:.2f} dec"
    return Text(text, style="bold yellow" if d > FAR else "")


def _cell(est: Any, form: Any) -> Text:
    """Value, and below it the interval in dim text: narrow enough for 80 columns."""
    cell = Text(form(est.value))
    band = interval(est.lower, est.upper, form)
    if band:
        cell.append(f"\n{band}", style="dim")
    return cell


def ratio(x: float) -> str:
    if not math.isfinite(x):
        return number(x)
    return f"{x:.0f}" if abs(x) >= 100 else f"{x:.3g}"


def _loss(x: float) -> str:
    return f"{x:.4f}" if math.isfinite(x) else number(x)


# -- progress ------------------------------------------------------------------------------


class FitProgress:
    """Progress bars for the fit and the bootstrap, fed by ``fit(progress=...)``.

    Drawn on ``console`` (stderr) only when ``enabled``; otherwise every call is a no-op.
    """

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not enabled,
        )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> FitProgress:
        self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        task = self._tasks.get(stage)
        if task is None:
            task = self._progress.add_task(_STAGES.get(stage, stage), total=total)
            self._tasks[stage] = task
        self._progress.update(task, completed=done, total=total)
