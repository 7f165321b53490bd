"""Which stored runs a fit of a store reads: those with every size the others have (a run
stored with no params is left out with a note, not a refusal of the whole store), and, when
``--where`` keeps none of the finished runs, an error that says the runs it matches are
left out for their status (``runs --where`` lists every status; a fit reads finished ones)."""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, StoreError
from scalinglab._format import format_counted, join_more
from scalinglab.data._compare import compared, condition_said
from scalinglab.data._run_states import counted, left_out_note
from scalinglab.store._copies import copy_of
from scalinglab.store._listing import frame_statuses, selected_rows
from scalinglab.store._params_count import PARAMS_COUNTS
from scalinglab.store._sources import shown_source

__all__ = [
    "check_counts",
    "left_out",
    "listed_by",
    "none_kept_error",
    "other_statuses_error",
    "where_count_note",
    "with_sizes",
]


def with_sizes(
    frame: pd.DataFrame, params: str, path: Path, names: NDArray[np.str_]
) -> tuple[NDArray[np.bool_], tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Which runs of ``frame`` have every size (``params``, the count N is read from;
    tokens; flops, or 6·N·D) that any run of it has, a note naming those left out by
    ``names`` (their labels in the fit, :func:`~scalinglab.store._copies.labels`), and
    ``(run, reason)`` of each (:attr:`RunTable.skipped`).

    A size no run has is derived or refused later, as for any run table; a size only some
    runs lack leaves those runs out, as ingest warned when it stored them (``runs rm``
    removes them for good).

    Raises:
        StoreError: If every run lacks a size another has (nothing to fit).
    """
    n, d = frame[params].astype(np.float64), frame["tokens"].astype(np.float64)
    flops = frame["flops"].astype(np.float64).fillna(6.0 * n * d)
    flops = flops.fillna(frame["flops_6nd"].astype(np.float64))
    lacking: dict[str, pd.Series] = {}
    for name, values in ((params, n), ("tokens", d), ("flops", flops)):
        if values.notna().any():  # none has it: derived (or refused) as the table is read
            lacking[name] = values.isna()
    gone = pd.DataFrame(lacking, index=frame.index).any(axis=1) if lacking else None
    if gone is None or not gone.any():
        return np.ones(len(frame), dtype=np.bool_), (), ()
    said, skipped = [], []
    for i in np.flatnonzero(gone.to_numpy()):
        missing = [k for k, v in lacking.items() if v[i]]
        # flops is missing because 6·N·D is: name what the source did not give
        shown_missing = [k for k in missing if k != "flops"] or missing
        said.append(f"{names[i]} (no {', '.join(shown_missing)})")
        skipped.append((str(names[i]), f"no {', '.join(shown_missing)}: a size the others have"))
    shown = join_more(said, 3)
    first = _removal(frame.loc[gone].iloc[0], str(names[gone.to_numpy()][0]))
    fix = f"`scalinglab runs rm --store {path} {first}` removes one; --where selects others"
    if gone.all():
        raise StoreError(
            f"{path}: no stored run has every size a fit reads: {shown}",
            hint="store the sizes again with `scalinglab ingest --map params=NAME` "
            "(tokens=NAME), or " + fix,
        )
    note = (
        f"left out {format_counted(len(said), 'stored run')} without a size the others have: "
        f"{shown}; "
        f"a fit needs each size of every run ({fix})"
    )
    return ~gone.to_numpy(), (note,), tuple(skipped)


def _removal(row: pd.Series, label: str) -> str:
    """What ``runs rm`` takes to remove the run of ``row``, labelled ``label`` in the fit:
    its name where that is its label, else its id, or its name and source where the label
    is those (``m00 (c.csv)``: ``m00 --source c.csv``, the one of that name from there, its
    source as ``runs`` shows it from here)."""
    name, run_id = str(row["name"]), str(row["run_id"])
    if label in (name, run_id):
        return shlex.quote(label)
    source = shown_source(row["source"], row.get("extra"))
    if source is None:  # no source to tell it apart: its id
        return shlex.quote(run_id)
    return f"{shlex.quote(name)} --source {shlex.quote(source)}"


def other_statuses_error(
    every: pd.DataFrame, where: Sequence[tuple[str, str]], path: Path, *, status: str
) -> ConfigError | None:
    """The error for a ``--where`` that keeps none of the ``status`` runs but matches
    stored runs of other statuses (``--where status=failed``), which a fit leaves out;
    for a ``--where status=`` that matches none of any status, the error of ``runs
    --where`` (the statuses of the store, or the one a run stored so is shown with), and
    that a fit reads ``status`` runs; ``None`` for another ``--where`` that matches none
    (the caller's own error stands).

    Args:
        every: The runs table, every status.
        where: The ``--where`` conditions.
        path: The store.
        status: The status a fit reads (``finished``).
    """
    try:
        matched = selected_rows(every, where, str(path))
    except ConfigError as err:
        if not any(column == "status" for column, _ in where):
            return None  # the caller's error lists the values of the runs a fit reads
        # on a status, the store's: a rung stored `pending` is shown `interrupted`
        return ConfigError(f"{err.message}; a fit reads {status} runs only", hint=err.hint)
    if matched.empty:
        return None
    statuses = frame_statuses(matched, str(path))  # as `runs --where` lists them: interrupted
    by_status: dict[str, list[str]] = {}
    for run_id, name in zip(
        matched["run_id"].astype(str), matched["name"].fillna(matched["run_id"]), strict=True
    ):
        by_status.setdefault(statuses[run_id], []).append(str(name))
    names = [name for group in by_status.values() for name in group]
    shown = join_more(names, 3)
    plural = len(names) > 1
    kept = " ".join(f"--where {shlex.quote(condition_said(c, v))}" for c, v in where)
    return ConfigError(
        f"{path}: a fit reads {status} runs: "
        f"{' and '.join(f'{len(group)} {other}' for other, group in by_status.items())} "
        f"run{'s' if plural else ''} ({shown}) match{'' if plural else 'es'} {kept}, "
        "which a fit leaves out",
        hint=f"`scalinglab runs --store {path} {kept}` lists them; drop this "
        f"--where to fit the {status} runs",
    )


def check_counts(frame: pd.DataFrame, params: str, path: Path) -> None:
    """Refuses N from a count some runs lack (an ingested source gave no non-embedding N)."""
    missing = frame.loc[frame[params].isna(), "name"].astype(str).tolist()
    if missing and params != "params":
        raise StoreError(
            f"{path}: {len(missing)} of {format_counted(len(frame), 'run')} "
            f"{'has' if len(missing) == 1 else 'have'} no {params} "
            f"({join_more(missing, 3)})",
            hint="--x N=params fits on total parameters",
        )


def where_count_note(where: Sequence[tuple[str, str]], chosen: str) -> tuple[str, ...]:
    """The note for a ``--where`` on the count the fit does not read as N (``chosen``):
    ``params=`` selects by the stored total, as ``scalinglab runs`` shows it, whatever N."""
    other = next(c for c in PARAMS_COUNTS if c != chosen)
    # params_non_embedding<3e7 too: a comparison's column is its own
    given = " ".join(
        condition_said(c, v) for c, v in where if getattr(compared(c, v), "column", c) == other
    )
    if not given:
        return ()
    return (
        f"--where {given} selected runs by {PARAMS_COUNTS[other]} (the stored {other}, as "
        f"`scalinglab runs` shows it); N here is {chosen}, which --where {chosen}=VALUE "
        "selects by",
    )


def _by_status(every: pd.DataFrame, path: Path, *, status: Sequence[str]) -> dict[str, list[str]]:
    """The stored runs not of ``status``, by the status ``scalinglab runs`` shows them with
    (a stopped rung ``interrupted``): each status's run names, sorted."""
    shown = frame_statuses(every, str(path))  # as `runs --status` selects: rungs stopped too
    ids = every["run_id"].astype(str).tolist()
    original = copy_of(every.reset_index(drop=True))
    # a run stored from two sources is one run, named once, as a fit counts a finished one
    rows = sorted(
        (shown[run_id], str(name))
        for run_id, name, first in zip(ids, every["name"], original, strict=True)
        if shown[run_id] not in status and (first < 0 or shown[ids[first]] != shown[run_id])
    )
    by_status: dict[str, list[str]] = {}
    for other, name in rows:
        by_status.setdefault(other, []).append(name)
    return by_status


def left_out(
    every: pd.DataFrame, path: Path, *, status: Sequence[str]
) -> tuple[list[str], tuple[tuple[str, str], ...]]:
    """A note naming the stored runs of other statuses (failed, interrupted) that a fit of
    the ``status`` runs (``finished``; a sweep's finished and diverged) leaves out, as
    copies and outliers are named, and ``(run, reason)`` of each (:attr:`RunTable.skipped`);
    ``every``: the runs table, every status."""
    by_status = _by_status(every, path, status=status)
    if not by_status:
        return [], ()
    kept = " or ".join(status)
    skipped = tuple(
        (name, f"not {kept}: stored as {other}")
        for other, names in by_status.items()
        for name in names
    )
    then = listed_by(path, by_status)
    return [left_out_note(by_status, kept=kept, runs="stored run", then=then)], skipped


def none_kept_error(every: pd.DataFrame, path: Path, *, status: Sequence[str]) -> StoreError:
    """The error for a store none of whose runs a fit reads: every one of them of another
    status than ``status`` (a ladder whose every rung diverged or failed), or none stored.
    It names the runs by status and where they are listed, as a fit's note of the runs it
    leaves out does; it said only "no finished runs in the store", with a hint to run
    ``ladder status`` "to fill it"."""
    kept = " or ".join(status)
    quoted = shlex.quote(str(path))
    fill = (
        f"train a ladder into it (`scalinglab ladder run LADDER --store {quoted}`) or ingest "
        f"{kept} runs (`scalinglab ingest RUNS --store {quoted}`)"
    )
    by_status = _by_status(every, path, status=status)
    if not by_status:
        return StoreError(f"{path}: no runs in the store", hint=fill)
    total = sum(len(names) for names in by_status.values())
    rungs = every["source"].fillna("").astype(str).str.startswith("ladder:").any()
    why = f", and `scalinglab ladder status --store {quoted}` says why a rung stopped"
    return StoreError(
        f"{path}: no {kept} runs in the store, which a fit reads: it holds "
        f"{format_counted(total, 'run')} of other statuses: {counted(by_status)}",
        hint=f"{listed_by(path, by_status)[1:-1]}{why if rungs else ''}; to fit, {fill}",
    )


def listed_by(path: Path, by_status: Mapping[str, Sequence[str]]) -> str:
    """Where the runs left out are listed, in brackets: the command for each status they
    have, to paste as it is (``(`scalinglab runs --store s.duckdb --status failed` lists
    it)``), one per status where they have several."""
    store = shlex.quote(str(path))
    commands = [f"`scalinglab runs --store {store} --status {s}`" for s in by_status]
    one = sum(len(names) for names in by_status.values()) == 1
    lists = "lists" if len(commands) == 1 else "list"
    return f"({' and '.join(commands)} {lists} {'it' if one else 'them'})"
