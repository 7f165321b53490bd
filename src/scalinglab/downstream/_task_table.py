"""A fitted chain's tasks as one table: what ``downstream fit`` prints and the report's
"accuracy against loss" section shows, built once here so the two never drift.

Each task (and the average over tasks) gets its chance, its fitted law's coefficients, the
error of the backtest on the fitted sizes and its verdict; :func:`task_notes` gives what the
table cannot hold (parameters at a bound, such as a sigmoid's ceiling).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from scalinglab._format import format_grouped, format_number
from scalinglab._table_rows import Column, TableRows, cell

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit
    from scalinglab.downstream._task import TaskFit

__all__ = [
    "HEADER",
    "REFIT_SAID",
    "TaskRow",
    "average_line",
    "backtest_verdicts",
    "chain_head",
    "not_predictable",
    "task_notes",
    "task_rows",
    "task_table",
]

#: The table's columns, in order (the fields of :class:`TaskRow`).
HEADER = ("task", "chance", "fit", "backtest", "verdict")


#: What a backtest's verdict on a task begins with: the chain refitted without the
#: held-out models decided it, not the full fit (whose verdict reads alike, with its numbers).
REFIT_SAID = "in the refit without the held-out models"


def not_predictable(reason: str) -> str:
    """The verdict on a task without a number, in the one wording every table, page and
    message gives it (``downstream fit``, ``predict``, ``backtest`` and the report)."""
    return f"not predictable from these runs: {reason}"


def backtest_verdicts(reasons: Sequence[str]) -> tuple[list[str], str]:
    """A backtest table's verdicts, for ``downstream backtest`` and the report's page alike:
    each row's :func:`not_predictable` verdict (``""`` for a task it predicts) without the
    refit's words, and the line that says them once under the table (``""`` where no
    verdict is the refit's).

    Args:
        reasons: Each row's reason (:attr:`TaskBacktest.reason`, as its JSON keeps it).

    Returns:
        The verdicts, in ``reasons``' order, and the line under the table.
    """
    head = f"{REFIT_SAID}, "
    verdicts = [not_predictable(r.removeprefix(head)) if r else "" for r in reasons]
    refit = any(r.startswith(head) for r in reasons)  # the full fit's verdicts read alike
    return verdicts, (
        f"verdicts: {REFIT_SAID} (the chain fitted on the kept models alone)" if refit else ""
    )


@dataclass(frozen=True)
class TaskRow:
    """One task's row, as text.

    Attributes:
        task: The task's name; the average's is ``average (3 tasks)``.
        chance: Its chance accuracy, ``0.25``; ``—`` where unknown.
        fit: Its law's coefficients, ``a=0.75, k=-3.228, L0=2.485``; for an average with no
            law of its own, how it is predicted; ``—`` where no law was fitted.
        backtest: The backtest on the fitted sizes' mean absolute error, ``2.1 pts``; ``—``
            where none was made.
        verdict: ``predictable`` (with what that backtest could not show, where the task's
            evaluation noise hides it), or ``not predictable from these runs:`` and why.
    """

    task: str
    chance: str
    fit: str
    backtest: str
    verdict: str

    def cells(self) -> tuple[str, str, str, str, str]:
        """The row's cells, in :data:`HEADER`'s order."""
        return self.task, self.chance, self.fit, self.backtest, self.verdict


def task_rows(chain: DownstreamFit) -> list[TaskRow]:
    """Each task of ``chain``, then its average over tasks where it has one."""
    targets = dict(chain.tasks)
    if chain.average is not None:
        targets[f"average ({len(chain.average.members)} tasks)"] = chain.average
    return [_row(name, t) for name, t in targets.items()]


def task_table(chain: DownstreamFit) -> TableRows:
    """:func:`task_rows` as a table (``downstream fit`` draws it, a notebook shows it):
    chance and backtest right-aligned, the other columns left."""
    columns = tuple(
        Column(name, justify="right" if name in ("chance", "backtest") else "left")
        for name in HEADER
    )
    return TableRows(
        "", columns, tuple(tuple(cell(c) for c in r.cells()) for r in task_rows(chain))
    )


def task_notes(chain: DownstreamFit) -> list[str]:
    """What the table cannot hold: each law's parameters at a bound, as ``fit`` says "at
    bound" (a sigmoid's ceiling is assumed, not measured). Tasks whose notes read the same
    but for the task's name share one note naming them all (``bbq, copa: at bound: k``),
    in the order of their first task, rather than one repeated sentence per task."""
    fits = [*chain.tasks.values(), *([chain.average] if chain.average is not None else [])]
    said: dict[str, list[str]] = {}  # a note without its task's name -> the tasks
    for t in fits:
        note = t.bound_note  # "<task>: at bound: ...", or ""
        if note:
            said.setdefault(note.removeprefix(f"{t.task}: "), []).append(t.task)
    return [f"{', '.join(names)}: {rest}" for rest, names in said.items()]


def chain_head(chain: DownstreamFit, task_law: str) -> str:
    """The line over the table: the models, the loss law and its status, the ``task_law``
    fitted per task, the resamples both steps share."""
    step = chain.loss_step
    via = "loss" if chain.via == "loss" else f"loss {chain.via}"
    return (
        f"{len(chain.runs)} models from {chain.source}; {via} by {step.law.name} "
        f"({step.status}), then {task_law} per task; {format_grouped(chain.n_bootstrap)} resamples of the "
        "models shared by both steps"
    )


def average_line(chain: DownstreamFit) -> str:
    """The line under the table on the average over tasks (``""`` where none): how many,
    chosen how (:attr:`DownstreamFit.average_chosen`: ``named``, ``predictable``), how it
    is predicted, which: what ``downstream fit`` prints and a notebook shows alike."""
    if chain.average is None:
        return ""
    how = (
        "the mean of their predictions, per resample"
        if chain.average.step is None
        else "their mean accuracy fitted as one target by exp-error (Gadre et al. 2024)"
    )
    members, chosen = chain.average.members, chain.average_chosen
    return f"average: over the {len(members)} {chosen} tasks, {how}: " + ", ".join(members)


def _row(name: str, t: TaskFit) -> TaskRow:
    coefs = t.step.coefs.items() if t.step is not None else ()
    fitted = ", ".join(f"{k}={format_number(v, 4)}" for k, v in coefs) or "—"
    if t.step is None and t.members:
        fitted = f"mean of the {len(t.members)} tasks' predictions"
    verdict = "predictable" if t.predictable else not_predictable(t.reason)
    return TaskRow(
        name,
        "—" if math.isnan(t.chance) else f"{t.chance:.3g}",
        fitted,
        "—" if math.isnan(t.backtest_error) else f"{100 * t.backtest_error:.1f} pts",
        "; ".join([verdict, *(t.notes if t.predictable else ())]),
    )
