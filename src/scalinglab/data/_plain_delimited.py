"""The common CSV/TSV file read fast: a header line, then one record per line, each as wide
as the header, none blank or a comment. Such a file's records start on lines 2, 3, ...,
so it is split into columns with no Python work per record (a file of 20,000 points in
~14 ms of CPU, where record by record took ~44); any other file (a comment or blank line,
a ragged row, a quoted line break, a malformed line) gets ``None`` here, and the careful
reader of :mod:`._text_readers`, whose checks name the row of every problem, reads it.

Both give the same header and cells: the fast paths only read files in which the careful
reader would skip nothing and refuse nothing.
"""

from __future__ import annotations

import csv
import io
import re
from functools import cache
from itertools import repeat

__all__ = ["line_numbers", "plain_columns", "sep_line", "skipped_record"]

#: Excel's separator line: ``sep=`` and one character (a tab too), quoted or not.
_SEP_LINE = re.compile(r'"?sep=([,;\t|])"?', re.IGNORECASE)
#: Its first cell, split by any separator: by its own, ``sep=;`` is ``sep=`` and ``""``.
_SEP_CELL = re.compile(r"sep=[,;\t|]?", re.IGNORECASE)

#: Files up to this many lines number their rows with shared int objects (a few MB, kept).
_SHARED_LINES = 2**17


def skipped_record(fields: list[str], *, line: int = 0) -> bool:
    """Whether a CSV/TSV record is no row: a blank line, a comment (its first cell starts
    with ``#``), or on ``line`` 1 a spreadsheet's separator line (:func:`sep_line`). The one
    rule of every reader of a text table: run tables, evaluation tables, and the header
    ``ingest`` detects a table's kind by."""
    if line == 1 and 0 < len(fields) <= 2 and _SEP_CELL.fullmatch(fields[0].strip()):
        return not fields[1:] or not fields[1].strip()  # sep=; split by ;: "sep=", ""
    return not any(f.strip() for f in fields) or fields[0].lstrip().startswith("#")


def sep_line(line: str) -> str | None:
    """The separator a file's first line names the way Excel writes it, ``sep=,`` or
    ``sep=;`` (saving "CSV" in some locales; quoted too), which then is no header; ``None``
    for any other line."""
    found = _SEP_LINE.fullmatch(line.strip("\r\n\ufeff"))
    return None if found is None else found[1]


def _no_skipped_rows(first_cells: list[str]) -> bool:
    """Whether no record is one the careful reader skips: a skipped record (a comment, or
    all blank) has a first cell that holds ``#`` or is blank (a ``#`` elsewhere in it
    merely sends the file to the careful reader)."""
    return "#" not in "".join(first_cells) and "" not in map(str.strip, first_cells)


def _split_columns(text: str, delimiter: str) -> list[list[str]] | None:
    """Columns (header cell first) of a file with no quote: each line split at every
    ``delimiter``, as :mod:`csv` splits a line with no quote, by one ``str.split`` of the
    whole text."""
    if "\r" in text:  # csv ends a line at \r\n, \n or \r: only \r\n is turned into \n here
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the last line's end
    if len(lines) < 2:
        return None
    width = lines[0].count(delimiter) + 1
    if set(map(str.count, lines, repeat(delimiter))) != {width - 1}:
        return None  # a ragged row, a blank line, or trailing separators
    flat = delimiter.join(lines).split(delimiter)
    del lines
    columns = [flat[j::width] for j in range(width)]
    if skipped_record([c[0] for c in columns]) or not _no_skipped_rows(columns[0]):
        return None
    return columns


def _csv_columns(text: str, delimiter: str) -> list[list[str]] | None:
    """Columns (header cell first) of a file with quotes, split by the C :mod:`csv` reader
    at once: each record one line (no quoted line break), all as wide as the header."""
    lines = io.StringIO(text, newline="").readlines()  # as csv.reader reads the file
    try:
        records = list(csv.reader(lines, delimiter=delimiter))
    except csv.Error:
        return None  # the careful reader names the line
    if len(records) != len(lines) or len(records) < 2 or skipped_record(records[0]):
        return None  # a quoted line break, no data row, or a comment or blank line first
    if set(map(len, records)) != {len(records[0])}:
        return None  # a ragged row, a blank line ([]), or trailing separators
    columns = [list(c) for c in zip(*records, strict=True)]
    return columns if _no_skipped_rows(columns[0]) else None


def plain_columns(text: str, delimiter: str) -> list[list[str]] | None:
    """The columns of a plain CSV/TSV file's ``text`` (see the module), each a list of
    its header cell then one cell per line from line 2; ``None`` for any other file."""
    if "\0" in text:  # csv refuses a NUL: the careful reader says where
        return None
    if '"' not in text:
        return _split_columns(text, delimiter)
    return _csv_columns(text, delimiter)


@cache
def _numbers(size: int) -> tuple[int, ...]:
    return tuple(range(size))


def line_numbers(first: int, last: int) -> tuple[int, ...]:
    """Lines ``first`` to ``last``, the same int objects for every file of up to
    :data:`_SHARED_LINES` lines: a folder of 300 curve files of 20,000 points holds 6
    million row numbers, each an int of 28 bytes unless shared (a pointer of 8)."""
    size = 1 << last.bit_length()  # a power of two above last: files of a size share
    if size > _SHARED_LINES:
        return tuple(range(first, last + 1))
    return _numbers(size)[first : last + 1]
