"""Rich pieces every command's view uses: consoles, numbers with units, errors, notes,
warnings, progress bars (the fit and plan tables: :mod:`._fit_views`).

Every piece of text that comes from data or from the user is wrapped in :class:`Text`, so a
file name or a run id with brackets in it is printed as written, never read as markup.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from collections.abc import Iterable, Sequence
from types import TracebackType
from typing import TYPE_CHECKING

from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from scalinglab._cells import count, estimate, flops, interval, number, ratio
from scalinglab._format import format_grouped
from scalinglab.cli._interrupted import heard
from scalinglab.cli._streams import drop_stderr, stdout_write_error
from scalinglab.data._noted_runs import note_lines

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from scalinglab.laws import Conventions

__all__ = [
    "FitProgress",
    "count",
    "estimate",
    "flops",
    "interval",
    "number",
    "print_error",
    "print_notes",
    "print_solver_note",
    "print_warnings",
    "ratio",
    "simulated_banner",
    "split_warnings",
    "stage_label",
    "stage_line",
    "stderr_console",
    "stdout_console",
]

_STAGES = {
    "fit": "fit: all starts",
    "polish": "fit: best optima polished",  # fit_curves: on every point (curves/_stages.py)
    "bootstrap": "bootstrap: resamples × starts",
    "curves fit": "curve law: all starts",  # fit --from-curves, before the runs exist
    "curves polish": "curve law: best optima polished",
    "curves bootstrap": "curve law: resamples × starts",
    "cells": "cells: optima located",  # fit_hparams, backtest_hparams
    "held out": "held-out cells scored",
    "report": "report: figures, checks, page",  # write_report
    "figures": "report: figures drawn",  # write_report, each figure of the page
    "isoflop: bootstrap": "isoflop: bootstrap: budgets × resamples",  # the report's check
}


def stage_label(stage: str) -> str:
    """The bar's words for ``stage``; a stage after its group (``"rpj: bootstrap"``, as
    ``fit_loss_to_loss`` reports each group's fit) keeps the group."""
    group, sep, last = stage.rpartition(": ")
    if stage not in _STAGES and sep and last in _STAGES:
        return f"{group}: {_STAGES[last]}"
    return _STAGES.get(stage, stage)


# -- consoles ------------------------------------------------------------------------------


#: Spaces that end a line (a padded title's).
_TRAILING = re.compile(r" +(?=\n|$)")


class _Console(Console):
    """Rich's console, but where rich exits 1 at a closed pipe: stdout's (``| head -1``)
    raises :class:`BrokenPipeError` for :func:`scalinglab.cli.main` to end quietly, as a
    write of JSON to it does; stderr's is dropped and the work goes on
    (:mod:`._streams`), as is a stderr on a full disk. Made without Rich's emoji codes: a
    run, task or column named ``:smile:`` is printed as named, not as a picture."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        # a table's title is padded to the table's width (`runs`: a line ending in 100
        # spaces): no line ends in spaces, for every command at once
        return _TRAILING.sub("", super()._render_buffer(buffer))

    def _write_buffer(self) -> None:
        try:
            super()._write_buffer()
        except OSError as err:  # stderr on a full disk (2> log): as a reader gone, below
            if not (self.stderr and stdout_write_error(err)):
                raise
            self.on_broken_pipe()

    def on_broken_pipe(self) -> None:
        if self.stderr:  # its reader gone: nothing more is said there, by this console or any
            self.quiet = True
            drop_stderr()
            return
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


def stdout_console() -> Console:
    """Tables go here; 120 columns wide when not a terminal (pipes, files, tests)."""
    wide = None if sys.stdout.isatty() or "COLUMNS" in os.environ else 120
    return _Console(width=wide, highlight=False, emoji=False)


def stderr_console() -> Console:
    """Messages and progress bars go here."""
    return _Console(stderr=True, highlight=False, emoji=False)


def stage_line(console: Console, text: str) -> None:
    """A stage of a long command (``fitting ... (200 bootstrap resamples)...``) on
    ``console`` when it is not a terminal (a pipe, a CI log, a job), where no progress bar
    can be drawn: a report takes tens of seconds, and silence reads as a hang."""
    if not console.is_terminal:
        console.print(text, markup=False, soft_wrap=True)


def resamples(n: int, *, of: str = "") -> str:
    """``200 bootstrap resamples`` (``of``: `` of each cell``) for a stage line, or ``no
    bootstrap: no intervals`` at 0, which draws none."""
    return f"{format_grouped(n)} bootstrap resamples{of}" if n else "no bootstrap: no intervals"


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


def split_warnings(lines: Sequence[str]) -> tuple[list[str], list[str]]:
    """``lines`` (notes, a warning among them said as ``warning: ...``) as a JSON holds
    them: the notes, and the warnings without their prefix, each in its order."""
    warned = [n.removeprefix("warning: ") for n in lines if n.startswith("warning: ")]
    return [n for n in lines if not n.startswith("warning: ")], warned


def print_notes(console: Console, notes: Sequence[str]) -> None:
    """Each note on its line; one that starts ``warning: `` is printed as a warning. Past
    ten runs kept though they look diverged, one line counts the rest (--json has each)."""
    for line in note_lines(notes):  # the lines a notebook shows too
        if line.startswith("warning: "):
            rest = line.removeprefix("warning: ")
            console.print(Text.assemble(("warning: ", "bold yellow"), rest), soft_wrap=True)
        else:
            console.print(Text(line, style="dim"), soft_wrap=True)


def print_conventions(console: Console, conventions: Conventions) -> None:
    table = Table(title="conventions", title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    for key, value in conventions.to_dict().items():
        table.add_row(Text(key), Text(value))
    console.print(table)


# -- fit (its tables: _fit_views.py) -------------------------------------------------------


def print_solver_note(console: Console, solver: str) -> None:
    """One line when the fit ran on NumPy because nothing was compiled at install time."""
    from scalinglab.fit._compiled import missing_note

    note = missing_note() if solver == "numpy" else None
    if note:
        console.print(Text(f"note: {note}", style="yellow"), soft_wrap=True)


def print_warnings(console: Console, warnings: Sequence[str]) -> None:
    """``warning: ...`` lines in bold yellow: reasons not to trust the fit."""
    for line in warnings:
        console.print(Text.assemble(("warning: ", "bold yellow"), line), soft_wrap=True)


# -- progress ------------------------------------------------------------------------------


class FitProgress:
    """Progress bars for the fit and the bootstrap, fed by ``fit(progress=...)``.

    Drawn on ``console`` (stderr) only when ``enabled``; otherwise every call is a no-op, and
    Rich's progress module is not loaded (a few milliseconds of every ``scalinglab fit``
    whose stderr is not a terminal).
    """

    def __init__(self, console: Console, *, enabled: bool) -> None:
        self._progress: Progress | None = None
        if enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
        self._tasks: dict[str, TaskID] = {}

    def __enter__(self) -> FitProgress:
        if self._progress is not None:
            self._progress.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def __call__(self, stage: str, done: int, total: int) -> None:
        heard(stage, done, total)  # drawn or not: what Ctrl-C stopped says the stage
        if self._progress is None:
            return
        task = self._tasks.get(stage)
        if task is None:
            task = self._progress.add_task(stage_label(stage), total=total)
            self._tasks[stage] = task
        self._progress.update(task, completed=done, total=total)
