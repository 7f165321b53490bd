"""The run table a fit reads from a run store: :meth:`RunStore.to_run_table`'s work, on
the store's runs table as :meth:`RunStore.runs_frame` reads it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted
from scalinglab.data import RunTable
from scalinglab.data._best_per_cell import best_per_cell as best_of
from scalinglab.data._compare import where_options
from scalinglab.data._outliers import screen
from scalinglab.data._plausible import is_size_warning
from scalinglab.data._raw import NO_ROW
from scalinglab.data._readers import frame_table
from scalinglab.store import _copies, _fit_rows
from scalinglab.store._config_diff import pooled_configs_warning
from scalinglab.store._conventions import flops_convention, loss_convention, params_convention
from scalinglab.store._listing import selected_rows
from scalinglab.store._params_count import PARAMS_COUNTS, default_params, params_said
from scalinglab.store._record import check_status
from scalinglab.store._table_columns import config_sweep, covariates, sweep_columns, texts

__all__ = ["stored_table"]


def stored_table(
    path: Path,
    stored: pd.DataFrame,
    *,
    status: str | None,
    params: str | None,
    drop_outliers: bool,
    where: Sequence[tuple[str, str]],
    sweep: bool,
    best_per_cell: bool,
) -> RunTable:
    """:meth:`RunStore.to_run_table` (which documents the options) on ``stored``, the
    store's runs of every status, read from the store at ``path``."""
    if params is not None and params not in PARAMS_COUNTS:
        raise ConfigError(
            f"{path}: N is read from 'params' or 'params_non_embedding', not {params!r}",
            hint="--x N=params (total) or --x N=params_non_embedding",
        )
    check_status(status)
    # one read of the table (every status): the runs of other statuses are named in a
    # note, and in the error of a --where that keeps none of the ``status`` runs
    kept = None if status is None else (status, *(["diverged"] if sweep else []))
    frame = stored if kept is None else stored[stored["status"].isin(kept)]
    frame = frame.reset_index(drop=True)
    said = " or ".join(dict.fromkeys(kept or ()))  # "finished or diverged"
    if frame.empty:  # the runs of other statuses are named, and where to list them
        raise _fit_rows.none_kept_error(stored, path, status=kept or ())
    every = int((_copies.copy_of(frame) < 0).sum())  # the runs a fit reads without --where
    try:
        frame = selected_rows(frame, where, str(path))
    except ConfigError as err:  # runs of other statuses match: say they are left out
        if kept is None:  # every status was read: no other to name
            raise
        other = _fit_rows.other_statuses_error(stored, where, path, status=said)
        raise (other or err) from None
    chosen = default_params(frame) if params is None else params
    _fit_rows.check_counts(frame, chosen, path)
    original = _copies.copy_of(frame)
    counted = original < 0  # a run stored from two sources is one run
    copies = _copies.copy_notes(frame, original)
    names = _copies.labels(frame, original)[counted]
    frame = frame[counted].reset_index(drop=True)
    picked_all = len(frame)  # before runs without a size are left out (a note says so)
    keep, sizeless, no_size = _fit_rows.with_sizes(frame, chosen, path, names)
    frame, names = frame[keep].reset_index(drop=True), names[keep]
    configs = [json.loads(text) if text else {} for text in frame["config"]]
    pooled = pooled_configs_warning(frame["name"].fillna("").astype(str).tolist(), configs)
    table = pd.DataFrame({"run": names})
    for name in ("params", "tokens", "flops", "loss"):
        source = chosen if name == "params" else name
        table[name] = frame[source].astype(np.float64)
    # a run whose source gave no FLOPs counts 6·N·D with the N read (the convention says
    # for how many); the stored flops_6nd where tokens are missing
    six = 6.0 * table["params"] * table["tokens"]
    table["flops"] = table["flops"].fillna(six).fillna(frame["flops_6nd"].astype(np.float64))
    for name, column in covariates(frame).items():
        table[name] = column
    sizes = {name: table[name].tolist() for name in ("params", "tokens")}
    hparams, config_said = sweep_columns(frame) if sweep else config_sweep(frame, sizes)
    for name, values in hparams.items():  # a ladder rung's lr and batch, by its config
        given = pd.Series(values, dtype=np.float64)
        table[name] = table[name].fillna(given) if name in table.columns else given
    for name, labels in texts(frame).items():  # text labels: --where dataset=c4
        if name not in table.columns:
            table[name] = labels
    table = table.dropna(axis=1, how="all")
    # a store's runs are named by id, with no row (NO_ROW): "run 'a'", not "(row 1)"
    rows = [NO_ROW] * len(table)
    read = frame_table(table, source=str(path), rows=rows, run_column="run")
    if chosen != "params":  # named before the best per cell: its note and the warning agree
        read = replace(read, origins={**read.origins, "params": chosen})
    # a sweep's diverged run is data, as a sweep's file is read (hparams judges it)
    runs = read if sweep else screen(best_of(read) if best_per_cell else read, drop=drop_outliers)
    picked = f" of {every}, kept by {where_options(where)}," if picked_all < every else ""
    n_words, words = params_convention(frame, chosen)
    said_n = params_said(chosen, given=params is not None, words=words)
    note = (
        f"read {format_counted(len(read if best_per_cell else runs), (said or 'stored') + ' run')}"
        f"{picked} "
        f"from the store {path} "
        f"({said_n}{_other(chosen, params)})"
    )
    # a ladder's rungs count their own parameters and tokens: a tiny one is no unit slip
    rungs = bool(frame["source"].fillna("").astype(str).str.startswith("ladder:").all())
    more = (*sizeless, *copies, *_fit_rows.where_count_note(where, chosen))
    shown = [n for n in runs.notes if not (rungs and is_size_warning(n))]
    # the runs of other statuses, then those without a size: notes and (run, why) alike
    by_status, unfinished = _fit_rows.left_out(stored, path, status=kept) if kept else ([], ())
    return replace(
        runs,
        source=str(path),
        notes=(note, *([pooled] if pooled else []), *by_status, *config_said, *more, *shown),
        skipped=(*unfinished, *no_size, *runs.skipped),
        skipped_notes=(*by_status, *sizeless, *runs.skipped_notes),
        flops_convention=flops_convention(frame, chosen) or runs.flops_convention,
        params_convention=n_words,
        loss_convention=loss_convention(frame),
        selected_from=every if picked_all < every else 0,
        kept_where=dict(where),
    )


def _other(chosen: str, given: str | None) -> str:
    """The option that fits on the other count, after the reading note's N."""
    if given is not None:
        return ""
    if chosen == "params_non_embedding":
        return "; --x N=params fits on total parameters"
    return "; --x N=params_non_embedding fits on non-embedding parameters where stored"
