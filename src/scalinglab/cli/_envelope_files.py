"""``scalinglab envelope CURVES``: a file of curves, or a folder of them (a file per run),
read with a bar on a terminal's stderr while the folder's files are read ("reading 300
files"): a sweep's folder takes a while, and nothing else shows that work goes on."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab.cli._render import FitProgress, stderr_console

__all__ = ["check_inputs", "curves_from_files"]


def curves_from_files(
    path: Path,
    *,
    columns: Mapping[str, str] | None,
    runs: Path | None,
    per_step: float | None,
    loss_option: str,
    shown: bool,
) -> Any:
    """The curves of ``path``, as :func:`scalinglab.data.read_curves` reads a file and
    :func:`~scalinglab.validate._curve_folder.read_curve_folder` a folder; the runs file
    (``--runs``) gives each run's params: its run and params columns alone are read.

    Args:
        path: CURVES.
        columns: ``--map`` (and ``--y``) pairs.
        runs: ``--runs``.
        per_step: ``--tokens-per-step``.
        loss_option: The option a missing loss column's hint names.
        shown: Whether a bar may be drawn (not where JSON goes to stdout); it is drawn only
            on a terminal.

    Raises:
        DataError: As the readers do, naming file, row and column.
    """
    from scalinglab.data import read_curves
    from scalinglab.validate._curve_folder import read_curve_folder

    if not path.is_dir():
        return read_curves(path, columns=columns, runs=runs, tokens_per_step=per_step,
                           loss_option=loss_option)  # fmt: skip
    err = stderr_console()
    with FitProgress(err, enabled=shown and err.is_terminal) as bar:
        return read_curve_folder(
            path,
            columns=columns,
            runs=runs,
            tokens_per_step=per_step,
            loss_option=loss_option,
            progress=lambda _, done, total: bar(f"reading {total} files", done, total),
        )


def check_inputs(curves: Path | None, runs: Path | None, store: Path | None) -> None:
    """Refuse envelope's inputs before any is read: first a path given that is not there
    (CURVES, --runs, then --store, each as its reader says it), only then a combination
    (neither CURVES nor --store, both, --runs beside --store), which a missing file named on
    the command line would otherwise hide (``envelope --runs nonexist.csv``).

    Raises:
        DataError: A CURVES or --runs that is not there.
        StoreError: A --store that is not there.
        ConfigError: Neither CURVES nor --store, both, or --runs with --store.
    """
    from scalinglab.data._files import not_found
    from scalinglab.store._schema import missing_store

    for path in (curves, runs):
        if path is not None and not path.exists():
            raise not_found(str(path))
    if store is not None and not store.exists():
        raise missing_store(store)
    if (curves is None) == (store is None):
        raise ConfigError(
            "give exactly one of CURVES or --store STORE",
            hint="e.g. scalinglab envelope curves.csv --runs runs.csv",
        )
    if runs is not None and store is not None:
        raise ConfigError("--runs and --store both give params", hint="give one of them")
