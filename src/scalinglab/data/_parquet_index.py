"""A DataFrame's index saved in a Parquet file, read back as columns.

``DataFrame.to_parquet`` (pyarrow) stores the frame's index as columns of the file, named
as the index levels are (``df.set_index("run")``: a column ``run``) or
``__index_level_<k>__`` for an unnamed level, and records them in the file's pandas
metadata, so that pandas reads them back into the index, where no reader of columns sees
them. Every reader of Parquet here reads them as columns instead, named as
``DataFrame.reset_index`` names them: a level's own name, ``index`` for an unnamed index of
one level, ``level_<k>`` for a MultiIndex's unnamed level ``k``; so a saved ``run`` index is
the run column as a ``run`` column would be. A ``RangeIndex`` (a frame's default index)
is saved as metadata only, holds no values, and is no column.

A DataFrame given to a reader is read so too (:func:`named_index_columns`), its index
levels by the same names, except that only a *named* level is a column: a frame's unnamed
index is its row numbers (a filtered frame's, ``df[df.loss < 3]``, are no ``RangeIndex``
but hold no data either), which ``to_parquet`` saves, and a frame in memory does not.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["arrow_index_columns", "index_as_columns", "index_fields", "named_index_columns"]


def index_as_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (as pandas reads a Parquet file) with the index the file saved as its
    leading columns; a ``RangeIndex``, saved as metadata only, dropped as it was.

    A level named as a column already is kept beside it (two columns of one name, which a
    reader refuses where it reads that name, as it refuses a file's repeated column).
    """
    import pandas as pd

    if isinstance(frame.index, pd.RangeIndex):
        return frame
    return frame.reset_index(allow_duplicates=True)


def index_fields(schema: Any) -> dict[str, str]:
    """For the Arrow ``schema`` of a Parquet file, each field holding a saved index level
    -> the column :func:`index_as_columns` reads it as (``__index_level_0__`` ->
    ``index``; a named level keeps its name); empty for a file without a saved index."""
    saved = [
        c for c in (schema.pandas_metadata or {}).get("index_columns", []) if isinstance(c, str)
    ]
    if not saved:
        return {}
    names = index_as_columns(schema.empty_table().to_pandas()).columns
    return {field: str(name) for field, name in zip(saved, names, strict=False)}


def arrow_index_columns(table: Any) -> Any:
    """The Arrow ``table`` of a Parquet file with its saved index fields named as
    :func:`index_fields` names them, and without the pandas metadata that would turn them
    back into an index (``table.to_pandas()`` then keeps them as columns)."""
    fields = index_fields(table.schema)
    if not fields:
        return table
    renamed = table.rename_columns([fields.get(n, n) for n in table.column_names])
    return renamed.replace_schema_metadata(None)


def named_index_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (a DataFrame given to a reader) with each named level of its index as a
    leading column, as :func:`index_as_columns` reads a Parquet file's (``df.set_index("run")``:
    the run column); a ``RangeIndex`` and each unnamed level are no column.

    A level named as a column that holds the same values (``set_index("run", drop=False)``)
    is that column, read once; one holding other values is kept beside it (two columns of
    one name, refused where a reader reads that name, as a file's repeated column is).
    """
    import pandas as pd

    if isinstance(frame.index, pd.RangeIndex):
        return frame
    levels = [
        k for k, name in enumerate(frame.index.names) if name is not None and not _copied(frame, k)
    ]
    if not levels:
        return frame.reset_index(drop=True)
    return frame.reset_index(level=levels, allow_duplicates=True).reset_index(drop=True)


def _copied(frame: pd.DataFrame, level: int) -> bool:
    """Whether index level ``level`` of ``frame`` is a copy of the one column of its name."""
    name = frame.index.names[level]
    if sum(column == name for column in frame.columns) != 1:
        return False
    values = frame.index.get_level_values(level).to_series().reset_index(drop=True)
    return bool(frame[name].reset_index(drop=True).equals(values))
