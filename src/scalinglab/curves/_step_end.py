"""A curve's steps against the schedule given for it (``--schedule``, ``schedule=``).

A curve's step ``t`` is 0-based: its loss is the one after the schedule's steps ``0..t``
(the multi-power source's ``cumsum(lrs)[step]``), so a run of ``steps`` steps is logged up
to step ``steps - 1``. A logger that counts updates done instead (Hugging Face Trainer's
``global_step``) logs the same loss at ``t + 1``, up to step ``steps``. A curve whose
largest step *equals* the schedule's ``steps`` can only be counted that way, so it is read
so: every step fitted one earlier (``t -> t - 1``), with a note saying what was assumed and
what to give if the run counts from 0 (then it ran ``steps + 1`` steps). Its point at step
0, if any, is the loss before any update, which no curve law models: it is left out, and
the note says so. A curve going beyond ``steps`` is refused.

A point logged before any training (the rate summed through its step is 0: a warm-up
from 0 logged at step 0, as a W&B history's first row is) is the initial weights' loss,
where every law's power of the summed rate is infinite: it is left out too, with a note
(:func:`untrained`), rather than fail every start of the fit.

This is the one rule of every reader of curves (:func:`._table.curves_of`): ``curves
fit``, ``curves backtest``, ``fit --from-curves`` and ``fit_curves(..., schedule=...)``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import (
    format_counted,
    format_g,
    format_grouped,
    join_and,
    join_first,
    join_more,
    noun_for,
)
from scalinglab.curves._schedules import Schedule

__all__ = ["UPDATES_DONE", "steps_read", "untrained", "untrained_note", "updates_done_notes"]

Array = NDArray[np.float64]

#: What a curve logged up to the schedule's last step is read as.
UPDATES_DONE = "its steps read as updates done (as Hugging Face Trainer's global_step counts)"


def steps_read(
    step: Array,
    schedule: Schedule,
    *,
    run: str,
    source: str,
    rows: Sequence[int],
    column: str,
) -> tuple[Array, NDArray[np.bool_], bool]:
    """A run's logged steps as fitted against ``schedule`` (the one given for runs that log
    no lr), which of its points are kept, and whether they were read as counted in updates
    done (:func:`updates_done_notes` says so, once for all the runs so read).

    Args:
        step: The run's logged steps, increasing.
        schedule: Its schedule.
        run: The run's name, for messages.
        source: Where it was read from, for messages.
        rows: The source row of each step, for the error.
        column: The step column, for the error.

    Returns:
        The steps as 0-based (``step`` itself, or ``step - 1`` for a curve logged up to the
        schedule's ``steps``), a mask of the points kept (all but a shifted step 0), and
        whether they were shifted (``False`` when read as given).

    Raises:
        DataError: A curve logged beyond the schedule's ``steps``, naming the row.
    """
    n, last = schedule.steps, int(step[-1])
    if last > n:
        raise DataError(
            f"run {run!r} is logged up to step {format_g(step[-1])}, beyond the {n} steps of "
            f"the schedule given ({schedule.spec})",
            source=source,
            row=rows[-1],
            column=column,
            hint="the schedule given (--schedule, schedule=) is that of every run that "
            "logs no lr, one for them all: if every such run was trained with it, its "
            f"steps= is at least {last + 1} ({last} if its steps count updates done, as "
            "Hugging Face Trainer's global_step does); runs trained on different schedules "
            "need their lr logged (an lr column beside step and loss)",
        )
    if last < n:
        return step, np.ones(len(step), dtype=bool), False
    return step - 1, step >= 1, True


def updates_done_notes(source: str, runs: Sequence[tuple[str, Schedule, bool]]) -> list[str]:
    """The notes on the runs :func:`steps_read` read as counted in updates done, one per
    schedule naming its runs (fourteen runs of one store: one note, not fourteen).

    Args:
        source: Where they were read from.
        runs: ``(run, its schedule, whether its point at step 0 was left out)`` of each.
    """
    by_spec: dict[str, tuple[Schedule, list[str], list[str]]] = {}
    for run, schedule, at_zero in runs:
        _, named, zero = by_spec.setdefault(schedule.spec, (schedule, [], []))
        named.append(run)
        zero += [run] if at_zero else []
    return [_updates_done(source, *said) for said in by_spec.values()]


def _updates_done(source: str, schedule: Schedule, runs: list[str], zero: list[str]) -> str:
    n, one = schedule.steps, len(runs) == 1
    shown = [repr(r) for r in runs]
    who = f"run {shown[0]} ({source}) is" if one else (
        f"{len(runs)} runs ({source}: {join_more(shown, 3)}) are")  # fmt: skip
    note = (
        f"{who} logged up to step {n}, the {n} steps of the schedule given ({schedule.spec}): "
        f"{UPDATES_DONE if one else UPDATES_DONE.replace('its', 'their', 1)}, each fitted one "
        f"step earlier (the loss at step t is the one after the schedule's steps 0..t-1: {n} "
        f"read as {n - 1})"
    )
    if zero:
        whose = "its point" if one else f"the point of {join_more([repr(r) for r in zero], 3)}"
        note += f"; {whose} at step 0, the loss before any update, left out"
    they = "it" if one else "they"
    count = "its" if one else "their"
    return note + f"; if {count} steps count from 0, {they} ran {n + 1} steps: give steps={n + 1}"


def untrained(step: Array, schedule: Schedule) -> NDArray[np.bool_]:
    """Which of a run's 0-based ``step`` come before any training: the rate ``schedule``
    sums through them is 0 (a step outside it, one a shifted step 0 made -1: not)."""
    inside = (step >= 0) & (step < schedule.steps)
    idx = np.where(inside, step, 0).astype(np.int64)
    area = np.cumsum(schedule.lr[: int(idx.max(initial=0)) + 1])[idx]
    return inside & (area <= 0)


def untrained_note(source: str, steps: dict[str, list[int]]) -> str:
    """The note on the points :func:`untrained` left out, ``steps``: run -> its steps."""
    each = [
        f"run {r!r} at {noun_for(len(t), 'step')} {join_and([format_grouped(s) for s in t])}"
        for r, t in steps.items()
    ]
    n = sum(len(t) for t in steps.values())
    return (
        f"{source}: {format_counted(n, 'point')} before any training left out (the learning "
        f"rate summed through {'it' if n == 1 else 'each'} is 0: the initial weights' loss, "
        f"which no curve law models): {join_first(each, 4)}"
    )
