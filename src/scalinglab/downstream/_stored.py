"""Evaluations read back from the run store: each stored run's sizes and loss with its
stored scores (``scalinglab ingest lm-eval-results/``), ready for the chain."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import pandas as pd

from scalinglab._errors import DataError, did_you_mean
from scalinglab._format import format_counted, join_more
from scalinglab._keywords import keywords_checked
from scalinglab.data._where_args import Where, as_where
from scalinglab.downstream._evals import Evals, read_evals
from scalinglab.downstream._evals_table import removed_by_where
from scalinglab.downstream._frames import check_metric, named_tasks
from scalinglab.downstream._metric_rule import Scored, pick_scores, several_filters
from scalinglab.downstream._noise import EXAMPLES

if TYPE_CHECKING:
    from scalinglab.store import RunStore

__all__ = ["read_store_evals", "store_evals_frame"]


def store_evals_frame(
    store: str | os.PathLike[str], *, metric: str = "acc", status: str = "finished"
) -> tuple[pd.DataFrame, list[str], Scored]:
    """One row per stored run with evaluations: ``run``, its sizes, loss and numeric
    covariates (as :meth:`scalinglab.RunStore.to_run_table` reads them), and ``acc_<task>``
    from the stored scores of ``metric``; a note on runs holding scores as run columns only;
    and the stored scores, for the note on the tasks left out for want of ``metric``
    (:class:`~scalinglab.downstream._frames.Scored`).

    Raises:
        DataError: If the store holds no scores of ``metric`` for its ``status`` runs, or
            ``metric`` is a standard error (``acc_stderr``).
        StoreError: For a missing, corrupt or newer store, or no ``status`` runs.
    """
    from scalinglab.store import RunStore

    where = os.fspath(store)
    check_metric(metric, where)
    rs = RunStore(store)
    table = rs.to_run_table(status=status).to_pandas()
    names = rs.run_labels(status=status)  # a run stored twice: its copy's scores count too
    scores = rs.evals()
    scores = scores[scores["metric"] != EXAMPLES]  # task sizes: no scores (read_store_evals)
    theirs = scores[scores["run_id"].isin(list(names))]
    unread = _not_status(rs, scores[~scores["run_id"].isin(list(names))], status)
    picked, said, several = pick_scores(theirs, metric)  # the rule the files are read by
    if picked.empty and several:
        raise several_filters(metric, several, where)
    if picked.empty:
        metrics = sorted(set(scores["metric"]))
        raise DataError(
            f"no {metric!r} scores of {status} runs in the store (stored metrics: "
            f"{join_more(metrics, 12) or 'none'})"
            + _in_columns(rs, table, metric, status)
            + did_you_mean(metric, metrics),  # acc_nrom: acc_norm
            source=where,
            hint="ingest evaluations first (scalinglab ingest lm-eval-results/ --store "
            f"{where}), or choose a stored metric with --metric",
        )
    wide = picked.assign(run=picked["run_id"].map(names)).pivot_table(
        index="run", columns="task", values="value", aggfunc="first"
    )
    _check_fractions(wide, metric, where)
    wide.columns = [f"acc_{task}" for task in wide.columns]
    old = _columns_only(table, set(wide.index), metric, where)
    # a score stored as an evaluation wins over a run's own column of the same name
    # (regardless of case: Acc_arc_easy is acc_arc_easy, as ingest stored it: scores_by_task)
    table = table.drop(columns=[c for c in table.columns if str(c).lower() in set(wide.columns)])
    named = theirs.assign(run=theirs["run_id"].map(names))
    scored = Scored(metric, named[["run", "task", "metric"]])
    return table.merge(wide.reset_index(), on="run", how="inner"), [*said, *old, *unread], scored


def _not_status(rs: RunStore, scores: pd.DataFrame, status: str) -> list[str]:
    """The note naming the stored runs with scores that are not ``status`` (a failed run
    the harness evaluated), which the chain leaves out, in the words ``fit --store`` names
    them with: a run with scores is never dropped unsaid."""
    from scalinglab.store._fit_rows import left_out

    every = rs.runs_frame()
    said, _ = left_out(every[every["run_id"].isin(set(scores["run_id"]))], rs.path, status=[status])
    return said


def _score_columns(table: pd.DataFrame, metric: str) -> list[str]:
    """The run columns of ``table`` that hold ``metric`` scores (``acc_<task>``)."""
    from scalinglab.downstream._evals_scores import wide_score

    return [c for c in map(str, table.columns) if (wide_score(c.lower()) or ("", ""))[1] == metric]


def _columns_only(table: pd.DataFrame, scored: set[str], metric: str, where: str) -> list[str]:
    """A note on the runs left out because they hold ``metric`` scores only as run columns
    (a table ingested before ingest stored them as evaluations), beside runs that have
    stored evaluations: which, and how to store theirs."""
    columns = _score_columns(table, metric)
    rest = table[~table["run"].isin(scored)]
    held = rest[columns].notna().any(axis=1) if columns else pd.Series(dtype=bool)
    if not held.any():
        return []
    return [
        f"left out {format_counted(int(held.sum()), 'run')} that "
        f"{'holds' if int(held.sum()) == 1 else 'hold'} {metric} scores only as run columns "
        f"({', '.join(columns[:3])}{' ...' if len(columns) > 3 else ''}), stored before ingest "
        f"kept a table's scores as evaluations: ingest their table again (scalinglab ingest "
        f"FILE --store {where}) to use them"
    ]


def _in_columns(rs: RunStore, table: pd.DataFrame, metric: str, status: str) -> str:
    """Where a store holds ``metric`` scores only as run columns (``acc_<task>`` of a run
    table ingested before ingest stored them as evaluations): which, and how to store them."""
    columns = _score_columns(table, metric)
    if not columns:
        return ""
    sources = sorted(set(rs.runs_frame(status=status)["source"].dropna().astype(str)))
    shown = join_more(columns, 3)
    return (
        f"; its runs hold {metric} scores as run columns ({shown}), stored by an ingest that "
        f"kept a table's score columns only with its runs: ingest {', '.join(sources[:3])} "
        f"again (scalinglab ingest FILE --store {rs.path}) to store them as evaluations"
    )


def _check_fractions(wide: pd.DataFrame, metric: str, where: str) -> None:
    """Refuse stored scores that are not fractions, naming the store, task and run: scores in
    percent say how to store them as fractions (the store is read as it is: no --percent)."""
    from scalinglab.data._percent import percent_span
    from scalinglab.downstream._fractions import accuracy, looks_percent

    for task in wide.columns:
        values = wide[task]
        column = f"{task} {metric}"
        if looks_percent(values):
            span = percent_span(values.to_numpy(dtype=float) / 100.0)
            raise DataError(
                f"the stored {column} scores look like percent ({span}); the store holds "
                "fractions correct",
                source=where,
                hint=f"ingest their source again (scalinglab ingest SOURCE --store {where}): "
                "ingest stores a tracker's scores logged in percent as fractions",
            )
        accuracy(values, column, where, percent=False, runs=[str(r) for r in wide.index])


def _stored_examples(store: str, evals: Evals, status: str) -> dict[str, float]:
    """Each task's number of examples stored with its scores (:data:`EXAMPLES`, from the
    harness files' ``n-samples``): the smallest over the stored runs, as
    :func:`~scalinglab.downstream._noise.lm_eval_examples` takes it from the files."""
    from scalinglab.store import RunStore

    rs = RunStore(store)
    names = rs.run_labels(status=status)
    scores = rs.evals()
    sizes = scores[(scores["metric"] == EXAMPLES) & scores["run_id"].isin(list(names))]
    least = sizes.groupby("task")["value"].min()
    return {str(t): float(n) for t, n in least.items() if t in evals.tasks}


@keywords_checked("scalinglab.downstream.read_store_evals")
def read_store_evals(
    store: str | os.PathLike[str],
    *,
    loss: str | None = None,
    tasks: Sequence[str] | str | None = None,
    chance: Mapping[str, float] | str | os.PathLike[str] | None = None,
    metric: str = "acc",
    status: str = "finished",
    where: Where | None = None,
    drop_outliers: bool = False,
) -> Evals:
    """:func:`scalinglab.downstream.read_evals` of the evaluations stored with their runs.

    Args:
        store: The run store (``.duckdb``); read-only, never migrated.
        loss: The loss column, as :func:`~scalinglab.downstream.read_evals` takes it.
        tasks: Task names or columns to keep, as ``read_evals``.
        chance: Task -> chance accuracy, or a CSV of them, as ``read_evals``.
        metric: The stored metric read as accuracy (``acc``, ``acc_norm``).
        status: Which runs to take.
        where: Only the models with these text values, as ``read_evals``.
        drop_outliers: Leave out the models whose loss looks diverged, as ``read_evals``.

    Returns:
        The evaluations, with the store as their source and the examples it records.
    """
    where = as_where(where)  # read_evals' forms: {"dataset": "c4"}, "dataset=c4", pairs
    frame, notes, scored = store_evals_frame(store, metric=metric, status=status)
    # there, without the metric: say so (a string is one task or several, as read_evals')
    scored.refuse_asked(named_tasks(tasks), os.fspath(store))
    evals = read_evals(
        frame, loss=loss, tasks=tasks, chance=chance, where=where, drop_outliers=drop_outliers
    )
    # the tasks left out for want of the metric, said of the models --where kept
    removed = removed_by_where(list(frame["run"].astype(str)), evals.runs) if where else ()
    left, said = scored.left_out(removed, evals.tasks)
    path = os.fspath(store)
    return replace(
        evals,
        examples={**evals.examples, **_stored_examples(path, evals, status)},
        source=path,
        runs=replace(evals.runs, source=path),
        notes=(*said, *notes, *evals.notes),
        left_out={**left, **evals.left_out},
    )
