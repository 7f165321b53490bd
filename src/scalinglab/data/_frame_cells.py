"""A pandas DataFrame, or a Parquet file, split into columns of cells (a
:class:`~scalinglab.data._raw.RawTable`) for :mod:`scalinglab.data._readers`.

A cell that holds no value (``None``, ``pd.NA``, ``NaT``, a Parquet null) becomes ``None``,
and a float NaN stays a NaN: a loss with no value is a missing one, which a run table skips
with a note (:mod:`scalinglab.data._no_loss`); a NaN loss is a run that diverged.

Arrow keeps a Parquet column's nulls in a validity mask apart from its values, and pandas
reads a float column's null as NaN, so a Parquet file's nulls are taken from Arrow's mask.
pandas' ``DataFrame.to_parquet`` (pyarrow) writes a float NaN as a null (it converts
with ``from_pandas=True``), so a frame's NaN loss saved that way is read back as missing;
``pyarrow.parquet.write_table`` of an array built with ``from_pandas=False`` keeps it a NaN.
A frame's index that ``to_parquet`` saved in the file is read as columns, and so is a
named index of a DataFrame given (:mod:`scalinglab.data._parquet_index`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import DataError, first_line
from scalinglab.data._frame_rows import frame_rows
from scalinglab.data._parquet_index import index_as_columns, index_fields, named_index_columns
from scalinglab.data._raw import RawTable

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["frame_cells", "read_parquet"]


def _cell(value: Any) -> object:
    """A frame's cell as a plain value: a list or map (a Parquet ``list<string>`` of tags)
    becomes its text, so such a column is a label like any other text column."""
    if isinstance(value, list | tuple | dict | np.ndarray):
        return str(list(value) if isinstance(value, np.ndarray) else value)
    import pandas as pd  # loaded already: only frames have cells

    if isinstance(value, float):  # a NaN number stays one: a loss of NaN is a diverged run
        return value
    return None if pd.isna(value) else value  # pd.NA, None, NaT: no value


def frame_cells(
    frame: pd.DataFrame,
    source: str,
    nulls: Mapping[str, NDArray[np.bool_]] | None = None,
    *,
    given: bool = False,
) -> RawTable:
    """The cells of ``frame`` (``source``: as messages name it), its rows numbered from 1.

    Args:
        frame: The table.
        source: The file or ``"<DataFrame>"``.
        nulls: A Parquet file's nulls: for a column name, the rows that hold no value,
            whatever pandas made of them (a float column's null is NaN there).
        given: Whether ``frame`` is the user's own: its rows are then named by its index
            (:mod:`scalinglab.data._frame_rows`), not by a count from 1 that no reader of
            the user's frame can see (a Parquet file's, or a frame a reader made).
    """
    import pandas as pd

    rows = frame_rows(frame) if given else tuple(range(1, len(frame) + 1))
    frame = named_index_columns(frame)  # set_index("run"): the run ids, a column again
    names = tuple(str(c) for c in frame.columns)
    cells: dict[str, Sequence[object] | NDArray[np.generic]] = {}
    for j, name in enumerate(names):
        column = frame.iloc[:, j]
        masked = isinstance(column.dtype, pd.api.extensions.ExtensionDtype)
        if nulls and name in nulls:  # a null is no value; a NaN stays a number
            values = column.astype(object).tolist()
            cells[name] = [
                None if n else _cell(v) for v, n in zip(values, nulls[name], strict=True)
            ]
        elif masked and column.isna().any():  # a nullable column (Float64): its NA is no value
            cells[name] = [_cell(v) for v in column.astype(object).tolist()]
        elif pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            cells[name] = column.to_numpy(dtype=np.float64, na_value=np.nan)
        else:  # pandas' own missing markers (pd.NA, NaT) become None
            cells[name] = [_cell(v) for v in column.astype(object).tolist()]
    return RawTable(source, names, cells, rows)


def read_parquet(path: Path, source: str) -> RawTable:
    """The cells of the Parquet file at ``path`` (``source``: as messages name it), each
    null ``None`` (from Arrow's validity mask) and each NaN a NaN.

    Raises:
        DataError: For a file pyarrow cannot read, or one without rows.
    """
    import pyarrow.parquet as pq  # imported here: only Parquet users pay for it

    try:
        table = pq.ParquetFile(path).read()  # (read_table's dataset API refuses repeated names)
        frame = index_as_columns(table.to_pandas())  # a saved index (run ids): columns
    except Exception as err:  # pyarrow raises several unrelated types for a bad file
        first = first_line(err)
        raise DataError(
            f"cannot read as Parquet: {first}",
            source=source,
            hint="check that the file is a complete Parquet file, or export the runs as CSV",
        ) from err
    if len(frame) == 0:
        raise DataError("no runs: the Parquet file has no rows", source=source)
    # by name, a saved index level's as the frame names it (__index_level_0__: index); a
    # name the file, or the frame read back, repeats is left as pandas reads it
    fields = index_fields(table.schema)
    names = [fields.get(n, n) for n in table.column_names]
    read = [str(c) for c in frame.columns]
    nulls = {
        name: column.is_null().to_numpy(zero_copy_only=False)
        for name, column in zip(names, table.columns, strict=True)
        if column.null_count and names.count(name) == 1 and read.count(name) == 1
    }
    return frame_cells(frame, source, nulls)
