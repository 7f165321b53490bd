"""Readers: CSV, TSV, Parquet, JSON Lines, JSON and pandas DataFrames into a run table.

Each reader only splits its source into named columns of cells and records the row a user
would see each record at (the line of a CSV or JSONL file); :mod:`._schema` does the rest.
Text formats are read with the standard library rather than pandas so that every row keeps
its true line number, blank lines and quoted multi-line cells included (and pandas is only
imported for DataFrames and Parquet). CSV and TSV may be gzipped (``runs.csv.gz``), and lines
whose first cell starts with ``#`` are comments.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from scalinglab._checks import check_columns
from scalinglab._errors import ConfigError
from scalinglab._keywords import keywords_checked
from scalinglab.data._best_per_cell import best_per_cell as best_of
from scalinglab.data._column_map import check_map
from scalinglab.data._compare import where_column
from scalinglab.data._files import FORMATS, check_file, file_format
from scalinglab.data._frame_cells import frame_cells
from scalinglab.data._outliers import screen
from scalinglab.data._plain_runs import PlainRuns
from scalinglab.data._schema import LOSS_OPTION, Y_OPTION, RawTable, build_table
from scalinglab.data._source_cells import is_frame, read_file, read_source
from scalinglab.data._table import RunTable
from scalinglab.data._units_row import refuse_units_row
from scalinglab.data._xy import symbol_columns, xy_columns

if TYPE_CHECKING:
    import pandas as pd

_read_file = read_file  # its name here before it moved: callers import it so

__all__ = [
    "FORMATS", "PlainRuns", "RunsLike", "check_file", "file_format", "frame_table", "is_frame", "read_for", "read_runs",
    "to_table",
    "xy_columns",
]  # fmt: skip


def _check_columns(columns: object) -> None:
    """Refuse ``columns`` that are no mapping of names, or would lose a column read
    (:func:`~scalinglab.data._column_map.check_map`, as ``--map`` is checked)."""
    if columns is not None:
        check_map(check_columns(columns))


@keywords_checked("scalinglab.read_runs")
def read_runs(
    source: str | os.PathLike[str] | pd.DataFrame | PlainRuns,
    *,
    columns: Mapping[str, str] | None = None,
    run_column: str | None = None,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    drop_outliers: bool = False,
    best_per_cell: bool = False,
) -> RunTable:
    """Read final metrics of training runs into a validated :class:`RunTable`.

    Errors, notes, the report and :attr:`RunTable.rows` name a row as the user finds it: in a
    file, its line (the header is line 1); in a DataFrame, its index label (``row 'r3'``, a
    string or date quoted; ``row df.loc[7]``, any other label), or its position under the
    default ``RangeIndex`` (``row df.iloc[3]``). :mod:`scalinglab.data._frame_rows`.

    Args:
        source: A ``.csv``, ``.tsv``, ``.parquet``/``.pq``, ``.jsonl``/``.ndjson`` or
            ``.json`` file, a pandas DataFrame, a dict of equal-length columns
            (``{"params": [...], "loss": [...]}``) or a list of dicts with the same keys,
            one per run (:mod:`~scalinglab.data._plain_runs`).
        columns: Target name -> source column, e.g. ``{"loss": "val_loss"}``; without it the
            usual aliases (``N``, ``n_params``, ``Model Size``, ``compute``, ...) are
            recognised, and every rename is recorded in ``notes``.
        run_column: Column holding the run ids; by default the first of ``run``, ``name``,
            ``run_name``, ``exp_name``, ``run_id`` or ``id``, else runs are named ``row<k>``
            after their row.
        x: Law symbol -> column, as :func:`scalinglab.fit` takes it (``{"N": "model_size"}``
            or ``"N=model_size"``): the column named for ``N`` (``D``, ``C``) is read as
            ``params`` (``tokens``, ``flops``).
        y: The column holding the loss, as :func:`scalinglab.fit` takes it (``"val_loss"``
            or ``"loss=val_loss"``); ``columns={"loss": ...}`` says the same.
        drop_outliers: Drop runs that look diverged (see :func:`find_outliers`) and record
            them in ``excluded``; without it a NaN loss is an error and a merely high loss
            is kept with a note.
        best_per_cell: Keep only the run of lowest finite loss of each cell of equal
            ``params`` and ``tokens`` (and training data), as a loss law is fitted to an
            lr × batch sweep (``--best-per-cell``; :mod:`scalinglab.data._best_per_cell`),
            before the runs are screened for divergence; a note says how many were kept.

    Returns:
        The runs, with ``flops = 6·N·D`` or ``tokens = C/(6N)`` derived when absent.

    Raises:
        DataError: For any problem with the source, naming file, row and column and what to
            do: a file missing or unreadable, no loss column (or no column ``columns``
            names), a value no fit can use (a size that is not positive; a NaN loss
            without ``drop_outliers``).
        ConfigError: A source of no kind it reads (an ``int``), or an option of the wrong
            type (``columns=5``) or an unknown keyword.

    Examples:
        >>> import scalinglab
        >>> runs = scalinglab.read_runs(
        ...     {"params": [1e8, 4e8], "tokens": [2e9, 8e9], "loss": [3.1, 2.8]}
        ... )
        >>> len(runs), [float(c) for c in runs["flops"]]  # flops = 6·N·D, derived
        (2, [1.2e+18, 1.92e+19])
    """
    given: object = source  # a RunTable given against its type, too
    if isinstance(given, RunTable):  # to_table passes one through; here it is no source
        read_source(given)
    return to_table(
        source,
        x=x,
        y=y,
        columns=columns,
        run_column=run_column,
        drop_outliers=drop_outliers,
        best_per_cell=best_per_cell,
        loss_option=Y_OPTION,
    )


def frame_table(
    frame: pd.DataFrame,
    *,
    source: str,
    rows: Sequence[int] | None = None,
    columns: Mapping[str, str] | None = None,
    run_column: str | None = None,
    loss_option: str = LOSS_OPTION,
) -> RunTable:
    """The runs of ``frame`` as :func:`read_runs` reads a DataFrame, before its outlier
    screen (:func:`~scalinglab.data._outliers.screen`, the caller's): for a frame another
    reader made from the file ``source``, whose records lie at ``rows`` there (a CSV's
    lines), so that errors point into that file. ``loss_option`` is
    :func:`~scalinglab.data._schema.build_table`'s."""
    raw = frame_cells(frame, source)
    if rows is not None:
        raw = RawTable(raw.source, raw.names, raw.cells, tuple(rows))
    return build_table(raw, columns=columns, run_column=run_column, loss_option=loss_option)


#: What :func:`read_runs` accepts, or a :class:`RunTable`: the ``runs`` of the validation API.
RunsLike = Any


def read_for(
    call: str,
    runs: RunsLike,
    *,
    x: Mapping[str, str] | None,
    y: str,
    drop_outliers: bool,
    where: Sequence[tuple[str, str]] = (),
    best_per_cell: bool = False,
) -> RunTable:
    """:func:`to_table` for ``call``, which takes ``drop_outliers`` and ``best_per_cell``
    for the runs it reads, and ``where`` for them or a :class:`RunTable`'s; a missing loss
    column's hint names ``call``'s own ``y=``.

    Raises:
        ConfigError: For ``drop_outliers`` or ``best_per_cell`` with a :class:`RunTable`,
            screened when read (against every run of a sweep's cells, the poor ones too).
    """
    asked = next((o for o, v in (("drop_outliers", drop_outliers),
                                 ("best_per_cell", best_per_cell)) if v), None)  # fmt: skip
    if asked and isinstance(runs, RunTable):
        does = "drops runs" if asked == "drop_outliers" else "keeps the best run of each cell"
        raise ConfigError(
            f"{call}({asked}=True) {does} as it reads a file or DataFrame, and these runs "
            "are a RunTable, read already",
            hint=f"{'drop them' if asked == 'drop_outliers' else 'do it'} as you read them: "
            f"{_reread(runs.source, asked)}",
        )
    return to_table(runs, x=x, y=y, drop_outliers=drop_outliers, where=where,
                    best_per_cell=best_per_cell, loss_option=Y_OPTION)  # fmt: skip


def _reread(source: str, option: str) -> str:
    """The call that reads ``source`` again with ``option``: a run store's
    (``RunStore(...).to_run_table``, since ``read_runs`` refuses a store) or a table file's."""
    from scalinglab._looks import is_store_source

    if is_store_source(source):
        return f"scalinglab.RunStore({source!r}).to_run_table({option}=True)"
    return f"read_runs(path, {option}=True)"


def to_table(
    runs: RunsLike,
    *,
    x: Mapping[str, str] | None = None,
    y: str = "loss",
    columns: Mapping[str, str] | None = None,
    run_column: str | None = None,
    drop_outliers: bool = False,
    where: Sequence[tuple[str, str]] = (),
    loss_option: str = LOSS_OPTION,
    reads: Sequence[str] = (),
    best_per_cell: bool = False,
    unusable_hint: str = "",
) -> RunTable:
    """A :class:`RunTable` as it is, anything else through :func:`read_runs`, reading the
    columns a law's fit names. ``where`` (``(column, value)`` pairs, ``--where``) keeps the runs with those values
    before the runs are screened for divergence, so a run is judged against the runs kept
    (of a :class:`RunTable`, screened when read, the runs it keeps). ``y`` (the loss column) is read as the loss, so its runs are the ones screened for
    divergence. ``x`` (law symbol -> column) names the law's variables: the column it names
    for ``N`` (``D``, ``C``) is read as the table's params (tokens, flops), as ``columns``
    (``--map``) would read it (:func:`symbol_columns`). ``columns``, ``run_column`` and
    ``drop_outliers`` are :func:`read_runs`'s. The table finds a column by its source name as well
    (``table["nonemb"]`` is params when read so), so callers keep using the names they were
    given. ``loss_option`` and ``reads`` (with ``x``'s and ``where``'s) are ``build_table``'s.
    ``best_per_cell`` keeps the best run of each cell of the runs ``where`` kept, before
    they are screened (:func:`~scalinglab.data._best_per_cell.best_per_cell`);
    ``unusable_hint`` is :func:`screen`'s, for a command without ``--drop-outliers``.
    """
    if isinstance(runs, RunTable):
        kept: RunTable = runs
        for column, value in where:
            kept = kept.where(column, value)
        return kept
    x, y = xy_columns(x, y)
    _check_columns(columns)
    columns = dict(columns or {})
    if y != "loss" and columns.get("loss", y) != y:
        raise ConfigError(
            f"y={y!r} and columns={{'loss': {columns['loss']!r}}} name two loss columns",
            hint="name the loss column once, with y=",
        )
    if y != "loss":
        columns["loss"] = y
    raw = read_source(runs)
    refuse_units_row(raw)  # ,M,B,nats under the header: said so, not 'M' is no number
    columns.update(symbol_columns(raw, x or {}, columns))
    # a law of mapped columns (--x U=width) needs no size column; one that does says so
    table = build_table(
        raw,
        columns=columns or None,
        run_column=run_column,
        size=not x,
        loss_option=loss_option,
        skip_no_loss=True,  # a blank loss cell: no run to fit, said in a note
        reads=(*(x or {}).values(), *(where_column(c, v) for c, v in where), *reads),
    )
    for column, value in where:
        table = table.where(column, value)
    kept = best_of(table) if best_per_cell else table
    return screen(kept, drop=drop_outliers, unusable_hint=unusable_hint)
