"""Files of logged points (many rows per run: a run column, a step column, metrics), read
with Arrow and matched to the runs of a run table by their id or name. A W&B history export
and the loss curves given with a plain run table both go through here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import DataError, first_line
from scalinglab._format import format_counted
from scalinglab.data._column_names import column_key
from scalinglab.data._parquet_index import arrow_index_columns
from scalinglab.ingest._history_rows import drop_resumed
from scalinglab.ingest._source import RUN, STEP, history_frame

__all__ = ["match_points", "read_points"]

_SHOWN = 5  # run names quoted in a note, at most


def read_points(path: Path, *, what: str, text: Sequence[str] = ()) -> Any:
    """The file at ``path`` (.parquet, .csv, .tsv, .jsonl) as one Arrow table (a Parquet
    file's saved DataFrame index as columns: :mod:`scalinglab.data._parquet_index`).

    Args:
        path: The file.
        what: What it holds, for messages (``"history export"``, ``"loss curves"``).
        text: Names (by :func:`column_key`) of CSV columns read as text whatever they look
            like: run ids such as ``007`` stay ``007``, as the run table keeps them.

    Raises:
        DataError: For a file that is not there, another file type, or a file Arrow cannot
            read.
    """
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    source = str(path)
    if not path.exists():  # before Arrow's bare "[Errno 2]"
        raise DataError(
            f"no such file: the {what} to read with the runs", source=source,
            hint="check the path given with --history (history= in Python), or leave it out "
            "to ingest the runs without their curves",
        )  # fmt: skip
    suffix = path.suffix.lower()
    try:
        if suffix in (".parquet", ".pq"):
            return arrow_index_columns(pq.read_table(path))  # a saved index: columns
        if suffix in (".csv", ".tsv"):
            delimiter = "\t" if suffix == ".tsv" else ","
            with open(path, encoding="utf-8-sig", errors="replace") as file:
                header = [n.strip().strip('"') for n in file.readline().split(delimiter)]
            types = {n: pa.string() for n in header if column_key(n) in text}
            return pcsv.read_csv(
                path,
                parse_options=pcsv.ParseOptions(delimiter=delimiter),
                convert_options=pcsv.ConvertOptions(column_types=types),
            )
        if suffix in (".jsonl", ".ndjson"):
            import pyarrow.json as pjson

            return pjson.read_json(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise DataError(f"cannot read the {what}: {first_line(err)}", source=source) from err
    raise DataError(
        f"unknown {what} file type {suffix!r}", source=source,
        hint=f"give the {what} as .parquet, .csv or .jsonl",
    )  # fmt: skip


def _labels(column: Any) -> Any:
    """The run column dictionary-encoded; integer ids read as the text a run table keeps
    (``7``, as :func:`scalinglab.read_runs` names such a run), a missing id as ``""``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_integer(column.type):
        column = column.cast(pa.string())
    if column.null_count:
        column = pc.fill_null(column.cast(pa.string()), "")
    return column.dictionary_encode().combine_chunks()


def _steps(column: Any, source: str, name: str) -> np.ndarray:
    """The step column as numbers; a missing step, or one that is not a number, refused."""
    import pyarrow as pa

    numeric = pa.types.is_integer(column.type) or pa.types.is_floating(column.type)
    if numeric and not column.null_count:
        steps = np.asarray(column.to_numpy())
    else:  # steps written as text ("100") still read
        steps = pd.to_numeric(column.to_pandas(), errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(steps)
    if bad.any():
        k = int(np.argmax(bad))
        raise DataError(
            f"step {column[k].as_py()!r} (data row {k + 1}) is not a number: each row needs "
            "the step it was logged at",
            source=source, column=name, hint="write a whole number of steps on every row",
        )  # fmt: skip
    return steps


def match_points(
    table: Any,
    *,
    run_col: str,
    step_col: str,
    keys: Sequence[str],
    source: str,
    columns: Mapping[str, str] | None = None,
    names: Sequence[str] | None = None,
) -> tuple[pd.DataFrame | None, list[str]]:
    """The points of ``table`` whose run is one of ``keys``, as one long frame; a run
    resumed from a checkpoint keeps its later rows at the steps it logged again, with the
    curve reader's note (:func:`~scalinglab.ingest._history_rows.drop_resumed`).

    Args:
        table: The Arrow table of points.
        run_col: Its column naming each row's run.
        step_col: Its column of steps.
        keys: Each run's id or name, as ``run_col`` holds them: row ``k`` of the frame
            belongs to the run at ``keys[k]``.
        source: The file, for messages.
        columns: Name in the frame -> column of ``table``; ``None`` for every numeric
            column (but those whose names start with ``_``, a tracker's own).
        names: Each run's name, for the notes (default: ``keys``).

    Returns:
        ``_run`` (index into ``keys``), ``_step`` and metric columns, or ``None`` when no row
        belongs to any run; and a note naming the runs whose rows were skipped.

    Raises:
        DataError: For a step column with a missing or non-numeric step.
    """
    import pyarrow as pa

    named = list(keys if names is None else names)  # (names is reused below)
    labels = _labels(table.column(run_col))
    codes_of_label = pd.Index(keys).get_indexer(labels.dictionary.to_pylist())
    codes = codes_of_label[labels.indices.to_numpy(zero_copy_only=False)]
    notes = []
    unknown = codes < 0
    if unknown.any():
        missing = sorted(
            {labels.dictionary[int(i)].as_py() for i in labels.indices.to_numpy()[unknown]}
        )
        notes.append(
            f"history rows of {format_counted(len(missing), 'run')} not in the run table skipped: "
            f"{', '.join(map(str, missing[:_SHOWN]))}"
        )
    data = {RUN: codes, STEP: _steps(table.column(step_col), source, step_col)}
    if columns is None:
        names = table.column_names
        columns = {n: n for n in names if n not in (run_col, step_col) and not n.startswith("_")}
    for name, column_name in columns.items():
        column = table.column(column_name)
        if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
            data[name] = column.to_numpy().astype(np.float64, copy=False)
    del table, labels
    pa.default_memory_pool().release_unused()  # the Arrow copy is gone: give its pages back
    frame = pd.DataFrame(data, copy=False)  # one block per column: no consolidation copy
    frame = frame[~unknown] if unknown.any() else frame
    frame, again = drop_resumed(frame, named, source=source)
    return history_frame([frame]) if len(frame) else None, [*notes, *again]
