"""A run table read for each run's size alone: ``run, params`` and nothing else required.

The envelope (Chinchilla approach 1) reads loss curves whose rows lack the model size; a run
table then says each run's ``params`` (``envelope curves.csv --runs runs.csv``). It needs no
loss, tokens or FLOPs, which :func:`scalinglab.read_runs` would require of a table to fit.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping
from pathlib import Path

from scalinglab._errors import DataError, did_you_mean
from scalinglab._format import format_columns
from scalinglab.data._column_names import column_key, find_column, first_run_column
from scalinglab.data._plain_numbers import read_numbers
from scalinglab.data._raw import run_ids, validate
from scalinglab.data._readers import _read_file
from scalinglab.data._schema import ALIASES, RUN_COLUMNS

__all__ = ["read_run_params"]


def read_run_params(
    source: str | os.PathLike[str],
    *,
    columns: Mapping[str, str] | None = None,
    required: Collection[str] = (),
) -> dict[str, float]:
    """Each run's ``params`` from a run table (``.csv .tsv .parquet .jsonl .json``): a run
    column (``run``, ``name``, ``run_name``, ``exp_name``, ``run_id`` or ``id``) and a params column (or an
    alias: ``n_params``, ``N``, ...); any other column is ignored.

    Args:
        source: The run table.
        columns: ``run`` or ``params`` -> the column holding it (``--map params=n_params``),
            read where this table has that column; else the column is found by name.
        required: Those of ``columns`` this table must have: the curves beside it lack them.

    Returns:
        Run id -> parameter count, in the table's order.

    Raises:
        DataError: Naming the file (and row and column) for a missing column, a repeated run
            id, or a size that is missing, not a number or not positive.
    """
    name = os.fspath(source)
    raw = _read_file(Path(name), name)
    have = format_columns(raw.names)
    wanted = {k: v for k, v in (columns or {}).items() if k in ("run", "params")}
    mapped = {k: find_column(raw.names, v) for k, v in wanted.items()}
    for key in required:
        if mapped.get(key) is None:  # in neither file: the user's column is nowhere
            raise DataError(
                f"no column {wanted[key]!r} to read {key} from, in the curves nor in this "
                f"run table; its columns are {have}{did_you_mean(wanted[key], raw.names)}",
                source=name,
                column=wanted[key],
                hint=f"pass a column of either file: --map {key}=COLUMN",
            )
    run_col = mapped.get("run") or first_run_column(raw.names, RUN_COLUMNS)
    if run_col is None:
        raise DataError(
            f"no run column ({', '.join(RUN_COLUMNS)}) to match the curves' runs by; the "
            f"columns are {have}",
            source=name,
            hint="add a run column holding the run ids the curves use",
        )
    free = [n for n in raw.names if n != run_col]
    exact = [n for n in free if column_key(n) == "params"]
    found = exact or [n for n in free if column_key(n) in ALIASES["params"]]
    chosen = mapped.get("params")
    found = [chosen] if chosen is not None else found
    if len(found) > 1:
        raise DataError(
            f"columns {', '.join(repr(n) for n in found)} could each be params; which is it?",
            source=name,
            hint=f"say which: --map params={found[0]} (or rename it 'params')",
        )
    if not found:
        raise DataError(
            f"no params column (looked for params, {', '.join(ALIASES['params'])}); the "
            f"columns are {have}",
            source=name,
            hint="name the column holding each run's parameter count 'params'",
        )
    params = found[0]
    values, _ = read_numbers(raw, params, quantity="params")  # 70M params, as a run table
    validate("params", params, values, raw)
    return dict(zip(run_ids(raw, run_col), (float(v) for v in values), strict=True))
