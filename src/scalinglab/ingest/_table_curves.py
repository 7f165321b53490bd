"""Loss curves given with a plain run table (``scalinglab ingest RUNS.csv --history
CURVES.csv``): a run column, a step column and losses (also lr and tokens), many rows per
run, read under the names the curve readers know (:data:`CURVE_ALIASES`) and by their rule
(:func:`pick_column`; there is no ``--map`` for the curves, so several candidates are
refused, to keep one), so a file that ``scalinglab curves fit`` reads also ingests; each row
goes with the table's run of its name. A run whose loss curve diverged is stored as
``diverged``, screened as a tracker's history is (:mod:`scalinglab.ingest._diverged`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from scalinglab._errors import DataError
from scalinglab._format import format_columns, format_counted
from scalinglab.data._column_names import column_key as _key
from scalinglab.data._column_names import several_columns
from scalinglab.data._curve_columns import CURVE_ALIASES, LR_ALIASES, pick_column
from scalinglab.data._step_column import step_note
from scalinglab.ingest._convert import Converted, curve_rows
from scalinglab.ingest._disagree import disagreement_note
from scalinglab.ingest._diverged import diverged_note, loss_divergence, stored_diverged
from scalinglab.ingest._final import FinalRule, final_values, is_sorted
from scalinglab.ingest._history import match_points, read_points
from scalinglab.ingest._history_rows import rows_without_loss
from scalinglab.ingest._source import RUN, STEP, Source
from scalinglab.store import StoredRun

__all__ = ["with_curves"]

#: The store's curve column of each loss name: a plain ``loss`` is the training loss, as the
#: curve laws (and ``curves fit --store``, which reads ``train_loss``) take it.
_LOSSES = {
    alias: "train_loss" if alias in ("loss", "train_loss", "train/loss") else "eval_loss"
    for alias in CURVE_ALIASES["loss"]
}


def _column(names: list[str], what: str, aliases: tuple[str, ...], source: str) -> str | None:
    """The column of ``what`` as ``curves fit`` finds it (several refused: no ``--map``)."""
    return pick_column(names, what, aliases, {}, source=source, flag=None)


def _missing(
    what: str, aliases: tuple[str, ...], names: list[str], source: str, hint: str
) -> NoReturn:
    shown = format_columns(names)
    raise DataError(
        f"no {what} column in the loss curves (looked for {', '.join(aliases)}); the columns "
        f"are {shown}",
        source=source,
        hint=hint,
    )


def _columns(names: list[str], source: str) -> tuple[str | None, str, dict[str, str]]:
    """The run column (``None``: one run's curve), the step column, and store curve
    column -> the file's column."""
    run_col = _column(names, "run", CURVE_ALIASES["run"], source)
    step_col = _column(names, "step", CURVE_ALIASES["step"], source)
    if step_col is None:
        _missing(
            "step", CURVE_ALIASES["step"], names, source,
            "add a step column: the training step each row was logged at (a file of one "
            "final value per run is a run table, not curves)",
        )  # fmt: skip
    stored: dict[str, str] = {}
    for target in ("train_loss", "eval_loss"):  # the store has a column for each kind
        found = [n for n in names if _LOSSES.get(_key(n)) == target]
        if len(found) > 1:
            raise several_columns(found, target, source=source)
        if found:
            stored[target] = found[0]
    if not stored:
        _missing(
            "loss", CURVE_ALIASES["loss"], names, source,
            "name the loss column 'loss' (the training loss) or 'eval_loss'",
        )  # fmt: skip
    for target, aliases in (("tokens", CURVE_ALIASES["tokens"]), ("lr", LR_ALIASES)):
        found_col = _column(names, target, aliases, source)
        if found_col is not None:
            stored[target] = found_col
    return run_col, step_col, stored


def with_curves(
    converted: Converted,
    path: Path,
    rule: FinalRule | None = None,
    *,
    table_columns: Mapping[str, str] | None = None,
) -> Converted:
    """``converted`` (a plain run table's runs) with the curves of the file at ``path``.

    Rows of runs not in the table are skipped with a note; a run without rows has no curve.
    With ``rule`` (``--final`` given), each curve sets by that rule the quantity it is: an
    eval-loss curve the run's loss, a training-loss curve its ``train_loss`` (never the
    loss: the table's eval loss is not replaced by a training loss). ``table_columns``
    names the table's column of ``loss`` and ``train_loss``, for the note on a table value
    unlike its curve's last point.

    Raises:
        DataError: For a file without a step or loss column, two columns that could each
            be its run, step, tokens, lr, training loss or eval loss, a loss column of text,
            a step that is not a number, or no row of any run in the table (without a run
            column: no run named as the file).
    """
    source = str(path)
    table = read_points(path, what="loss curves", text=CURVE_ALIASES["run"])
    names = [str(n) for n in table.column_names]
    run_col, step_col, stored = _columns(names, source)
    runs = converted.runs
    if run_col is None:  # one run's curve, named by its file as `curves fit` names it
        import pyarrow as pa

        run_col = next(f"_run{k}" for k in range(len(names) + 1) if f"_run{k}" not in names)
        table = table.append_column(run_col, pa.array([path.stem] * table.num_rows))
    frame, notes = match_points(
        table,
        run_col=run_col,
        step_col=step_col,
        keys=[r.name for r in runs],
        source=source,
        columns=stored,
    )
    if frame is None and run_col not in names:
        raise DataError(
            f"no run column in the loss curves (looked for {', '.join(CURVE_ALIASES['run'])}), "
            f"so they are one run's, named {path.stem!r} after the file, and the run table has "
            "no run of that name",
            source=source,
            hint="add a 'run' column naming each row's run as the run table does (or name "
            "the file after its run)",
        )
    if frame is None:
        theirs = sorted({str(v) for v in table.column(run_col).unique().to_pylist()})
        ours = ", ".join(repr(r.name) for r in runs[:3]) + (", ..." if len(runs) > 3 else "")
        raise DataError(
            f"no run of the loss curves is in the run table: {run_col!r} names "
            f"{', '.join(map(repr, theirs[:3]))}{', ...' if len(theirs) > 3 else ''} "
            f"({format_counted(len(theirs), 'run')}); the table's runs are {ours or 'none'}",
            source=source,
            column=run_col,
            hint=f"the {run_col!r} column must hold the run table's run names (its run or "
            "name column): give the curves of these runs, or rename them in one file",
        )
    losses = [t for t in ("train_loss", "eval_loss") if t in stored and t in frame.columns]
    if not losses:
        column = stored.get("train_loss", stored.get("eval_loss", ""))
        raise DataError(
            f"the loss column holds {table.schema.field(column).type}, not numbers",
            source=source,
            column=column,
            hint="write one loss per row as a number (an empty cell where none was logged)",
        )
    mapping = {"train_loss": "train_loss", "loss": "eval_loss", "tokens": "tokens", "lr": "lr"}
    curves = curve_rows(Source("table", source, (), frame), mapping, list(runs))
    read = ", ".join(f"{target} <- {column}" for target, column in stored.items())
    matched = f"rows matched by {run_col!r}" if run_col in names else f"run {path.stem!r}"
    notes.insert(0, f"curves of {path.name}: {matched}; read {read}")
    if step_said := step_note(names, step_col, source=source):  # train/global_step, not _step
        notes.insert(1, step_said)
    run_idx, steps = frame[RUN].to_numpy(), frame[STEP].to_numpy()
    if not is_sorted(run_idx, steps):  # by run, then step: once, for the screen and --final
        frame = frame.take(np.lexsort((steps, run_idx))).reset_index(drop=True)
    runs, diverged = _screened(frame, runs, stored)
    if rule is not None:
        runs, said = _finals(frame, runs, rule, path.name, dict(table_columns or {}))
        notes += said
    notes += diverged_note(diverged)
    loss = "train_loss" if "train_loss" in stored else "eval_loss"  # what curves fit reads
    named = [r.name if r.status != "diverged" else None for r in runs]
    notes += rows_without_loss(frame, named, loss, source=source, column=stored[loss])
    covered = set(frame[RUN].unique().tolist())
    bare = [r.name for k, r in enumerate(runs) if k not in covered]
    if bare:
        shown = ", ".join(map(repr, bare[:3])) + (" ..." if len(bare) > 3 else "")
        notes.append(
            f"{format_counted(len(bare), 'run')} of the table "
            f"{'has' if len(bare) == 1 else 'have'} no curve in {path.name}: {shown}"
        )
    return replace(converted, runs=runs, curves=curves, notes=(*converted.notes, *notes))


def _screened(
    frame: pd.DataFrame, runs: tuple[StoredRun, ...], stored: Mapping[str, str]
) -> tuple[tuple[StoredRun, ...], list[tuple[str, str]]]:
    """The runs, those whose loss curve diverged stored as ``diverged`` as a tracker's are
    (by the rule ``curves`` screens by), and ``(name, why)`` of those; ``frame`` ordered by
    run, then step, ``stored`` the file's column of each of its curves."""
    curves = [(stored[c], frame[c].to_numpy(dtype=np.float64)) for c in _SETS if c in frame]
    found = loss_divergence(frame[RUN].to_numpy(), frame[STEP].to_numpy(), curves)
    out = tuple(stored_diverged(r, found[k]) if k in found else r for k, r in enumerate(runs))
    return out, [(runs[k].name, why) for k, why in sorted(found.items())]


#: The stored value a curve's final point sets: like with like, an eval loss never from a
#: training loss.
_SETS = {"eval_loss": "loss", "train_loss": "train_loss"}


def _finals(
    frame: pd.DataFrame,
    runs: tuple[StoredRun, ...],
    rule: FinalRule,
    file: str,
    table_columns: Mapping[str, str],
) -> tuple[tuple[StoredRun, ...], list[str]]:
    """The runs with each curve's final value taken by ``rule`` into the quantity it is (a
    run without a curve keeps the table's), and what to say about it; ``frame`` ordered by
    run, then step."""
    run_idx, steps = frame[RUN].to_numpy(), frame[STEP].to_numpy()
    out, notes = list(runs), []
    if "eval_loss" not in frame.columns:
        notes.append(
            f"final loss = the table's: {file} has no eval-loss curve, and its training loss "
            f"sets train_loss, not the loss (--final {rule} applies to train_loss only)"
        )
    for column, target in _SETS.items():
        if column not in frame.columns:
            continue
        values = frame[column].to_numpy(dtype=np.float64)
        finals = final_values(run_idx, steps, values, len(runs), rule, presorted=True)
        taken, n_taken = [], 0  # taken: (k, run, table's value), held to the curve's end
        for k, run in enumerate(out):
            if not np.isfinite(finals[k]):
                continue
            n_taken += 1
            if target == "loss":
                said = run.loss
                extra = {**run.extra, "final_rule": str(rule)}
                out[k] = replace(run, loss=float(finals[k]), extra=extra)
            else:  # a table's train_loss column is kept in extra, as its covariates are
                value = run.extra.get("train_loss")
                said = value if isinstance(value, float) else None
                out[k] = replace(run, train_loss=float(finals[k]))
            if run.status != "diverged":  # a diverged curve ends early by nature
                taken.append((k, run.name, said))
        notes.append(f"final {target} = {rule.describe(column)}, as --final {rule} asks")
        if n_taken < len(runs):
            its = "its" if len(runs) - n_taken == 1 else "their"
            kept = f"{its} final loss is the table's" if target == "loss" else "no train_loss"
            notes.append(
                f"{format_counted(len(runs) - n_taken, 'run')} "
                f"{'has' if len(runs) - n_taken == 1 else 'have'} no {column!r} curve: {kept}, "
                f"not --final {rule}"
            )
        notes += disagreement_note(
            frame, len(runs), taken, column, rule, said_by="table",
            said_as=table_columns.get(target, target),
            otherwise="without --final, the table's value is stored",
        )  # fmt: skip
    return tuple(out), notes
