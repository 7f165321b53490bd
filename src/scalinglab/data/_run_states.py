"""Which runs finished, by a run table's state column (W&B's ``State``, a ``status`` column)
or a tracker's run state: a run still running, or one that crashed, failed, was killed or
preempted, or diverged, has no final loss to fit.

The readers leave such runs out before any value is checked (a running run may lack its
tokens), with one note in the words the run store uses for the stored runs a fit leaves
out (:func:`left_out_note`). A column of that name holding other words (a ``status`` of
``baseline``/``ablation``) is no state column, and is read as any text column.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError
from scalinglab._format import format_counted
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import RawTable, as_list, cell_id, rows_at
from scalinglab.data._units import is_missing

__all__ = [
    "STATES", "TRACKER_STATES", "counted", "finished_rows", "left_out_note", "state_column",
    "store_status", "trackers_of",
]  # fmt: skip

#: A run's state as trackers and run tables write it (lower-cased) -> the run store's status.
#: ``interrupted`` (the status ``scalinglab runs`` shows a stopped ladder rung with, as a
#: table exported from it writes it) is an ingested run stopped before its end, kept as
#: ``failed`` as ``killed`` is: scalinglab can resume only its own rungs.
_STOPPED = ("failed", "crashed", "killed", "error", "preempted", "cancelled", "canceled",
            "interrupted")  # fmt: skip
STATES: Mapping[str, str] = {
    **dict.fromkeys(
        ("finished", "completed", "complete", "done", "success", "succeeded", "terminated"),
        "finished",
    ),
    **dict.fromkeys(("running", "scheduled", "preempting"), "running"),
    **dict.fromkeys(("pending", "queued"), "pending"),
    **dict.fromkeys(_STOPPED, "failed"),
    "diverged": "diverged",
}
#: Each tracker's own run states, as its ingest keeps them beside a run (tracker -> the
#: key ``--where`` selects by, and the words as the tracker writes them): W&B's run states
#: (docs.wandb.ai, "Run states"; preempting/preempted its sweeps' preemption) and MLflow's
#: ``RunStatus``. Other words of :data:`STATES` come from run tables, whose state column
#: is the stored status alone.
TRACKER_STATES: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "W&B": ("wandb_state", ("running", "pending", "finished", "failed", "crashed", "killed",
                            "preempting", "preempted")),
    "MLflow": ("mlflow_status", ("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED")),
}  # fmt: skip
#: Names of a state column, as :func:`~scalinglab.data._column_names.column_key` writes them.
_STATE_NAMES = ("state", "status", "run_state", "run_status")


def store_status(state: object) -> str:
    """A tracker's run state (W&B ``crashed``, MLflow ``KILLED``) as a store status; a run
    without one, or of a state not known, is ``finished`` (an ingested run's default)."""
    return STATES.get(str(state or "finished").strip().lower(), "finished")


def trackers_of(state: str) -> list[tuple[str, str]]:
    """``(tracker, key=WORD)`` for each tracker that writes ``state`` (any case), its word
    as that tracker writes it: ``killed`` -> W&B's ``wandb_state=killed`` and MLflow's
    ``mlflow_status=KILLED``; none for a word no tracker writes (``done``)."""
    word = state.strip().lower()
    return [
        (tracker, f"{key}={w}")
        for tracker, (key, words) in TRACKER_STATES.items()
        for w in words
        if w.lower() == word
    ]


def _state(cell: object) -> str | None:
    """A state cell, lower-cased; ``None`` when blank."""
    return None if is_missing(cell) else str(cell).strip().lower()


def state_column(
    columns: Mapping[str, Sequence[object] | NDArray[np.generic]], *, taken: Collection[str] = ()
) -> str | None:
    """The first of ``columns`` named as a state (``State``, ``status``, ``run_state``; not
    one of ``taken``) whose every value is a known state (:data:`STATES`), and that holds one.
    """
    for name, values in columns.items():
        if column_key(name) not in _STATE_NAMES or name in taken:
            continue
        cells = as_list(values)
        if any(isinstance(c, str) for c in cells) and all(
            is_missing(c) or (isinstance(c, str) and c.strip().lower() in STATES) for c in cells
        ):
            return name
    return None


def left_out_note(by_state: Mapping[str, Sequence[str]], *, kept: str, runs: str, then: str) -> str:
    """The note naming the runs left out for their state, counted per state: ``left out 2
    stored runs that are not finished: 1 failed (a); 1 running (b) (...)``.

    Args:
        by_state: State -> the names of its runs, in the order to say them.
        kept: The state of the runs kept (``finished``).
        runs: What a run is called (``stored run``, ``run``), counted as
            :func:`~scalinglab._format.format_counted` counts it.
        then: What follows, in brackets: where to find them, or what says their state.
    """
    total = sum(len(names) for names in by_state.values())
    are = "is" if total == 1 else "are"
    return (
        f"left out {format_counted(total, runs)} that {are} not {kept}: {counted(by_state)} {then}"
    )


def counted(
    by_state: Mapping[str, Sequence[str]], *, kinds: Mapping[str, str] | None = None
) -> str:
    """``1 failed (a); 2 running (b, c)``: each state's count and first three runs, after
    ``kinds[state]`` where given (``1 crashed, 1 killed: ``: what a store status merged)."""
    return "; ".join(
        f"{len(names)} {state} ({(kinds or {}).get(state, '')}{', '.join(names[:3])}"
        + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        + ")"
        for state, names in by_state.items()
    )


def finished_rows(
    raw: RawTable, *, run_column: str | None, taken: Collection[str] = ()
) -> tuple[RawTable, list[str], tuple[tuple[str, str], ...]]:
    """``raw`` without the rows its state column (:func:`state_column`) says did not finish,
    the note naming them (none where every run finished, or there is no such column; a
    blank state is no state, and its run is kept), and ``(run id, reason)`` of each
    (:attr:`RunTable.skipped`, as a run without a loss is recorded).

    Args:
        raw: The source's cells.
        run_column: The column of run ids, to name the runs by (else ``row<k>``).
        taken: Columns read as something else (``--map``), never a state column.

    Raises:
        DataError: When no run finished: nothing is left to fit.
    """
    column = state_column({n: raw.cells[n] for n in raw.names}, taken=taken)
    if column is None:
        return raw, [], ()
    states = [_state(c) for c in as_list(raw.cells[column])]
    keep = [s is None or STATES[s] == "finished" for s in states]
    if all(keep):
        return raw, [], ()
    ids = (
        [cell_id(c, r) for c, r in zip(as_list(raw.cells[run_column]), raw.rows, strict=True)]
        if run_column is not None
        else [f"row{r:d}" for r in raw.rows]
    )
    by_state: dict[str, list[str]] = {}
    for state, run, kept in zip(states, ids, keep, strict=True):
        if not kept and state is not None:
            by_state.setdefault(state, []).append(run)
    if not any(keep):
        raise DataError(
            f"no run finished: {counted(by_state)}",
            source=raw.source,
            column=column,
            hint="fit the runs once they finish: a run's loss before then is not its final loss",
        )
    note = left_out_note(by_state, kept="finished", runs="run",
                         then=f"(as column {column!r} says)")  # fmt: skip
    skipped = tuple(
        (run, f"not finished: column {column!r} says {state!r} (row {row})")
        for state, run, row, kept in zip(states, ids, raw.rows, keep, strict=True)
        if not kept
    )
    return rows_at(raw, [i for i, k in enumerate(keep) if k]), [note], skipped
