"""Excel's separator line: saving "CSV" in some locales writes ``sep=,`` or ``sep=;`` as
the first line, which the reader took for the header ("row 2: has 4 fields but the header
has 2"). It names the separator the file is split by, is skipped with a note, and rows keep
their true line numbers; every reader of a text table reads it alike."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import scalinglab as sl
from scalinglab import DataError
from scalinglab.downstream._frames import file_rows, read_frame
from scalinglab.ingest._detect import _table_names

ROWS = [("a", 1e8, 2e9, 3.0), ("b", 2e8, 4e9, 2.9), ("c", 4e8, 8e9, 2.8)]


def _write(path: Path, sep: str, *, first: str | None = None, ending: str = "\n") -> Path:
    lines = [
        first if first is not None else f"sep={sep}",
        sep.join(("run", "params", "tokens", "loss")),
    ]
    lines += [sep.join(str(v) for v in row) for row in ROWS]
    path.write_text(ending.join(lines) + ending, encoding="utf-8")
    return path


@pytest.mark.parametrize(("sep", "word"), [(",", "comma"), (";", "semicolon")])
def test_the_separator_line_names_the_separator_and_is_skipped(
    tmp_path: Path, sep: str, word: str
) -> None:
    table = sl.read_runs(_write(tmp_path / "runs.csv", sep))
    assert table.runs == ("a", "b", "c") and table.rows == (3, 4, 5)  # lines of the file
    np.testing.assert_array_equal(table["params"], [1e8, 2e8, 4e8])
    np.testing.assert_array_equal(table["loss"], [3.0, 2.9, 2.8])
    assert table.notes[0] == (
        f"line 1 'sep={sep}' (a spreadsheet's separator line) skipped: read as {word}-separated"
    )


def test_excels_own_bytes_a_bom_and_crlf_read_alike(tmp_path: Path) -> None:
    path = _write(tmp_path / "excel.csv", ";", ending="\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    table = sl.read_runs(path)
    assert table.rows == (3, 4, 5) and list(table["tokens"]) == [2e9, 4e9, 8e9]


def test_a_bad_row_after_it_is_named_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("sep=;\nparams;tokens;loss\n1e8;2e9;3.0\n2e8;4e9\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        sl.read_runs(path)
    assert err.value.message.startswith(f"{path}, row 4: has 2 fields but the header has 3")
    decimal = tmp_path / "decimal.csv"
    decimal.write_text("sep=;\nparams;tokens;loss\n1e8;2e9;3,0\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 3, column 'loss': '3,0' has a comma in a number"):
        sl.read_runs(decimal)


def test_only_the_first_line_is_a_separator_line(tmp_path: Path) -> None:
    """``sep=;`` further down is a row like any other (here too short for the header)."""
    path = tmp_path / "late.csv"
    path.write_text("params,tokens,loss\n1e8,2e9,3.0\nsep=;\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"row 3: has 1 fields but the header has 3"):
        sl.read_runs(path)


def test_evaluation_tables_and_ingest_read_it_as_run_tables_do(tmp_path: Path) -> None:
    path = _write(tmp_path / "evals.csv", ";")
    frame = read_frame(path)
    assert list(frame.columns) == ["run", "params", "tokens", "loss"] and len(frame) == 3
    assert file_rows(path, 3) == (3, 4, 5)
    assert _table_names(path) == ["run", "params", "tokens", "loss"]


def test_a_blank_first_line_is_still_a_blank_line(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\nparams,tokens,loss\n1e8,2e9,3.0\n", encoding="utf-8")
    assert sl.read_runs(path).rows == (3,)
    assert file_rows(path, 1) == (3,) and _table_names(path) == ["params", "tokens", "loss"]
