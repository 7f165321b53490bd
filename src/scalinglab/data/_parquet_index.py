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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["arrow_index_columns", "index_as_columns", "index_fields"]


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
