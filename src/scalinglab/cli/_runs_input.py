"""The runs a fitting command works on: a RUNS file, a run store, or bundled runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scalinglab._errors import ConfigError
from scalinglab.cli import _options as opt

if TYPE_CHECKING:  # the data package loads NumPy: `--help` and `--version` stay light
    from scalinglab.data import RunTable

__all__ = ["BestPerCell", "RunsFile", "load_runs", "narrow"]

#: The RUNS argument of the commands that fit a loss law to runs (fit, backtest, report).
RunsFile = Annotated[
    Path | None,
    typer.Argument(
        metavar="RUNS",
        help="Run table (.csv .tsv .parquet .jsonl .json). Without it and without --store: "
        "bundled real runs (--data).",
        show_default=False,
    ),
]

#: ``--best-per-cell`` of the commands that fit a loss law to runs (fit, backtest, report).
BestPerCell = Annotated[
    bool,
    typer.Option(
        "--best-per-cell",
        help="Fit the run of lowest loss of each (N, D) cell: a loss law's runs of an lr × "
        "batch sweep (a note says how many were kept).",
    ),
]


def load_runs(
    runs: Path | None,
    *,
    command: str,
    columns: Mapping[str, str],
    drop_outliers: bool,
    store: Path | None = None,
    data: str | None = None,
    symbols: Mapping[str, str] | None = None,
    where: Sequence[str] | None = None,
    best_per_cell: bool = False,
) -> RunTable:
    """The runs a command works on: a RUNS file, a run store, or bundled runs.

    Without RUNS or a store: the bundled data set ``data`` (``--data``), or the simulated
    ladder for commands without that option.

    ``columns`` (from ``--map`` and ``--y``) rename columns of a RUNS file, so they are refused
    with a store or with no file at all rather than silently ignored. ``symbols`` (``--x``):
    the column ``--x N=COL`` (``D``, ``C``) names is read as the file's params (tokens,
    flops), as ``--map params=COL`` reads it; with a store, ``--x N=params`` or
    ``--x N=params_non_embedding`` chooses which stored count is N (default: the ladder's
    convention, non-embedding, for a store of ladder rungs).
    ``where`` (``--where COLUMN=VALUE``, repeatable): only the runs with those values, each
    condition narrowing the last (:meth:`RunTable.where`), as ``downstream fit --where``; of
    a store, the stored runs ``scalinglab runs --where`` lists (any value of a run's config
    or extra, ``train.lr=0.003``), selected before the run table is built.
    ``best_per_cell`` (``--best-per-cell``): the best run of each cell of the runs kept,
    before they are screened (:mod:`scalinglab.data._best_per_cell`), a store's as its
    reader keeps them (a ladder's lr sweep: the best rung of each shape).
    """
    pairs = opt.where_pairs(where)  # a malformed one is refused before any reading
    return _read(
        runs, command=command, columns=columns, drop_outliers=drop_outliers, store=store,
        data=data, symbols=symbols, where=pairs, best_per_cell=best_per_cell,
    )  # fmt: skip


def _store_params(symbols: Mapping[str, str] | None) -> str | None:
    """The stored count ``--x N=...`` names for a store's N (``None``: the store's default)."""
    from scalinglab.store._reader import PARAMS_COUNTS

    chosen = (symbols or {}).get("N")
    return chosen if chosen in PARAMS_COUNTS else None


def narrow(table: RunTable, where: Sequence[tuple[str, str]]) -> RunTable:
    """The runs of ``table`` that meet every ``(column, value)`` of ``--where``, each
    condition narrowing the last (:meth:`RunTable.where`)."""
    for column, value in where:
        table = table.where(column, value)
    return table


def _read(
    runs: Path | None,
    *,
    command: str,
    columns: Mapping[str, str],
    drop_outliers: bool,
    store: Path | None,
    data: str | None,
    symbols: Mapping[str, str] | None,
    where: Sequence[tuple[str, str]],
    best_per_cell: bool,
) -> RunTable:
    """The runs as read, ``--where`` applied before they are screened for divergence (a
    run is judged against the runs kept, not against another training corpus)."""
    from scalinglab.cli._store_input import not_both
    from scalinglab.data import bundled_runs, simulated_runs
    from scalinglab.data._best_per_cell import best_per_cell as best_of
    from scalinglab.data._readers import to_table

    if data is not None and (runs is not None or store is not None):
        raise ConfigError(
            f"--data {data} chooses bundled runs; it cannot be combined with RUNS or --store",
            hint=f"scalinglab {command} runs.csv, or scalinglab {command} --data {data}",
        )
    if store is not None:
        not_both(runs, store, argument="RUNS", command=command)
        if columns:
            raise ConfigError(
                "--map and --y rename columns of a RUNS file; a store has its own columns",
                hint="drop --map/--y, or export the runs and pass the file as RUNS",
            )
        from scalinglab.store import RunStore

        # --where selects stored runs as `runs --where` lists them (train.lr=0.003, lr=,
        # source=), before the run table is built: one --where means one thing for a store
        return RunStore(store).to_run_table(
            params=_store_params(symbols),
            drop_outliers=drop_outliers,
            where=where,
            best_per_cell=best_per_cell,
        )
    if runs is None:
        if columns:
            raise ConfigError(
                "--map and --y rename columns of a RUNS file, and none was given",
                hint=f"pass a run table: scalinglab {command} runs.csv --y loss=val_loss",
            )
        from scalinglab.data._outliers import screen

        if data is None:
            table = narrow(simulated_runs(), where)
        else:
            table = _narrow_bundled(bundled_runs(data), data, where, command=command)
        return screen(best_of(table) if best_per_cell else table, drop=drop_outliers)
    return to_table(runs, x=symbols, columns=columns, drop_outliers=drop_outliers, where=where,
                    best_per_cell=best_per_cell)  # fmt: skip


def _narrow_bundled(
    table: RunTable, data: str, where: Sequence[tuple[str, str]], *, command: str
) -> RunTable:
    """``--where`` on a bundled set, whose corpus is the set itself: a corpus of another
    bundled set is chosen with ``--data``, and the error says so."""
    from scalinglab.data._bundled import BUNDLED

    try:
        return narrow(table, where)
    except ConfigError as error:
        other = {corpus: name for name, corpus in BUNDLED.items() if corpus}
        for column, value in where:
            if column == "dataset" and value in other and other[value] != data:
                raise ConfigError(
                    f"{data} holds only the models trained on {BUNDLED[data]}; "
                    f"those trained on {value} are another bundled set",
                    hint=f"scalinglab {command} --data {other[value]}",
                ) from error
        raise
