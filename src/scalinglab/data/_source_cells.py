"""The cells of a source of runs before any column is chosen: a file by its format (CSV,
TSV, Parquet, JSON Lines, JSON), a pandas DataFrame, a dict of columns or a list of records."""

from __future__ import annotations

import gzip
import os
import sys
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import with_article
from scalinglab._paths import user_path
from scalinglab.data._files import check_file
from scalinglab.data._frame_cells import frame_cells, read_parquet
from scalinglab.data._not_utf8 import not_utf8
from scalinglab.data._plain_runs import plain_cells
from scalinglab.data._schema import RawTable
from scalinglab.data._text_readers import read_delimited, read_json, read_jsonl

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["is_frame", "read_file", "read_source"]


def is_frame(source: object) -> TypeGuard[pd.DataFrame]:
    """Whether ``source`` is a pandas DataFrame, without importing pandas (a caller that
    has not imported it cannot hold one)."""
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(source, pandas.DataFrame)


def read_file(path: Path, source: str) -> RawTable:
    kind = check_file(path, source)
    try:
        if kind in ("csv", "tsv"):
            return read_delimited(path, source, "," if kind == "csv" else "\t")
        if kind == "jsonl":
            return read_jsonl(path, source)
        if kind == "json":
            return read_json(path, source)
        return read_parquet(path, source)
    except UnicodeDecodeError as err:
        raise not_utf8(err, source) from err
    except (EOFError, zlib.error, gzip.BadGzipFile) as err:  # a .csv.gz cut short or not gzip
        raise DataError(
            f"cannot read the file: a damaged or truncated gzip stream ({err})",
            source=source,
            hint=f"decompress it (`gunzip -k {source}`) to see what is wrong, or pass the plain file",
        ) from err
    except OSError as err:
        raise DataError(f"cannot read the file: {err.strerror or err}", source=source) from err


def read_source(source: object) -> RawTable:
    """The cells of a DataFrame or a file, as read before any column is chosen."""
    if is_frame(source):
        return frame_cells(source, "<DataFrame>", given=True)
    if isinstance(source, str | os.PathLike):
        name = os.fspath(source)
        return read_file(user_path(name), str(name))
    plain = plain_cells(source)  # a dict of columns, a list of records: no pandas needed
    if plain is not None:
        return plain
    # a polars or pyarrow table converts itself
    convert = (
        "convert it first: table.to_pandas()"
        if hasattr(source, "to_pandas")
        else "or a dict of columns ({'params': [...], 'loss': [...]}), or a list of dicts, one per run"
    )
    raise ConfigError(
        f"cannot read runs from {with_article(type(source).__name__)}; pass a path or a "
        "pandas DataFrame",
        hint=convert,
    )
