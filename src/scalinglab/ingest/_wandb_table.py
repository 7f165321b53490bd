"""Reading a W&B run-table export into a frame: the UI's CSV (or TSV, Parquet) as columns,
the API's runs (a JSON list, or JSON lines: one run object a line) as one ``_record``
column of run objects, which :mod:`scalinglab.ingest._wandb` reads alike."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pandas as pd

from scalinglab._errors import DataError, first_line
from scalinglab.data._json import load_json
from scalinglab.data._parquet_index import index_as_columns
from scalinglab.ingest._diverged import written_nan

__all__ = ["HINT", "read_table"]

#: The keys of a run object of W&B's API that hold its values (nested objects).
_OBJECTS = {"config", "summary", "summary_metrics"}
HINT = "export the run table from the W&B project page (CSV), or runs as a JSON list"


def read_table(path: Path) -> tuple[pd.DataFrame, set[tuple[int, str]]]:
    """The export's runs, and the CSV cells (row index, column) written as NaN, not blank."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".json":
            data = load_json(path.read_text(encoding="utf-8-sig"), str(path))
            if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
                raise DataError("not a JSON list of runs", source=str(path), hint=HINT)
            return pd.DataFrame({"_record": data}), set()
        if suffix in (".jsonl", ".ndjson"):
            # one API run object a line: read as the JSON list's records are, nested
            # config and summary objects included (a frame would keep them as cells);
            # lines of the UI table's columns (Name, State, metrics) read as its rows
            records = _lines(path)
            if any(str(k).lower() in _OBJECTS for r in records for k in r):
                return pd.DataFrame({"_record": records}), set()
            return pd.DataFrame(records), set()
        if suffix in (".parquet", ".pq"):
            return index_as_columns(pd.read_parquet(path)), set()  # a saved index: columns
        sep = "\t" if suffix == ".tsv" else ","
        _check_widths(path, sep)
        table = pd.read_csv(path, sep=sep, encoding="utf-8-sig")
        # pandas reads a written NaN as it reads a blank: the text tells them apart
        text = pd.read_csv(path, sep=sep, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        return table, {
            (row, str(column))
            for column in text.columns
            for row in written_nan(text[column].tolist(), range(len(text)))
        }
    except DataError:
        raise
    except (ValueError, OSError, UnicodeDecodeError, csv.Error, pd.errors.ParserError) as err:
        raise DataError(
            f"cannot read the W&B export: {first_line(err)}", source=str(path), hint=HINT
        ) from err


def _check_widths(path: Path, sep: str) -> None:
    """Refuse a CSV record with fewer fields than the header, as a run table's reader does:
    pandas fills it with blanks, so an export cut short mid-row (a copy or download stopped
    early) would store its last run with values missing and no word.

    Raises:
        DataError: Naming the record's first line.
    """
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, delimiter=sep)
        width, end = 0, 0
        for fields in reader:
            start, end = end + 1, reader.line_num  # a quoted cell may span lines
            if not any(f.strip() for f in fields):
                continue  # a blank line, which pandas skips too
            if not width:
                width = len(fields)
            elif len(fields) < width:
                raise DataError(
                    f"has {len(fields)} fields but the header has {width}",
                    source=str(path),
                    row=start,
                    hint="the export was cut short: export the run table again, or fix or "
                    "remove that line",
                )


def _lines(path: Path) -> list[dict[str, Any]]:
    """The run objects of a JSON-lines export, one a line (blank lines skipped).

    Raises:
        DataError: For a line that is not a JSON object, naming it.
    """
    records: list[dict[str, Any]] = []
    for row, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = load_json(line, str(path), row=row)
        except ValueError as err:
            raise DataError(
                f"not JSON: {first_line(err)}", source=str(path), row=row, hint=HINT
            ) from err
        if not isinstance(record, dict):
            raise DataError("not a JSON object (a run)", source=str(path), row=row, hint=HINT)
        records.append(record)
    return records
