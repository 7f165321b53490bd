"""Curves from a table of logged points (a file, a DataFrame, a store's curves): its rows
split into runs, each with its schedule and size; the rows skipped and the runs left out
come back as notes, each saying why.

- A row whose loss is missing (blank or NaN: sparse eval columns are normal in W&B history
  exports) is skipped, and the rows skipped are counted per run in one note; a row whose
  lr is missing takes the rate interpolated from the rows that log one, with a note (as a
  ``--schedule-file`` is read: :func:`logged_rates`), and a run that logs none (no lr
  column, or every cell blank) the schedule given.
- A run that diverged (:mod:`._diverged`) is left out with a warning naming it and why,
  unless ``keep_diverged``; a kept one loses its non-finite losses only.
- A run that logs no lr, logged up to the ``steps`` of the schedule given, is read as
  counted in updates done, with a note (:mod:`._step_end`); one beyond them is refused.
- Text that is not a number, a step that is not whole, a loss at or below 0 are errors
  naming the file, row and column.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_g
from scalinglab.curves._curve import Curve
from scalinglab.curves._diverged import RULE, screen
from scalinglab.curves._folder import size_of
from scalinglab.curves._logged import RESORT, no_loss_note, restarted, resumed
from scalinglab.curves._logged_rates import logged_rates
from scalinglab.curves._no_lr import no_lr_error, no_lr_runs_error
from scalinglab.curves._panel import panel_export
from scalinglab.curves._run_column import run_column_hint
from scalinglab.curves._schedule_spec import parse_schedule
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._step_end import steps_read, untrained, untrained_note, updates_done_notes
from scalinglab.data._curve_columns import CURVE_ALIASES, LR_ALIASES, MAP_LOSS, pick_column
from scalinglab.data._final_losses import final_losses
from scalinglab.data._plain_numbers import read_numbers, reads_as_text
from scalinglab.data._raw import as_list, refuse_not_positive
from scalinglab.data._repeated_names import unread_repeats
from scalinglab.data._schema import RawTable
from scalinglab.data._step_column import step_note
from scalinglab.data._training_data import corpus_columns
from scalinglab.data._units import is_missing

__all__ = ["ALIASES", "KEEP", "curves_of", "numbers"]

Array = NDArray[np.float64]

# the names every curve reader knows, and the learning rate's (W&B: train/learning_rate)
ALIASES = {
    **{k: CURVE_ALIASES[k] for k in ("run", "step", "loss", "params")},
    "lr": LR_ALIASES,
}
#: How to keep a run the reader leaves out as diverged, on the command line and in Python.
KEEP = "--keep-diverged (keep_diverged=True)"


def _column(raw: RawTable, what: str, columns: Mapping[str, str] | None = None) -> str | None:
    return pick_column(raw.names, what, ALIASES[what], columns or {}, source=raw.source)


def _read_columns(raw: RawTable, columns: Mapping[str, str] | None) -> dict[str, str]:
    """The columns :func:`curves_of` reads (a repeated one is refused, as a run table's)."""
    found = {w: _column(raw, w, columns) for w in ("step", "loss", "lr", "run", "params")}
    return {w: c for w, c in found.items() if c is not None}


def numbers(raw: RawTable, column: str, *, missing: bool = False, loss: bool = False) -> Array:
    """The column as floats, as every table reads numbers (:func:`read_numbers`: a
    ``loss`` plain, ``5,006`` as the file groups digits); a missing cell (blank, ``NaN``)
    is ``nan`` where ``missing`` allows it, else an error, as is text that is not a number."""
    hint = "write a number" + ("; leave the cell blank where nothing was logged" if missing else "")
    out, _ = read_numbers(raw, column, loss=loss, option=MAP_LOSS, hint=hint)
    if missing or not np.isnan(out).any():
        return out
    gap = np.array([is_missing(v) for v in as_list(raw.cells[column])], dtype=bool)
    if gap.any():
        raise DataError(
            f"{column} is missing",
            source=raw.source,
            row=raw.rows[int(np.argmax(gap))],
            column=column,
            hint="every row needs one: fill it in, or remove the row",
        )
    return out


def _checked_steps(raw: RawTable, step: Array, column: str) -> None:
    """Steps count optimizer updates: a fraction (350.5) is another quantity's column, and
    inf no count (its row was left out unsaid, the fit changed)."""
    bad = ~np.isfinite(step) | (step != np.round(step))
    if bad.any():
        i = int(np.argmax(bad))
        what = "a whole number" if np.isfinite(step[i]) else "a finite number"
        raise DataError(
            f"step {format_g(step[i])} is not {what}: steps count optimizer updates",
            source=raw.source,
            row=raw.rows[i],
            column=column,
            hint="if this column counts something else (epochs, tokens), name the step "
            "column: --map step=COLUMN (columns={'step': COLUMN} in Python)"
            if np.isfinite(step[i])
            else "fix the value, or remove the row",
        )


def curves_of(
    raw: RawTable,
    default_run: str,
    schedule: str | Schedule | None,
    warmup: int | None,
    columns: Mapping[str, str] | None = None,
    *,
    size: float = math.nan,
    keep_diverged: bool = False,
) -> tuple[list[Curve], list[str], dict[str, str]]:
    """The curves of ``raw``, the notes of what was skipped or left out, and each run left
    out with why (``"diverged (its loss is inf at step 2050)"``).

    Args:
        raw: The table.
        default_run: The run's name when there is no run column.
        schedule: The schedule of runs without an lr column.
        warmup: Warm-up steps of the runs with one.
        columns: ``--map`` pairs, quantity -> column.
        size: The size of runs without a params column nor a size in their name (the
            size of the file's folder, ``25M/cosine_24000.csv``).
        keep_diverged: Keep the runs that look diverged (their finite losses).
    """
    raw, repeats = unread_repeats(raw, lambda r: (None, _read_columns(r, columns)))  # one rule
    step_col, loss_col = _column(raw, "step", columns), _column(raw, "loss", columns)
    for what, col in (("step", step_col), ("loss", loss_col)):
        if col is None:
            panel = panel_export(raw)
            if panel is not None:
                raise panel
            looked = f"no {what} column (looked for {', '.join(ALIASES[what])})"
            run_col = _column(raw, "run", columns) if what == "step" else None
            final = final_losses(raw, run_col, missing=looked) if what == "step" else None
            if final is not None:  # a run table: no step column under another name
                raise final
            raise DataError(
                looked,
                source=raw.source,
                hint=f"name the column {what!r}, or map one: --map {what}=COLUMN",
            )
    assert step_col is not None and loss_col is not None
    lr_col, run_col, n_col = (_column(raw, w, columns) for w in ("lr", "run", "params"))
    if lr_col is None and schedule is None:
        raise no_lr_error(raw, (step_col, loss_col, run_col, n_col))
    step, loss = numbers(raw, step_col), numbers(raw, loss_col, missing=True, loss=True)
    _checked_steps(raw, step, step_col)
    lr = numbers(raw, lr_col, missing=True) if lr_col else None
    sizes = None  # model sizes as in a run table: 25M, 1.3B
    if n_col:
        sizes = read_numbers(raw, n_col, quantity="params")[0]
        refuse_not_positive("params", n_col, sizes, raw)  # as a run table's, every row
    runs = [str(v) for v in raw.cells[run_col]] if run_col else [default_run] * len(step)
    bad = np.isfinite(loss) & (loss <= 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(
            f"loss {format_g(loss[i])} is not a positive number",
            source=raw.source,
            row=raw.rows[i],
            column=loss_col,
            hint="fix the value, or remove the row",
        )
    out, notes, skipped, left, done = [], list(repeats), {}, {}, []
    early: dict[str, list[int]] = {}  # run -> its steps before any training, left out
    unlogged: list[str] = []  # runs whose lr cells are all blank, with no schedule given
    if "step" not in (columns or {}) and (
        said := step_note(raw.names, step_col, source=raw.source)
    ):
        notes.append(said)  # train/global_step read, not W&B's _step
    corpora = _corpora(raw, {step_col, loss_col, lr_col, run_col, n_col})
    for run in dict.fromkeys(runs):
        idx = np.array([i for i, r in enumerate(runs) if r == run])
        again = resumed(step[idx], [raw.rows[i] for i in idx], who=f"run {run!r} ({raw.source})")
        if again is not None:  # resumed from a checkpoint: the later rows hold
            idx = idx[again[0]]
            notes.append(again[1])
        s = step[idx]
        if np.any(np.diff(s) <= 0):
            j = int(np.argmax(np.diff(s) <= 0)) + 1
            several = "" if run_col else ": the file may hold several runs"
            back = restarted(run, s, j) if run_col else None  # logged again from its start
            message, hint = back or (
                f"run {run!r}: steps must increase, but step {format_g(s[j])} follows {format_g(s[j - 1])}"
                + several,
                RESORT if run_col else run_column_hint(raw, int(idx[j]), (step_col, loss_col, lr_col, n_col)),
            )  # fmt: skip
            raise DataError(
                message, source=raw.source, row=raw.rows[idx[j]], column=step_col, hint=hint
            )
        screened = screen(s, loss[idx])
        if screened.reason:
            where = f"run {run!r} ({raw.source})"
            if not keep_diverged or not screened.finite.any():
                notes.append(
                    f"warning: {where} left out as diverged: {screened.reason} ({RULE}); "
                    + ("nothing to keep" if keep_diverged else f"pass {KEEP} to keep it")
                )
                left[run] = f"diverged ({screened.reason})"
                continue
            notes.append(f"warning: {where} looks diverged: {screened.reason}; kept, as asked")
        if not screened.finite.all():
            skipped[run] = int((~screened.finite).sum())
        given = None if lr is None or lr_col is None else (lr[idx], (step_col, lr_col))
        if (sched := _schedule(raw, run, idx, s, given, schedule, warmup)) is None:
            unlogged.append(run)
            continue
        # (a logged lr's schedule ends past its last step: the rule is the given one's)
        s, keep, shifted = steps_read(s, sched, run=run, source=raw.source, column=step_col,
                                      rows=[raw.rows[i] for i in idx])  # fmt: skip
        done += [(run, sched, not keep.all())] if shifted else []  # said once: all of them
        keep &= screened.finite
        if (fresh := keep & untrained(s, sched)).any():  # else every start of a fit fails
            early[run], keep = [int(v) for v in s[fresh]], keep & ~fresh
        n = float(sizes[idx[0]]) if sizes is not None else size_of(run)
        out.append(
            Curve(
                run,
                s[keep].astype(np.int64),
                loss[idx][keep],
                sched,
                size if math.isnan(n) else n,
                raw.source,
                tuple(raw.rows[i] for i in idx[keep]),
                {column: str(values[idx[0]]) for column, values in corpora.items()},
            )
        )
    if unlogged:
        raise no_lr_runs_error(raw.source, unlogged)
    notes += updates_done_notes(raw.source, done)
    if skipped:
        notes.append(no_loss_note(raw.source, loss_col, skipped))
    if early:
        notes.append(untrained_note(raw.source, early))
    return out, notes, left


def _corpora(raw: RawTable, read: set[str | None]) -> dict[str, list[str]]:
    """The text columns of ``raw`` that name a run's training data (``dataset``,
    ``corpus``, ...; not a column ``read`` as a quantity), each cell as text, as a run
    table's labels hold them: a column of numbers is no such label."""
    out = {}
    for name in (c for c in corpus_columns(raw.names) if c not in read):
        if reads_as_text(raw, name):  # text, as RunTable.labels keeps it
            out[name] = ["" if is_missing(c) else str(c) for c in as_list(raw.cells[name])]
    return out


def _schedule(
    raw: RawTable,
    run: str,
    idx: NDArray[np.intp],
    s: Array,
    lr: tuple[Array, tuple[str, str]] | None,
    schedule: str | Schedule | None,
    warmup: int | None,
) -> Schedule | None:
    """The run's schedule: its logged lr (``lr``: the rates at the run's rows ``idx`` and
    the step and lr columns; rows without one interpolated), else the one given (``None``:
    none), for a run without an lr column or whose lr cells are all blank (a store's)."""
    if lr is not None and not np.isnan(lr[0]).all():
        return logged_rates(s, lr[0], warmup=warmup, source=f"{raw.source} (run {run})",
                            columns=lr[1], rows=[raw.rows[i] for i in idx])  # fmt: skip
    if schedule is None:  # refused once every run is read, all named (no_lr_runs_error)
        return None
    return parse_schedule(schedule) if isinstance(schedule, str) else schedule
