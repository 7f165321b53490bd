"""A plain run table given to ``ingest``: one row per run, as :func:`scalinglab.read_runs`
reads it; a mapping that would drop a stored column, and a file of loss curves (a step
column, many rows per run), are refused with what to run instead."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_counted, format_g
from scalinglab.data import RunTable
from scalinglab.data._column_names import column_key
from scalinglab.data._curve_columns import CURVE_ALIASES
from scalinglab.data._outliers import _listing, detect
from scalinglab.data._raw import as_list
from scalinglab.data._readers import _read_file
from scalinglab.data._run_states import state_column, store_status
from scalinglab.data._schema import RUN_COLUMNS, RawTable, build_table
from scalinglab.data._units import is_missing
from scalinglab.ingest._diverged import written_nan
from scalinglab.ingest._earlier_reading import earlier_table
from scalinglab.ingest._eval_table import refuse_evals
from scalinglab.ingest._mapping import check_targets, did_you_mean
from scalinglab.ingest._unfinished import build_readable, stored_unfinished_note
from scalinglab.store import PutSummary, StoredRun

__all__ = ["diverged_heads", "kept_diverged", "read_table", "refuse_panel"]

#: What a stored run holds by name; mapping a column of one of these names to anything else
#: would leave every run without it.
_STORED = ("params", "tokens", "flops", "loss")
#: How a run that looks diverged is said to be stored, before the write decides it.
_STORED_NOTE = "; stored — "


def read_table(
    path: Path, mapping: Mapping[str, str], *, store: Path
) -> tuple[RunTable, dict[str, str], RunTable | None]:
    """The run table at ``path``, each ``mapping`` target read from its column, the store
    status of each run its state column (``State``: running, crashed) says did not finish,
    and the table as an earlier scalinglab read it, for the keys it gave the rows without a
    run id (:func:`~scalinglab.ingest._earlier_reading.earlier_table`; ``None``: alike).

    A run without a loss (a blank cell) is skipped, recorded in ``excluded``; one whose loss
    is ``inf`` or a NaN written as such (:func:`~scalinglab.ingest._diverged.written_nan`) is
    kept, to be stored as diverged.

    Raises:
        ConfigError: For a mapping that reads a stored column's name as something else.
        DataError: For anything :func:`scalinglab.read_runs` refuses, for a file that
            holds loss curves rather than one row per run, and when no run has a loss (a
            store keeps no run without one).
    """
    check_table_mapping(mapping)
    raw = _read_file(path, str(path))
    if "loss" not in mapping:  # scores alone: stored with --kind evals, not as runs
        refuse_evals(raw.names, raw.source, run=mapping.get("run"))
    refuse_panel(raw.names, raw.source)
    refuse_curves(raw, mapping)
    columns = dict(mapping) or None

    def build(cells: RawTable) -> RunTable:  # every run, to be stored with its state
        return build_table(
            cells, columns=columns, loss_option="--map loss=COLUMN", finished_only=False
        )

    table, unreadable = build_readable(raw, build, taken=mapping.values())
    if unreadable:  # skipped, as a run without a loss is
        skipped = tuple(u.skipped(raw, table.run_column) for u in unreadable)
        table = replace(table, excluded=(*table.excluded, *skipped))
    column = state_column(table.labels, taken=mapping.values())
    written = dict(zip(table.runs, table.labels[column], strict=True)) if column else {}
    table, states = _states(table, column)
    said = len(table.notes)  # the state note goes here, once the runs stored are known
    loss = table.origins.get("loss", "loss")  # a NaN written in it: a run that diverged
    nan = written_nan(raw.cells[loss], raw.rows) if loss in raw.cells else frozenset()
    table = _screened(table, store, unfinished=states, nan_rows=nan)
    states = {run: states[run] for run in table.runs if run in states}  # skipped: not stored
    loss_of = dict(zip(table.runs, table["loss"], strict=True))  # non-finite: stored diverged
    kept = {r: s for r, s in states.items() if np.isfinite(loss_of[r]) or s == "diverged"}
    note = stored_unfinished_note(
        [(run, status, written[run]) for run, status in kept.items()], f"column {column!r}",
        store=store, diverged=[(run, written[run]) for run in states if run not in kept],
    )  # fmt: skip
    table = replace(table, notes=(*table.notes[:said], *note, *table.notes[said:]))
    return table, states, earlier_table(raw, table, path=path, state=column)


def _states(table: RunTable, column: str | None) -> tuple[RunTable, dict[str, str]]:
    """The table less its state column ``column`` (a run's state is its stored status, not
    a label of it), and ``{run: status}`` of the runs that did not finish."""
    if column is None:
        return table, {}
    states = {run: store_status(s) for run, s in zip(table.runs, table.labels[column], strict=True)}
    labels = {k: v for k, v in table.labels.items() if k != column}
    unfinished = {run: status for run, status in states.items() if status != "finished"}
    return replace(table, labels=labels), unfinished


def _screened(
    table: RunTable,
    store: Path,
    *,
    unfinished: Collection[str] = (),
    nan_rows: Collection[int] = (),
) -> RunTable:
    """The runs that look diverged, said in an ingest's words: every run is stored, and a
    fit over the store is what leaves them out (``read_runs``'s wording names an option
    ingest does not have; of the ``unfinished`` runs, stored so, nothing is said); a run
    without a loss is skipped, as a tracker's run without one is (an ``inf`` loss, or a NaN
    written at one of ``nan_rows``, is no missing one: that run is stored as diverged)."""
    found = detect(table)
    loss = table["loss"]
    missing = [
        o for o in found if o.invalid and not np.isinf(loss[o.index]) and o.row not in nan_rows
    ]
    name = Path(table.source).name
    column = table.origins.get("loss", "loss")
    if missing and len(missing) == len(table):
        raise DataError(
            f"no run has a usable loss (diverged?): {_listing(missing)}",
            source=table.source,
            row=missing[0].row,
            column=column,
            hint=f"give the runs their loss in {name}: a stored run needs one",
        )
    notes = tuple(
        f"{_head(o.run, o.row, name)}{o.reason}{_STORED_NOTE}"
        f"scalinglab fit --store {store} --drop-outliers leaves it out of a fit "
        "(RunStore.to_run_table(drop_outliers=True) in Python)"
        for o in found
        if not o.invalid and o.run not in unfinished
    )
    table = replace(table, notes=table.notes + notes) if notes else table
    if not missing:
        return table
    keep = np.ones(len(table), dtype=np.bool_)
    keep[[o.index for o in missing]] = False
    skipped = tuple(
        (o.run, f"no value of {column!r} (row {o.row}: missing or NaN)") for o in missing
    )
    return replace(
        table.select(keep), excluded=(*table.excluded, *skipped), selected_from=table.selected_from
    )


def _head(run: str, row: int, name: str) -> str:
    """How the note on a run that looks diverged begins: its row names it in its file."""
    return f"run {run!r} (row {row} of {name}) looks diverged: "


def diverged_heads(table: RunTable, runs: Sequence[StoredRun]) -> dict[str, str]:
    """``run_id`` -> how the note on it begins, should it look diverged, for the runs
    :func:`~scalinglab.ingest._convert_table.convert_table` made of ``table`` (one per row,
    in order): a note is found by the run's row, not by a name that a stored run of this
    file (a row found again, ``keep_stored_names``) may have for another row."""
    name = Path(table.source).name
    return {
        run.run_id: _head(run_name, row, name)
        for run_name, row, run in zip(table.runs, table.rows, runs, strict=True)
    }


def kept_diverged(
    notes: Sequence[str],
    stored: pd.DataFrame | None,
    heads: Mapping[str, str],
    written: PutSummary,
) -> tuple[str, ...]:
    """``notes``, where one says a run that looks diverged is stored and ``--on-conflict
    keep`` kept the stored run instead (``written.conflicts``), saying that, with the loss
    that stayed stored (``stored``: the store before the write); ``heads``:
    :func:`diverged_heads`, by which each kept run's note is found."""
    if stored is None or not written.conflicts:
        return tuple(notes)
    losses = dict(zip(stored["run_id"], stored["loss"], strict=True))
    kept = {heads[i]: losses.get(i) for i, _ in written.conflicts if i in heads}
    out = []
    for note in notes:
        head, _, _ = note.partition(_STORED_NOTE)
        start = next((h for h in kept if note.startswith(h)), None)
        if start is not None and head != note:
            loss = kept[start]
            said = "" if loss is None or pd.isna(loss) else f" (loss {format_g(float(loss), 5)})"
            note = (
                f"{head}; not stored: --on-conflict keep kept the stored run{said}; "
                "--on-conflict replace stores it"
            )
        out.append(note)
    return tuple(out)


def check_table_mapping(mapping: Mapping[str, str]) -> None:
    """Refuse ``--map size=params`` (it reads ``params`` as a name the store does not keep)
    and a target that is not a quantity (``--map los=...``), as for a tracker."""
    for target, column in mapping.items():
        if column in _STORED and target not in (*_STORED, "run", "name", "run_id", "id"):
            raise ConfigError(
                f"--map {target}={column} reads column {column!r} as {target!r}, which the "
                f"store does not keep: every run would lose its {column}",
                hint=did_you_mean(target, also=("run",))
                + f"map onto {', '.join(_STORED)} (e.g. --map {column}=COLUMN), or drop it",
            )
    # the run-id column goes by any of its names (--map name=COLUMN), as read_runs takes it
    check_targets({t: c for t, c in mapping.items() if column_key(t) not in RUN_COLUMNS},
                  also=("run",))  # fmt: skip


def _column(raw: RawTable, names: tuple[str, ...], taken: set[str]) -> str | None:
    """The first column, among those not ``taken``, called one of ``names``."""
    free = [n for n in raw.names if n not in taken]
    return next((n for k in names for n in free if column_key(n) == k), None)


def _text(cell: object) -> str:
    """A step cell as written (``100``, not ``100.0`` from a float column)."""
    return f"{cell:g}" if isinstance(cell, float) else str(cell).strip()


def refuse_curves(raw: RawTable, mapping: Mapping[str, str]) -> None:
    """Refuse a long file of loss curves (a step column, most runs on several rows at
    different steps) given as a run table, saying which commands read curves; a table whose
    runs repeat without distinct steps is left to the run-id check (a genuine duplicate).

    Raises:
        DataError: Naming the step column, the rows per run and an example run.
    """
    run_keys = [t for t in mapping if column_key(t) in RUN_COLUMNS]
    mapped = {c for t, c in mapping.items() if t not in run_keys}
    run_col = (
        next((n for n in raw.names if column_key(n) == column_key(mapping[run_keys[0]])), None)
        if run_keys
        else _column(raw, RUN_COLUMNS, mapped)
    )
    step_col = _column(raw, CURVE_ALIASES["step"], mapped | {run_col or ""})
    if run_col is None or step_col is None:
        return
    ids = [None if is_missing(c) else str(c).strip() for c in as_list(raw.cells[run_col])]
    counts = Counter(i for i in ids if i is not None)
    repeated = [run for run, n in counts.items() if n > 1]
    if not repeated or 2 * len(repeated) < len(counts):
        return
    example = max(repeated, key=lambda run: counts[run])
    cells = as_list(raw.cells[step_col])
    steps = [_text(cells[k]) for k, run in enumerate(ids) if run == example]
    if len(set(steps)) < 2:
        return  # the same step repeated: duplicated rows, not a curve
    name = Path(raw.source).name
    raise DataError(
        f"this looks like loss curves, not a run table: a step column {step_col!r} and "
        f"{len(raw.rows)} rows for {len(counts)} runs (run {example!r} has {counts[example]} "
        f"rows, steps {steps[0]} to {steps[-1]}); ingest reads a run table of one row per run",
        source=raw.source,
        column=step_col,
        hint="store the curves with a run table of one row per run (name, params, tokens, "
        f"loss): scalinglab ingest RUNS.csv --history {name} (a table without a loss column: "
        "add --kind wandb --final last, min or mean:K to take it from each curve); or read "
        f"them directly: scalinglab envelope {name}, scalinglab fit --from-curves {name}",
    )


def refuse_panel(names: Sequence[str], source: str) -> None:
    """Refuse a W&B chart's CSV export (``Step`` and ``<run> - <metric>`` columns, with
    ``__MIN``/``__MAX`` ones) given as a run table: it holds curves of runs, no sizes, and is
    read as ``--history`` beside the run table of the same runs.

    Raises:
        DataError: Naming the layout, its runs and metrics, and the command that reads it.
    """
    step = next((n for n in names if column_key(n) in ("step", "_step")), None)
    others = [n for n in names if n != step]
    if step is None or not others or not all(" - " in n for n in others):
        return
    pairs = [n.rsplit(" - ", 1) for n in others if not n.endswith(("__MIN", "__MAX"))]
    runs = list(dict.fromkeys(run for run, _ in pairs))
    metrics = list(dict.fromkeys(metric for _, metric in pairs))
    name = Path(source).name
    raise DataError(
        f"a W&B panel export (a chart's history: {step!r} and '<run> - <metric>' columns, "
        f"{format_counted(len(runs), 'run')} of {', '.join(map(repr, metrics[:3]))}), not a run table: it "
        "holds curves, without the runs' sizes",
        source=source,
        hint=f"give it as --history beside the runs' table exported from the same project "
        f"(the Runs table's CSV: name, config, summary): scalinglab ingest RUNS.csv --history "
        f"{name}",
    )
