"""The runs of an evaluation table: joined to a run table by the run column ``fit`` reads,
their loss found by ``fit``'s rule, their unusable and diverged models screened as ``fit``
screens runs (``--drop-outliers``), with a note for each model left out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from scalinglab._checks import check_columns
from scalinglab._errors import ConfigError, DataError, did_you_mean
from scalinglab._format import format_counted, join_more
from scalinglab.data import RunTable
from scalinglab.data._column_names import (
    LONG_SCORES,
    column_key,
)
from scalinglab.data._missing_column import missing_column
from scalinglab.data._outliers import detect, screen
from scalinglab.data._readers import frame_table
from scalinglab.data._schema import ALIASES, RUN_COLUMNS

__all__ = [
    "JOIN",
    "default_loss",
    "frame_runs",
    "long_names",
    "loss_mapping",
    "no_loss",
    "removed_by_where",
    "run_key",
]


def run_key(columns: Mapping[str, str] | None) -> str | None:
    """The column ``columns`` (``--map``) names as the run ids, if any."""
    return next((v for k, v in (columns or {}).items() if column_key(k) in RUN_COLUMNS), None)


def no_loss(frame: pd.DataFrame, via: str, source: str, hint: str = "") -> DataError:
    """The refusal of ``--via COLUMN`` that names no column: the loss columns there are,
    and the one a typo meant (``loss_c4_vall``: ``loss_c4_val``)."""
    # every loss-like column: val_loss, the default --via picks, as well as loss_<set>
    losses = [str(c) for c in frame.columns if "loss" in column_key(str(c))]
    return DataError(
        f"no loss column {via!r}; the loss columns are {', '.join(losses) or 'none'}"
        + did_you_mean(via, losses),
        source=source,
        hint=hint or "choose one with --via COLUMN (read_evals(..., loss=COLUMN))",
    )


def default_loss(
    frame: pd.DataFrame, name: str, hint: str = "", *, shown: Sequence[str] | None = None
) -> str:
    """The loss a chain goes through by default: the column ``fit`` reads as the loss
    (``loss``, else its one alias there: ``val_loss``, ``eval_loss``, ...), else the first
    ``loss_<set>`` column; ``hint`` (when given) says where the losses are, and ``shown``
    the columns to list where there is none (a long file's own, not those it pivots to)."""
    # a name written twice counts once: frame_runs refuses the repeat as a run table does
    names = list(dict.fromkeys(str(c) for c in frame.columns))
    found = [c for c in names if column_key(c) == "loss"] or [
        c for c in names if column_key(c) in ALIASES["loss"]
    ]
    if len(found) > 1:
        raise DataError(
            "columns " + ", ".join(map(repr, found)) + " could each be the loss; which one is it?",
            source=name,
            hint="choose one with --via COLUMN (read_evals(..., loss=COLUMN))",
        )
    found = found or [c for c in names if c.startswith("loss_")]
    if not found:
        raise DataError(
            f"no loss column (loss, {', '.join(ALIASES['loss'])} or loss_<set>); the columns "
            "are " + ", ".join(map(repr, names if shown is None else shown)),
            source=name,
            hint=hint
            or "add the runs' validation loss, or choose one with --via COLUMN "
            "(read_evals(..., loss=COLUMN))",
        )
    return found[0]


def frame_runs(
    frame: pd.DataFrame,
    *,
    source: str,
    via: str,
    rows: tuple[int, ...] | None,
    columns: Mapping[str, str] | None = None,
    where: Sequence[tuple[str, str]] = (),
    drop_outliers: bool = False,
    name_rows: Callable[[RunTable, str], RunTable] | None = None,
) -> tuple[RunTable, list[str]]:
    """The runs of an evaluation table, their loss read from ``via``, and the run table's
    notes: what its reader said (a FLOPs column that is not 6·N·D, a loss column mapped)
    and the models left out.

    A bad value is named as ``scalinglab fit`` names it (the file, its row there, the run by
    its name, or its ``model`` column where the table has no run column). ``where`` keeps
    the runs with those text values first; then a model without a usable loss (NaN,
    missing) is left out with a note, and the rest are screened for divergence as ``fit``
    screens them: kept with a warning, or left out with ``drop_outliers``. ``name_rows``: the
    runs named anew, by their table and ``via``, before anything is said of their losses
    (a run table's rows: :meth:`~scalinglab.downstream._joined.Joined.named`).
    """
    keys = {str(c).strip().lower(): str(c) for c in frame.columns}
    named = any(k in keys for k in RUN_COLUMNS) or run_key(columns) is not None
    mapping = dict(columns or {})
    if via != "loss":
        mapping["loss"] = via
    table = frame_table(
        frame,
        source=source,
        rows=rows,
        columns=mapping or None,
        run_column=None if named else keys.get("model"),  # evaluation tables name models
        loss_option="--via COLUMN",
    )
    table = table if name_rows is None else name_rows(table, via)
    for need in ("params", "tokens"):  # the chain's scales: refused here, not once fitted
        taken = column_key(via) in (need, *ALIASES[need])  # --via params: the chain refuses
        if not taken and not table.has(need):
            raise missing_column(table, need)
    for column, value in where:  # as fit --where: a run is judged against the runs kept
        table = table.where(column, value)
    bad = [o for o in detect(table) if o.invalid]
    if len(bad) == len(table):
        raise DataError(
            f"no model has a usable {via}: " + "; ".join(o.reason for o in bad[:3]),
            source=source,
            column=via,
            hint="give the models their loss, or choose another loss column with --via COLUMN",
        )
    if bad:
        keep = np.ones(len(table), dtype=np.bool_)
        keep[[o.index for o in bad]] = False
        left = join_more([f"{o.run!r} (row {o.row}): {o.reason}" for o in bad], sep="; ")
        table = replace(
            table.select(keep),
            excluded=table.excluded + tuple((o.run, o.reason) for o in bad),
            selected_from=table.selected_from,  # counted as excluded, as screen counts them
            notes=(
                *table.notes,
                f"{format_counted(len(bad), 'model')} left out, without a usable {via}: {left}",
            ),
        )
    table = screen(table, drop=drop_outliers, readers="read_evals()")
    return table, list(table.notes)  # the reader's too: a chain's notes say them


def removed_by_where(labels: Sequence[str] | None, table: RunTable) -> set[str]:
    """The models of ``labels`` (the names read) that ``--where`` removed from ``table``:
    neither kept nor left out for another reason (:attr:`RunTable.excluded`)."""
    excluded = {str(run) for run, _ in table.excluded}
    return set(labels or ()) - set(table.runs) - excluded


def long_names(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """A long table with its run column ``key`` (``name``, or the column ``--map run=``
    names) as ``run`` and its score columns as :data:`LONG` spells them (``Task``: task)."""
    names = {str(c): str(c) for c in frame.columns}
    names.update({c: column_key(c) for c in names if column_key(c) in LONG_SCORES})
    names[key] = "run"
    clash = [c for c in names if c != key and names[c] == "run"]  # a run column besides
    return frame.drop(columns=clash).rename(columns=names)


def loss_mapping(columns: Mapping[str, str] | None, loss: str | None) -> dict[str, str]:
    """``columns`` (``--map``) with the loss ``loss`` (``--via``) names, checked."""
    mapping = dict(check_columns(columns, example="{'tokens': 'D'}"))
    if loss is not None and mapping.get("loss", loss) != loss:
        raise ConfigError(
            f"two losses named: --via {loss} and --map loss={mapping['loss']}",
            hint="name the loss the chain goes through once, with --via (loss= in Python)",
        )
    if loss is not None:
        mapping["loss"] = loss
    return mapping


#: Where the losses and sizes of long evaluations are: a run table joined to them.
JOIN = (
    "long evaluations (run, task, metric, value) hold scores only: give the run table with "
    "their losses, params and tokens, --runs runs.csv (read_evals(..., runs=...)), joined on "
    "the run names"
)
