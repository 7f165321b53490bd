"""The runs a fitting command works on: a RUNS file, a run store, or bundled runs."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError

if TYPE_CHECKING:  # the data package loads NumPy: `--help` and `--version` stay light
    from scalinglab.data import RunTable

__all__ = ["load_runs"]


def load_runs(
    runs: Path | None,
    *,
    command: str,
    columns: Mapping[str, str],
    drop_outliers: bool,
    store: Path | None = None,
    data: str | None = None,
    symbols: Mapping[str, str] | None = None,
) -> RunTable:
    """The runs a command works on: a RUNS file, a run store, or bundled runs.

    Without RUNS or a store: the bundled data set ``data`` (``--data``), or the simulated
    ladder for commands without that option.

    ``columns`` (from ``--map`` and ``--y``) rename columns of a RUNS file, so they are refused
    with a store or with no file at all rather than silently ignored. ``symbols`` (``--x``):
    the column ``--x N=COL`` (``D``, ``C``) names is read as the file's params (tokens,
    flops), as ``--map params=COL`` reads it.
    """
    from scalinglab.data import bundled_runs, simulated_runs
    from scalinglab.data._readers import to_table

    if data is not None and (runs is not None or store is not None):
        raise ConfigError(
            f"--data {data} chooses bundled runs; it cannot be combined with RUNS or --store",
            hint=f"scalinglab {command} runs.csv, or scalinglab {command} --data {data}",
        )
    if store is not None:
        if runs is not None:
            raise ConfigError(
                "give RUNS or --store, not both",
                hint=f"scalinglab {command} runs.csv ... or scalinglab {command} --store runs.duckdb",
            )
        if columns:
            raise ConfigError(
                "--map and --y rename columns of a RUNS file; a store has its own columns",
                hint="drop --map/--y, or export the runs and pass the file as RUNS",
            )
        from scalinglab.store import RunStore

        return RunStore(store).to_run_table(drop_outliers=drop_outliers)
    if runs is None:
        if columns:
            raise ConfigError(
                "--map and --y rename columns of a RUNS file, and none was given",
                hint=f"pass a run table: scalinglab {command} runs.csv --y loss=val_loss",
            )
        return simulated_runs() if data is None else bundled_runs(data)
    return to_table(runs, x=symbols, columns=columns, drop_outliers=drop_outliers)
