"""The checks every reader of a table file makes before it reads a cell: the file exists,
is a file, has an extension a table is read from, and is not empty: run tables and
downstream's tables (evaluations, chance levels, runs) are refused alike."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._formats import gzip_format, kind_use, what_file
from scalinglab._looks import is_duckdb

__all__ = ["FORMATS", "STDIN", "StoreGivenError", "check_file", "file_format", "not_found"]

#: File extensions read, and the format each means.
FORMATS: Mapping[str, str] = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv.gz": "csv",
    ".tsv.gz": "tsv",
}

#: Spreadsheet workbooks, refused with how to export their sheet.
_SPREADSHEETS = (".xlsx", ".xls", ".xlsm", ".ods", ".numbers")


class StoreGivenError(DataError):
    """A run store given where a table file is read. Its hint says how Python reads the
    store's runs; the command line says instead how the command that was run reads one
    (its ``--store``, or what to do where it has none: :mod:`scalinglab.cli._store_given`).

    Attributes:
        path: The store, as given.
    """

    def __init__(self, path: Path, source: str) -> None:
        super().__init__(
            "is a run store (DuckDB), not a table file",
            source=source,
            hint=f"read its runs with scalinglab.RunStore({str(path)!r}).to_run_table() and "
            "pass that table",
        )
        self.path = path


def file_format(path: Path) -> tuple[str, str | None]:
    """The file's extension (``.csv.gz`` counted whole) and the format it means, or
    ``None`` for an extension not read."""
    last = path.suffix.lower()
    suffix = "".join(path.suffixes[-2:]).lower() if last == ".gz" else last
    return suffix, FORMATS.get(suffix)


#: The name a command line gives standard input in place of a file.
STDIN = "-"


def not_found(source: str) -> DataError:
    """The error for a file ``source`` names that is not there, as every reader says it; a
    symbolic link that leads nowhere (its target gone, or links in a loop) is there, so it
    is said to be a link, not a file not found; ``-``, the shell's name for standard input,
    is said to be no file read (``cat runs.csv | scalinglab fit -`` found no file '-')."""
    if source == STDIN:  # tables are read from files, not from a pipe
        return DataError(
            "standard input is not read: the table must be a file",
            source=STDIN,
            hint="write it to a file first (your-command > runs.csv) and pass that path",
        )
    if Path(source).is_symlink():
        return DataError(
            "a symbolic link that leads to no file (its target is missing, or links point "
            "to each other in a loop)",
            source=source,
            hint=f"point the link at what it should lead to (`ls -l {source}` shows where it "
            "leads), or pass that path itself",
        )
    return DataError(
        "file not found",
        source=source,
        hint=f"check the path (relative paths start at {Path.cwd()})",
    )


def check_file(
    path: Path, source: str, *, rows: str = "one row per training run", formats: str = ""
) -> str:
    """The format of the table file ``path`` after the checks every reader of one makes (it
    exists, is a file of a known extension, is not empty), each refused as they refuse it;
    ``rows`` says what an empty file should hold, ``formats`` (when given) which files the
    caller reads.

    Raises:
        DataError: Naming ``source`` and what to do.
    """
    if not path.exists():
        raise not_found(source)
    if path.is_dir():  # (a folder of curves: so said, with the commands that read one)
        from scalinglab.data._folder_kind import folder_error

        raise folder_error(path, source)
    suffix, kind = file_format(path)
    # a run store, read through the store, not as a table file; by its bytes where it is
    # not named .duckdb (runs.db), so the command's --store is said for it as well
    if suffix == ".duckdb" or is_duckdb(path):
        raise StoreGivenError(path, source)
    if suffix in _SPREADSHEETS:  # a workbook holds sheets, not one table: say how to get one
        raise DataError(
            f"a spreadsheet workbook ({suffix}), not a table file",
            source=source,
            hint="save the sheet as CSV (Save As 'CSV UTF-8') and pass that file, or in "
            "Python read it with pandas.read_excel(path) and pass the DataFrame",
        )
    seen = what_file(path) if kind is None else None
    if seen is not None and seen != "a gzip file":  # a report, a gzip-compressed result
        packed = gzip_format(path)
        use = kind_use(packed, reader=None) if packed is not None else ""
        unzip = f"`gunzip -k {path}` decompresses it; " if packed is not None else ""
        raise DataError(
            f"is {seen}, not a table of runs",
            source=source,
            hint=f"{unzip}{use + '; ' if use else ''}here give a table (.csv .parquet .jsonl, "
            "or a JSON array of rows)",
        )
    if kind is None:
        raise DataError(
            f"unknown file type {suffix or '(no extension)'!r}",
            source=source,
            hint=formats or f"use one of the supported extensions: {', '.join(FORMATS)}",
        )
    if path.stat().st_size == 0:
        raise DataError(
            "the file is empty (0 bytes)",
            source=source,
            hint=f"write a header line, then {rows}",
        )
    return kind
