"""Steps and learning rates as a file or a tracker logged them, made fit to build a
:class:`~scalinglab.curves._schedules.Schedule` from: a resumed run's rows that later
logging superseded dropped (:func:`resumed`), then checked (one rate per step, steps whole
and increasing, rates finite and >= 0), each error naming the file's column and row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_counted, format_g, join_first

__all__ = [
    "RESORT",
    "checked_rates",
    "no_loss_note",
    "rate_fault",
    "recorded",
    "restarted",
    "resumed",
]

Array = NDArray[np.float64]
#: What to do with steps that go back where :func:`resumed` cannot tell a resume.
RESORT = (
    "sort the rows by step; where a run was resumed and logged some steps again, keep the "
    "later rows of those steps (a tracker's resume logs over the earlier ones)"
)


def rate_fault(value: float) -> str:
    """What is wrong with a learning rate refused (not finite, or below 0), in words:
    ``is not a number (NaN)``, ``is infinite`` or ``is negative``."""
    if np.isnan(value):
        return "is not a number (NaN)"
    return "is infinite" if np.isinf(value) else "is negative"


def checked_rates(
    step: object,
    lr: object,
    *,
    source: str,
    columns: tuple[str, str] = ("step", "lr"),
    rows: Sequence[int] | None = None,
) -> tuple[Array, Array]:
    """Logged steps and rates as float arrays, checked: one rate per step, steps whole,
    >= 0 and increasing, rates finite and >= 0.

    Raises:
        DataError: naming ``source``, the column (of ``columns``: step, lr) and the row (of
            ``rows``, where given) of the first bad value.
    """
    step_col, lr_col = columns
    try:
        s = np.asarray(step, dtype=np.float64)
        v = np.asarray(lr, dtype=np.float64)
    except (TypeError, ValueError):
        raise DataError("steps and learning rates must be numbers", source=source) from None
    if s.ndim != 1 or v.ndim != 1 or len(s) != len(v):
        raise DataError(
            f"{s.size} steps and {v.size} learning rates: one rate per logged step is needed "
            f"(shapes {s.shape} and {v.shape})",
            source=source,
            hint="pass two 1-D arrays of the same length: step[i] and the rate lr[i] there",
        )

    def bad_at(i: int, message: str, *, column: str, hint: str) -> DataError:
        """The error for the value at position ``i``, naming its row where ``rows`` has one."""
        row = None if rows is None or len(rows) != len(s) else rows[i]
        return DataError(message, source=source, row=row, column=column, hint=hint)

    if len(s) == 0:
        raise DataError(
            "no learning rate logged: every cell is blank or NaN, or there is no row",
            source=source,
            column=lr_col,
            hint="fill in the learning rates, or give the schedule as a spec instead",
        )
    bad = ~np.isfinite(v) | (v < 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise bad_at(
            i,
            f"learning rate {format_g(v[i])} at step {format_g(s[i])} {rate_fault(v[i])}",
            column=lr_col,
            hint="learning rates must be finite and >= 0",
        )
    odd = ~np.isfinite(s) | (s < 0) | (s != np.round(s))
    if odd.any():
        i = int(np.argmax(odd))
        raise bad_at(
            i,
            f"step {format_g(s[i])} is not a step: steps are whole counts from 0",
            column=step_col,
            hint="log the optimizer step (0, 1, 2, ...), not a fraction or an offset",
        )
    if np.any(np.diff(s) <= 0):
        i = int(np.argmax(np.diff(s) <= 0)) + 1
        raise bad_at(
            i,
            f"steps must increase: step {format_g(s[i])} follows {format_g(s[i - 1])}",
            column=step_col,
            hint=RESORT,
        )
    return s, v


def resumed(step: Array, rows: Sequence[int], *, who: str) -> tuple[NDArray[np.bool_], str] | None:
    """The rows to keep of a run resumed from a checkpoint, and the note saying so; ``None``
    where the steps never go back, or go back in no way a resume explains.

    A resumed run logs again from its checkpoint's step: its steps go back (11000, then
    10000) and rise again. As a tracker's resume does (W&B's), the later logging supersedes
    the earlier rows at those steps, which are dropped. It is read so only where that is
    unambiguous: each restart goes back to a step past the run's first (a run logged again
    from its start is another run) and logs two rows or more, and fewer rows are dropped
    than kept; otherwise (shuffled rows, runs sharing a name) the caller's error stands.

    Args:
        step: The run's logged steps, in file order.
        rows: Each step's row in the file, for the note.
        who: The run as the note names it (``run 'a' (curves.csv)``).
    """
    back = np.flatnonzero(np.diff(step) <= 0) + 1
    if not back.size:
        return None
    ends = [*back[1:], len(step)]
    if any(e - b < 2 or step[b] <= step[0] for b, e in zip(back, ends, strict=True)):
        return None
    keep = np.ones(len(step), dtype=bool)
    for b in back:  # the rows before the restart at or past its step: logged over
        keep[:b] &= step[:b] < step[b]
    dropped = int((~keep).sum())
    if dropped >= keep.sum():
        return None
    where = "; ".join(
        f"from {format_g(step[b - 1])} back to {format_g(step[b])} at row {rows[int(b)]}"
        for b in back
    )
    return keep, (
        f"{who} was resumed: its steps go {where}; the {format_counted(dropped, 'earlier row')} at the steps "
        "logged again are superseded by the later logging, as a tracker's resume logs over "
        "them, and dropped"
    )


def restarted(run: str, step: Array, at: int) -> tuple[str, str] | None:
    """The message and hint for ``run`` (of a file with a run column), whose steps go back at
    position ``at`` to its first logged step or before (11000, then 0): logged again from its
    start, which :func:`resumed` does not read as a resume, and which :data:`RESORT`'s "sort
    the rows" would mix into one curve; ``None`` for steps that go back less far, or where
    either logging is under 3 rows (shuffled rows go back and forth: sorting them is right)."""
    after = np.diff(step[at:])
    rise = len(after) if (after > 0).all() else int(np.argmax(after <= 0))  # rows past the first
    if step[at] > step[0] or at < 3 or rise < 2:
        return None
    return (
        f"run {run!r} is logged again from its start: its steps go from {format_g(step[at - 1])} "
        f"back to {format_g(step[at])}, at or before its first logged step {format_g(step[0])}: "
        "two runs under one name, or a run restarted from scratch",
        "give each run its own name in the run column, or keep the rows of the one to fit (of "
        "a run restarted from scratch, the later ones); sorting the rows by step would mix them",
    )


#: The words of :func:`no_loss_note`, by which :func:`recorded` finds it among a read's notes.
_NO_LOSS = " without a finite loss in column "


def recorded(note: str) -> bool:
    """Whether a read's ``note`` is one a fit of the curves keeps in its notes (the rows
    skipped for want of a finite loss: :func:`no_loss_note`), as a fit of runs keeps the runs
    it skipped, rather than one said (warned in Python, printed by a command) as read."""
    return _NO_LOSS in note and not note.startswith("warning: ")


def no_loss_note(
    source: str,
    column: str,
    counts: Mapping[str, int],
    *,
    done: str = "skipped",
    also: str = "",
) -> str:
    """The note on the rows of runs whose loss in ``column`` is blank, NaN or inf (``counts``:
    run -> rows), in the words of every reader of logged curves; ``done`` says what became
    of them (``skipped`` by a curve reader; ingest stores the rest of such a row); ``also``:
    the other loss columns those rows lack, as said after ``column`` (`` (nor in 'x')``)."""
    each = [f"{k} of run {r!r}" for r, k in counts.items()]
    return (
        f"{source}: {format_counted(sum(counts.values()), 'row')}{_NO_LOSS}{column!r}{also} "
        f"{done} (blank, NaN or inf): {join_first(each, 4)}"
    )
