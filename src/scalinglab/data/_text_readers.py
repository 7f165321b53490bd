"""The text formats of a run file: CSV and TSV (gzipped too, ``#`` comment lines skipped),
JSON Lines and JSON, each split into named columns of cells with the line a user would see
each record at (read with the standard library, so blank lines and quoted multi-line cells
keep every row's true line number)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab.data._json import load_json
from scalinglab.data._schema import RawTable

__all__ = ["read_delimited", "read_json", "read_jsonl"]

_TRUNCATED = "fix or remove that line (a run killed mid-write can leave one)"


def _no_rows(source: str) -> DataError:
    return DataError(
        "no runs: the file has a header but no data rows",
        source=source,
        hint="add one row per training run",
    )


def read_delimited(path: Path, source: str, delimiter: str) -> RawTable:
    names: list[str] = []
    records: list[list[str]] = []
    rows: list[int] = []
    gz = path.name.lower().endswith(".gz")
    with (
        gzip.open(path, "rt", newline="", encoding="utf-8-sig")
        if gz
        else path.open(newline="", encoding="utf-8-sig")
    ) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        end = 0  # line on which the previous record ended
        try:
            for fields in reader:
                start, end = end + 1, reader.line_num
                if not any(f.strip() for f in fields):
                    continue  # blank line
                if fields[0].lstrip().startswith("#"):
                    continue  # a comment line
                if not names:
                    names = [f.strip() or f"unnamed{j + 1}" for j, f in enumerate(fields)]
                    continue
                extra = fields[len(names) :]
                if len(fields) < len(names) or any(f.strip() for f in extra):
                    raise DataError(
                        f"has {len(fields)} fields but the header has {len(names)}",
                        source=source,
                        row=start,
                        hint=_TRUNCATED,
                    )
                records.append(fields[: len(names)])
                rows.append(start)
        except csv.Error as err:
            raise DataError(
                f"malformed line: {err}", source=source, row=reader.line_num, hint=_TRUNCATED
            ) from err
    if not names:
        raise DataError(
            "the file holds only blank lines",
            source=source,
            hint="write a header line, then one row per training run",
        )
    if not records:
        raise _no_rows(source)
    cells = {name: [r[j] for r in records] for j, name in enumerate(names)}
    return RawTable(source, tuple(names), cells, tuple(rows))


def _from_records(source: str, records: list[dict[str, object]], rows: list[int]) -> RawTable:
    names: dict[str, None] = {}  # ordered set: keys in order of first appearance
    for record in records:
        names.update(dict.fromkeys(record))
    cells = {name: [record.get(name) for record in records] for name in names}
    return RawTable(source, tuple(names), cells, tuple(rows))


def read_jsonl(path: Path, source: str) -> RawTable:
    records: list[dict[str, object]] = []
    rows: list[int] = []
    with path.open(encoding="utf-8-sig") as handle:
        for line_no, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = load_json(line, source, line_no, _TRUNCATED)
            except json.JSONDecodeError as err:
                raise DataError(
                    f"line is not valid JSON ({err.msg}, character {err.pos + 1})",
                    source=source,
                    row=line_no,
                    hint=_TRUNCATED,
                ) from err
            if not isinstance(record, dict):
                raise DataError(
                    f"line holds a JSON {type(record).__name__}, not an object",
                    source=source,
                    row=line_no,
                    hint='write one object per line: {"params": ...}',
                )
            records.append({str(k): v for k, v in record.items()})
            rows.append(line_no)
    if not records:
        raise DataError(
            "no runs: the file holds only blank lines",
            source=source,
            hint="write one JSON object per line, one per training run",
        )
    return _from_records(source, records, rows)


def read_json(path: Path, source: str) -> RawTable:
    hint = 'write an array of objects, one per run: [{"params": 7e7, "loss": 3.1}, ...]'
    try:
        data = load_json(path.read_text(encoding="utf-8-sig"), source, None, hint)
    except json.JSONDecodeError as err:
        raise DataError(
            f"not valid JSON ({err.msg}, line {err.lineno}, column {err.colno})",
            source=source,
            row=err.lineno,
            hint=hint,
        ) from err
    if not isinstance(data, list):
        raise DataError(
            f"holds a JSON {type(data).__name__}, not an array of runs", source=source, hint=hint
        )
    for k, record in enumerate(data, start=1):
        if not isinstance(record, dict):
            raise DataError(
                f"element {k} is a JSON {type(record).__name__}, not an object",
                source=source,
                row=k,
                hint=hint,
            )
    if not data:
        raise DataError("no runs: the array is empty", source=source, hint=hint)
    records = [{str(k): v for k, v in record.items()} for record in data]
    return _from_records(source, records, list(range(1, len(data) + 1)))
