"""What :func:`scalinglab.ingest` is given, checked by type before the store is opened or
the source read: ``ingest(5)`` was Python's ``TypeError`` from :class:`Path`,
``mapping=[...]`` ``'list' object has no attribute 'get'``, and ``progress=5`` was taken
without a word (and failed, if at all, once the reading was under way)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scalinglab._checks import check_columns, given
from scalinglab._errors import ConfigError
from scalinglab._paths import as_path

__all__ = ["ingest_paths"]


def ingest_paths(
    source: object, store: object, *, mapping: Mapping[str, str] | None, progress: object
) -> tuple[Path, Path]:
    """The source and the store as paths, once ``mapping`` is a mapping of quantity ->
    the source's name for it (or ``None``) and ``progress`` a callable (or ``None``).

    Raises:
        ConfigError: Naming the first argument of the wrong type and what to pass.
    """
    where = as_path(source, option="source", example="'wandb_export.csv' or 'mlruns'")
    store_path = as_path(store, option="store", example="'runs.duckdb'")
    check_columns(mapping, name="mapping", example="{'params': 'model/n_params'}")
    if progress is not None and not callable(progress):
        raise ConfigError(
            f"progress must be a callable progress(done, total), got {given(progress)}",
            hint="pass a function of two counts, e.g. progress=lambda done, total: "
            "print(done, total), or leave it out",
        )
    return where, store_path
