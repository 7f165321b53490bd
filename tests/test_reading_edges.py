"""Three inputs a review found misread: a folder holding a run table with a tokens column
(not loss curves), a damaged or truncated ``.csv.gz`` (one error with the file, not
"aborted" or a bare ``EOFError``), and a Parquet file with a repeated column name (refused
as a repeated name, not as a damaged file)."""

from __future__ import annotations

import gzip
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests._cli import refused

import scalinglab as sl
from scalinglab._errors import DataError

RUNS = "run,params,tokens,loss\na,1e7,2e8,3.5\nb,2e7,4e8,3.2\nc,4e7,8e8,3.0\n"


def test_a_folder_of_one_run_table_with_tokens_is_said_to_hold_a_run_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    (folder / "runs.csv").write_text(RUNS, encoding="utf-8")
    error, hint = refused(capsys, ["fit", str(folder)])
    assert error == f"error: {folder}: is a folder, not a file"
    assert hint == "hint: pass the run file inside it (1 table file: runs.csv)"  # not "curves"


def _truncated(path: Path) -> Path:
    path.write_bytes(gzip.compress((RUNS * 50).encode())[:40])
    return path


@pytest.mark.parametrize("make", ["truncated", "not gzip"])
def test_a_damaged_csv_gz_is_one_error_naming_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make: str
) -> None:
    path = tmp_path / "runs.csv.gz"
    _truncated(path) if make == "truncated" else path.write_text("no", encoding="utf-8")
    error, hint = refused(capsys, ["fit", str(path)])
    assert error.startswith(f"error: {path}: cannot read the file: a damaged or truncated gzip")
    assert (
        hint
        == f"hint: decompress it (`gunzip -k {path}`) to see what is wrong, or pass the plain file"
    )
    with pytest.raises(DataError, match="damaged or truncated gzip"):
        sl.read_runs(path)


def test_a_folder_whose_first_file_is_a_truncated_gzip_still_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "f"
    folder.mkdir()
    _truncated(folder / "runs.csv.gz")
    error, hint = refused(capsys, ["fit", str(folder)])
    assert error == f"error: {folder}: is a folder, not a file"
    assert hint == "hint: pass the run file inside it (1 table file: runs.csv.gz)"


def test_a_parquet_file_with_a_repeated_name_is_refused_as_a_repeated_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "dup.parquet"
    columns = [["a", "b", "c"], [1e7, 2e7, 4e7], [2e8, 4e8, 8e8], [3.5, 3.2, 3.0], [3.6, 3.3, 3.1]]
    names = ["run", "params", "tokens", "loss", "loss"]
    pq.write_table(pa.table([pa.array(c) for c in columns], names=names), path)
    error, hint = refused(capsys, ["fit", str(path)])
    assert error == (
        f"error: {path}, column 'loss': columns 4 and 5 are both named 'loss', which is read: "
        "which one is meant is not clear"
    )
    assert hint == "hint: rename or remove the other column of that name"
