"""The input of ``hparams fit``, ``hparams backtest`` and ``loss2loss fit``: a table file or
the runs of a run store (``--store``), exactly one of them, the store read as ``fit --store``
reads it (:meth:`~scalinglab.store.RunStore.to_run_table`: numeric ``extra`` values, a sweep
table's ``lr`` and ``bs`` or a tracker's lr and batch, become columns; ``--where`` selects
the stored runs ``scalinglab runs --where`` lists); a sweep's with its diverged runs, and a
ladder rung's lr and batch read from its config (``sweep=True``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError

if TYPE_CHECKING:  # the data package loads NumPy: `--help` stays light
    from scalinglab.data import RunTable

__all__ = ["check_store_losses", "not_both", "one_input", "store_runs", "sweep_columns"]

#: What ``--map NAME=COLUMN`` names on a store: the column read as NAME, as each option does.
_STORE_MAP = {"lr": "--lr", "batch": "--batch", "loss": "--y"}


def _example(argument: str, command: str) -> str:
    return f"scalinglab {command} {argument.lower()}.csv ... or scalinglab {command} --store runs.duckdb"


def not_both(given: Path | None, store: Path | None, *, argument: str, command: str) -> None:
    """Refuse both a file ``argument`` (``SWEEP``, ``RUNS``) and ``--store`` (``fit``, whose
    runs default to the bundled ones, takes neither); a file or store given that is not there
    is said first, as its reader says it, as ``envelope`` does (``fit nonexist.csv --store
    nostore.duckdb`` names the missing file rather than saying to give one of them).

    Raises:
        DataError: A file ``argument`` that is not there.
        StoreError: A ``--store`` that is not there.
        ConfigError: Saying to give one of them.
    """
    if given is not None and not given.exists():
        from scalinglab.data._files import not_found

        raise not_found(str(given))
    if store is not None and not store.exists():
        from scalinglab.store._schema import missing_store

        raise missing_store(store)
    if given is not None and store is not None:
        raise ConfigError(f"give {argument} or --store, not both", hint=_example(argument, command))


def one_input(given: Path | None, store: Path | None, *, argument: str, command: str) -> None:
    """Refuse both a file ``argument`` (``SWEEP``, ``RUNS``) and ``--store``, or neither.

    Raises:
        ConfigError: Saying to give one of them, as ``fit`` and ``downstream fit`` say it.
    """
    not_both(given, store, argument=argument, command=command)
    if given is None and store is None:
        raise ConfigError(
            f"give {argument} or --store, one of them", hint=_example(argument, command)
        )


def store_runs(store: Path, *, where: Sequence[tuple[str, str]], sweep: bool = False) -> RunTable:
    """The finished runs of ``store`` as ``fit --store`` reads them, ``where`` selecting the
    stored runs before the table is built; a ``sweep`` (``hparams``) reads its diverged
    runs too, and a ladder rung's lr and batch from its config, as
    ``to_run_table(sweep=True)`` does."""
    from scalinglab.store import RunStore

    return RunStore(store).to_run_table(where=where, sweep=sweep)


def sweep_columns(
    columns: Mapping[str, str],
    *,
    store: Path,
    lr: str | None,
    batch: str | None,
    y: str,
) -> tuple[str | None, str | None, str]:
    """``--lr``, ``--batch`` and ``--y`` with ``--map``'s ``lr=``, ``batch=`` and ``loss=``
    read as them: of a store, ``--map`` names the column read as each, as on a file (a
    store has no file columns to rename; its params, tokens, flops and run are its own).

    Raises:
        ConfigError: ``--map`` of another name, or naming a column its option names otherwise.
    """
    chosen = {"lr": lr, "batch": batch, "loss": y if y != "loss" else None}
    for name, column in columns.items():
        option = _STORE_MAP.get(name)
        if option is None:
            raise ConfigError(
                f"--map {name}={column}: the runs of the store {store} carry their own "
                f"{name}; --map there names the lr, batch or loss column",
                hint="drop it (the store's columns: scalinglab runs --store "
                f"{store} --json), or --map lr=COLUMN, batch=COLUMN, loss=COLUMN",
            )
        if chosen[name] not in (None, column):
            raise ConfigError(
                f"--map {name}={column} and {option} {chosen[name]} name two columns as {name}",
                hint=f"give one of them: {option} {column}",
            )
        chosen[name] = column
    return chosen["lr"], chosen["batch"], chosen["loss"] or "loss"


def check_store_losses(table: RunTable, *, x: str, y: str) -> None:
    """Refuse ``--x`` or ``--y`` naming a loss the store's runs do not hold, naming the
    store and the losses it holds: ``loss``, the loss each run was stored with (a table's
    ``--map loss=COLUMN`` at ingest: that column's name is not kept), and the loss columns
    of the runs' extra (a table's other ``loss_*`` columns).

    Raises:
        ConfigError: Naming the store, the option, and the loss columns there are.
    """
    from scalinglab.data._plain_numbers import is_loss_name

    losses = [c for c in table.columns if c == "loss" or is_loss_name(c)]
    for option, name in (("--x", x), ("--y", y)):
        if table.column_for(name) is None:
            others = ", ".join(c for c in losses if c != "loss")
            raise ConfigError(
                f"{option} {name!r}: the runs of the store {table.source} hold no such loss; "
                f"they hold 'loss' (the loss each run was stored with)"
                + (f" and {others}" if others else ", and no other"),
                hint=f"choose {option} among them; a loss column of an ingested table is kept "
                "as 'loss' when ingest --map loss=COLUMN read it, else under its own name",
            )
