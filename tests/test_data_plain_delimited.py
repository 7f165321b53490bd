"""CSV/TSV files read at once (one record per line, none skipped) give exactly what the
record-by-record reader gives; every other file is read record by record, and its errors
still name the row."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

from scalinglab import DataError
from scalinglab.data._plain_delimited import plain_columns
from scalinglab.data._readers import _read_file
from scalinglab.data._text_readers import _careful_records, read_delimited

PLAIN = {
    "unix": "run,params,loss\na,1e7,3.5\nb,70M,3.1\n",
    "no final newline": "run,params,loss\na,1e7,3.5\nb,70M,3.1",
    "windows": "run,params,loss\r\na,1e7,3.5\r\nb,70M,3.1\r\n",
    "spaces and a blank header cell": " run , params,\n a ,1e7, x\nb , 2e7 ,\n",
    "tabs": "run\tparams\tloss\na\t1e7\t3.5\nb\t2e7\t3.1\n",
    "quoted cells": 'run,note,loss\n"a,1","say ""hi""",3.5\nb,"",3.1\n',
    "a # past the first cell": "run,note\na,#1\nb,x#\n",
    "unicode": "run,params,loss\nébène,1e7,3.5\n日本,2e7,3.1\n",
}

CAREFUL = {
    "a comment line": "# exported 2026-12-05\nrun,loss\na,3.5\n",
    "a blank line": "run,loss\na,3.5\n\nb,3.1\n",
    "a blank record": "run,loss\na,3.5\n,\nb,3.1\n",
    "trailing separators": "run,loss\na,3.5,,\nb,3.1\n",
    "a quoted line break": 'run,note\na,"two\nlines"\nb,x\n',
    "an old Mac line end": "run,loss\ra,3.5\rb,3.1\r",
}


def _careful(text: str, delimiter: str) -> tuple[list[str], dict[str, list[str]], list[int]]:
    names, records, rows = _careful_records(
        io.StringIO(text, newline="").readlines(), "f.csv", delimiter
    )
    return names, {n: [r[j] for r in records] for j, n in enumerate(names)}, rows


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_plain_file_is_read_at_once_as_the_careful_reader_reads_it(
    tmp_path: Path, name: str
) -> None:
    text = PLAIN[name]
    sep = "\t" if name == "tabs" else ","
    assert plain_columns(text, sep) is not None  # the fast path reads it
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode("utf-8"))
    raw = read_delimited(path, "f.csv", sep)
    names, cells, rows = _careful(text, sep)
    assert list(raw.names) == names
    assert {k: list(v) for k, v in raw.cells.items()} == cells
    assert list(raw.rows) == rows == [2, 3]


@pytest.mark.parametrize("name", sorted(CAREFUL))
def test_a_file_with_lines_to_skip_or_check_goes_to_the_careful_reader(name: str) -> None:
    assert plain_columns(CAREFUL[name], ",") is None


def test_a_comment_and_a_blank_line_keep_every_row_its_line(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_text("# exported\nrun,loss\na,3.5\n\nb,3.1\n", encoding="utf-8")
    raw = read_delimited(path, "f.csv", ",")
    assert raw.rows == (3, 5) and list(raw.cells["run"]) == ["a", "b"]


def _big(rows: int, last: str) -> str:
    return "run,step,loss\n" + "".join(f"r,{k},3.5\n" for k in range(1, rows)) + last


@pytest.mark.parametrize(
    ("last", "said"),
    [
        ("r,7\n", "f.csv, row 20001: has 2 fields but the header has 3"),
        ("r,7,3.1,x\n", "f.csv, row 20001: has 4 fields but the header has 3"),
        ('r,7,"' + "9" * 200_000 + '"\n', "f.csv, row 20001: malformed line: field larger than"),
    ],
    ids=["short", "long", "malformed"],
)
def test_a_bad_last_row_of_a_large_file_is_named_by_its_line(
    tmp_path: Path, last: str, said: str
) -> None:
    path = tmp_path / "f.csv"
    path.write_text(_big(20000, last), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        read_delimited(path, "f.csv", ",")
    assert str(caught.value).startswith(said)
    assert caught.value.row == 20001


def test_a_large_gzipped_windows_file_is_read_with_its_lines(tmp_path: Path) -> None:
    path = tmp_path / "f.csv.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(_big(20000, "r,20000,3.0\n").replace("\n", "\r\n").encode("utf-8"))
    raw = read_delimited(path, "f.csv.gz", ",")
    assert len(raw.rows) == 20000 and raw.rows[-1] == 20001
    assert raw.cells["step"][-1] == "20000" and raw.cells["loss"][-1] == "3.0"


def test_a_byte_not_utf8_is_named_by_its_place_in_the_file(tmp_path: Path) -> None:
    # the whole file is decoded at once: the byte is counted from the file's start, where
    # reading line by line counted it from the start of the 8 kB block it was in (3622)
    path = tmp_path / "f.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 5000 + b"1,\xff\n")
    with pytest.raises(DataError, match=r"not UTF-8 text \(byte 20006\)"):
        _read_file(path, "f.csv")


def test_files_of_a_size_number_their_rows_with_the_same_ints(tmp_path: Path) -> None:
    # a folder of 300 files of 20,000 points: 6 million row numbers, 28 bytes each unshared
    paths = [tmp_path / "a.csv", tmp_path / "b.csv"]
    for path, rows in zip(paths, (1000, 900), strict=True):
        path.write_text(_big(rows, "r,0,3.0\n"), encoding="utf-8")
    a, b = (read_delimited(path, path.name, ",") for path in paths)
    assert a.rows == tuple(range(2, 1002)) and b.rows == tuple(range(2, 902))
    assert all(x is y for x, y in zip(a.rows, b.rows, strict=False))


def test_a_cp1252_file_names_the_row_of_its_first_byte_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("run,params,loss\nr1,1e8,3.1\nmodèle,2e8,3.0\n".encode("cp1252"))
    with pytest.raises(DataError) as caught:
        _read_file(path, "f.csv")
    assert caught.value.row == 3
    assert caught.value.message == "f.csv, row 3: not UTF-8 text (byte 30)"
    assert "Save As 'CSV UTF-8'" in caught.value.hint


@pytest.mark.parametrize("suffix", [".xlsx", ".xls", ".ods"])
def test_a_spreadsheet_says_how_to_export_its_sheet(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"runs{suffix}"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(DataError) as caught:
        _read_file(path, path.name)
    assert str(caught.value) == (
        f"{path.name}: a spreadsheet workbook ({suffix}), not a table file (save the sheet as "
        "CSV (Save As 'CSV UTF-8') and pass that file, or in Python read it with "
        "pandas.read_excel(path) and pass the DataFrame)"
    )
