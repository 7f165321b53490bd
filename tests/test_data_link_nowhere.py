"""A symbolic link that leads to no file (its target gone, or two links in a loop) is said
to be a link by every reader of a table file and by ``ingest``, not 'file not found' of a
path that is there."""

from __future__ import annotations

from pathlib import Path

import pytest

import scalinglab as sl
from scalinglab import DataError
from scalinglab.cli import main

LINK = "a symbolic link that leads to no file"


def _loop(folder: Path) -> Path:
    a, b = folder / "a.csv", folder / "b.csv"
    a.symlink_to(b)
    b.symlink_to(a)
    return a


def test_a_link_loop_is_said_to_be_a_link(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        sl.read_runs(_loop(tmp_path))
    assert LINK in info.value.message
    assert "ls -l" in info.value.hint


def test_a_link_to_a_missing_file_is_said_to_be_a_link(tmp_path: Path) -> None:
    link = tmp_path / "runs.csv"
    link.symlink_to(tmp_path / "gone.csv")
    with pytest.raises(DataError) as info:
        sl.read_runs(link)
    assert LINK in info.value.message


def test_ingest_says_a_link_loop_is_a_link(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code = main(["ingest", str(_loop(tmp_path)), "--store", str(tmp_path / "s.duckdb")])
    err = capsys.readouterr().err
    assert code == 2
    assert LINK in err
    assert not (tmp_path / "s.duckdb").exists()
