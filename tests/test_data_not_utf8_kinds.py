"""A run table that is not UTF-8 is said to be what it is: UTF-16 text (by its byte-order
mark) and a zip archive (an .xlsx workbook renamed .csv) are named so, with a hint that reads
them, not as 'not UTF-8 text (byte 0)' with a hint for Windows-1252 text; Latin-1 text is
still named by its line."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab import DataError

TABLE = "params,tokens,loss\n1e8,2e9,3.1\n2e8,4e9,2.9\n"


def _refusal(path: Path) -> DataError:
    with pytest.raises(DataError) as info:
        sl.read_runs(path)
    return info.value


def test_utf16_text_is_named_with_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_bytes(TABLE.encode("utf-16"))
    err = _refusal(path)
    assert err.message.endswith(
        ": UTF-16 text (its first bytes are a UTF-16 byte-order mark), not UTF-8"
    )
    assert "encoding='utf-16'" in err.hint
    assert "cp1252" not in err.hint


def test_a_zip_archive_named_csv_is_said_to_be_a_workbook(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr("xl/workbook.xml", "<workbook/>")
    path = tmp_path / "runs.csv"
    path.write_bytes(buffer.getvalue())
    err = _refusal(path)
    assert "a zip archive (a spreadsheet workbook such as .xlsx, renamed?)" in err.message
    assert "pandas.read_excel" in err.hint


def test_latin1_text_is_still_named_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "runs.csv"
    path.write_bytes((TABLE + "3e8,6e9,2.8\xe9\n").encode("latin-1"))
    err = _refusal(path)
    assert err.row == 4
    assert "cp1252" in err.hint
