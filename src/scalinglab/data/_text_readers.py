"""The text formats of a run file: CSV and TSV (gzipped too, ``#`` comment lines skipped, the
separator the header line uses: a European spreadsheet's ``params;tokens;loss``, whose decimal
commas are refused), JSON Lines and JSON (a record's nested objects as dotted columns:
``config.n_params``), each split into named columns of cells with the line a user would see
each record at (read with the standard library, so blank lines and quoted multi-line cells
keep every row's true line number)."""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO

from scalinglab._errors import DataError
from scalinglab._formats import KINDS, current, kind_name, kind_use
from scalinglab.data._decimal import decimal_commas, decimal_mark
from scalinglab.data._json import flat_record, load_json
from scalinglab.data._json_columns import column_records
from scalinglab.data._plain_delimited import line_numbers, plain_columns, sep_line, skipped_record
from scalinglab.data._schema import RawTable

__all__ = [
    "header_separator",
    "no_decimal_commas",
    "read_delimited",
    "read_json",
    "read_jsonl",
    "scan_lines",
    "skipped_record",
]

_TRUNCATED = "fix or remove that line (a run killed mid-write can leave one)"
#: Separators a header line may use instead of its suffix's, by name.
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
#: A number written with a comma: 3,2 or 1,000 or 1,5e3.
_COMMA_NUMBER = re.compile(r"[+-]?\d+(?:,\d+)+(?:[eE][+-]?\d+)?")


def _no_rows(source: str) -> DataError:
    return DataError(
        "no runs: the file has a header but no data rows",
        source=source,
        hint="add one row per training run",
    )


def _open(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", newline="", encoding="utf-8-sig")
    return path.open(newline="", encoding="utf-8-sig")


def scan_lines(path: Path, delimiter: str) -> tuple[list[str], list[int], list[int]]:
    """A CSV/TSV file's header fields, the line each data record starts on, and the lines
    (0-based, as ``pandas.read_csv(skiprows=...)`` takes them) of records that are no row
    (:func:`skipped_record`); no header for a file of none.

    Raises:
        OSError, UnicodeDecodeError, csv.Error: A file that cannot be read as text.
    """
    header: list[str] | None = None
    starts: list[int] = []
    skipped: list[int] = []
    with _open(path) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        end = 0
        for fields in reader:
            start, end = end + 1, reader.line_num
            if skipped_record(fields, line=start):
                skipped += range(start - 1, end)
            elif header is None:
                header = [f.strip() for f in fields]
            else:
                starts.append(start)
    return header or [], starts, skipped


def header_separator(path: Path, usual: str) -> str:
    """The separator the header line uses: ``usual`` (its suffix's) when the line holds it,
    else the one of :data:`_SEPARATORS` it holds most of (a spreadsheet set to a language
    whose decimal mark is a comma writes ``params;tokens;loss`` into a .csv), or the one a
    first line ``sep=;`` names (:func:`sep_line`). Every reader of a text table splits it by this: run tables, evaluation tables, and ``ingest``'s detection."""
    with _open(path) as handle:
        for number, line in enumerate(handle, start=1):
            if number == 1 and (named := sep_line(line)) is not None:
                return named  # Excel's sep=; line: the separator it names
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if usual in line:
                return usual
            counts = {sep: line.count(sep) for sep in _SEPARATORS if sep != usual}
            most = max(counts, key=lambda sep: counts[sep])
            return most if counts[most] else usual
    return usual


def no_decimal_commas(
    names: list[str], records: list[list[str]], rows: Sequence[int], source: str, sep: str
) -> None:
    """Refuse a number with a comma in a file not separated by commas: a decimal comma
    (``3,2``) and a digit group (``1,000``) look alike there, and neither is guessed."""
    for record, row in zip(records, rows, strict=True):
        for name, cell in zip(names, record, strict=True):
            if _COMMA_NUMBER.fullmatch(cell.strip()):
                raise DataError(
                    f"{cell.strip()!r} has a comma in a number, in a file separated by "
                    f"{_SEPARATORS[sep]}s: a decimal comma or a digit group, which is not "
                    "guessed",
                    source=source,
                    row=row,
                    column=name,
                    hint=f"where its commas are decimal marks (3,2 for 3.2), read it with "
                    f"--decimal , (in Python: pandas.read_csv(path, sep={sep!r}, "
                    "decimal=','), its DataFrame passed on); else save the table with '.' as "
                    "the decimal mark and no digit grouping",
                )


def _careful_records(
    lines: Iterable[str], source: str, delimiter: str
) -> tuple[list[str], list[list[str]], list[int]]:
    """A file's header, records and their first lines, record by record: blank and comment
    lines skipped, a record of the wrong width or a malformed line refused at its row."""
    names: list[str] = []
    records: list[list[str]] = []
    rows: list[int] = []
    reader = csv.reader(lines, delimiter=delimiter)
    end = 0  # line on which the previous record ended
    try:
        for fields in reader:
            start, end = end + 1, reader.line_num
            if skipped_record(fields, line=start):
                continue  # a blank line, a comment, Excel's sep= line
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
    return names, records, rows


def read_delimited(path: Path, source: str, delimiter: str) -> RawTable:
    """A CSV or TSV file split into columns; a header without ``delimiter`` but with
    semicolons, tabs or pipes is split by those instead, and so is a file whose first line
    names its separator as Excel writes it (``sep=;``, then skipped), a note saying so. A plain file
    (:mod:`._plain_delimited`) is split at once; any other record by record."""
    usual, delimiter = delimiter, header_separator(path, delimiter)
    with _open(path) as handle:
        text = handle.read()
    named = sep_line(text.partition("\n")[0])  # Excel's sep=; line: the careful reader skips it
    plain = plain_columns(text, delimiter) if named is None else None
    if plain is not None:
        names = [f.strip() or f"unnamed{j + 1}" for j, f in enumerate(c[0] for c in plain)]
        columns = [c[1:] for c in plain]
        rows: Sequence[int] = line_numbers(2, len(plain[0]))  # a record a line, from 2
        records: list[list[str]] | None = None
    else:  # as csv.reader reads the file: lines end at \n, \r\n or \r
        lines = io.StringIO(text, newline="").readlines()
        names, records, rows = _careful_records(lines, source, delimiter)
        columns = [list(c) for c in zip(*records, strict=True)] if records else []
    del text, plain
    if not names:
        raise DataError(
            "the file holds only blank lines",
            source=source,
            hint="write a header line, then one row per training run",
        )
    if not rows:
        raise _no_rows(source)
    notes: tuple[str, ...] = ()
    if named is not None:
        notes = (f"line 1 'sep={named}' (a spreadsheet's separator line) skipped: read as "
                 f"{_SEPARATORS[named]}-separated",)  # fmt: skip
    elif delimiter != usual:
        word = _SEPARATORS[delimiter]
        notes = (f"read as {word}-separated: the header line has no {_SEPARATORS[usual]}s",)
    if decimal_mark() == ",":  # --decimal , asked: 0,35 is 0.35
        columns, comma = decimal_commas(columns)
        if comma is not None:
            records = None  # split again from the columns as read now
            notes += (f"read ',' as the decimal mark (--decimal ,): {comma!r} as "
                      f"{comma.replace(',', '.')}",)  # fmt: skip
    if delimiter not in (usual, ","):  # 3,2 beside ';': a decimal comma, not guessed
        if records is None:
            records = [list(r) for r in zip(*columns, strict=True)]
        no_decimal_commas(names, records, rows, source, delimiter)
    cells = dict(zip(names, columns, strict=True))
    return RawTable(source, tuple(names), cells, tuple(rows), notes)


def _from_records(source: str, records: list[dict[str, object]], rows: list[int]) -> RawTable:
    names: dict[str, None] = {}  # ordered set: keys in order of first appearance
    for record in records:
        names.update(dict.fromkeys(record))
    cells = {name: [record.get(name) for record in records] for name in names}
    return RawTable(source, tuple(names), cells, tuple(rows))


def _record(record: dict[str, object], source: str, row: int, *, flat: bool) -> dict[str, object]:
    """``record`` as a row: its nested objects as dotted columns (:func:`flat_record`), or,
    not ``flat``, each as one cell as they were read before (an ingest's earlier keys)."""
    return flat_record(record, source, row) if flat else {str(k): v for k, v in record.items()}


def read_jsonl(path: Path, source: str, *, flat: bool = True) -> RawTable:
    """The records of a JSON Lines file, one per line (``flat``: :func:`_record`)."""
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
            records.append(_record(record, source, line_no, flat=flat))
            rows.append(line_no)
    if not records:
        raise DataError(
            "no runs: the file holds only blank lines",
            source=source,
            hint="write one JSON object per line, one per training run",
        )
    return _from_records(source, records, rows)


def read_json(path: Path, source: str, *, flat: bool = True) -> RawTable:
    """The records of a JSON array of objects (``flat``: :func:`_record`)."""
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
        found = current(data.get("format")) if isinstance(data, dict) else None
        if isinstance(found, str) and found in KINDS:  # a result where runs are read
            use = kind_use(found, reader=None)  # no law fit is read here: runs are
            raise DataError(
                f"is {kind_name(found)}, a scalinglab result, not a table of runs",
                source=source,
                hint=f"{use + '; ' if use else ''}here give a table (.csv .parquet .jsonl, "
                "or a JSON array of rows)",
            )
        columns = column_records(data, source, hint)  # an object of columns: its rows
        if columns is None:
            raise DataError(
                f"holds a JSON {type(data).__name__}, not an array of runs",
                source=source,
                hint=hint,
            )
        data = columns
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
    records = [_record(r, source, k, flat=flat) for k, r in enumerate(data, start=1)]
    return _from_records(source, records, list(range(1, len(data) + 1)))
