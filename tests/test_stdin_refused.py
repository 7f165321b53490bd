"""``cat runs.csv | scalinglab fit -``: ``-``, the shell's name for standard input, said to be
no file read (it was "-: file not found", as if a file named '-' were missing), by every
command that reads a table and by ``ingest``; a file named ``-`` is still a file (refused
for its missing extension, as any file without one)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli
from tests.conftest import chinchilla_runs

import scalinglab as sl
from scalinglab._errors import DataError

SAID = "error: -: standard input is not read: the table must be a file"


@pytest.mark.parametrize(
    "words",
    [
        ("fit", "-"),
        ("backtest", "-"),
        ("isoflop", "-"),
        ("hparams", "fit", "-"),
        ("curves", "fit", "-"),
        ("loss2loss", "fit", "-", "--x", "loss_a", "--y", "loss_b"),
        ("ingest", "-", "--store", "runs.duckdb"),
    ],
)
def test_a_dash_is_said_to_be_standard_input(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    words: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = cli(capsys, *words)
    assert code == 2 and SAID in err and "file not found" not in err
    assert "hint: write it to a file first (your-command > runs.csv) and pass that path" in err
    assert not (tmp_path / "runs.duckdb").exists()


def test_python_says_the_same() -> None:
    with pytest.raises(DataError, match="standard input is not read"):
        sl.fit("chinchilla", "-")


def test_a_file_named_dash_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    chinchilla_runs(outliers=0).to_csv(tmp_path / "runs.csv", index=False)
    (tmp_path / "runs.csv").rename(tmp_path / "-")
    with pytest.raises(DataError, match=r"unknown file type .\(no extension\)") as err:
        sl.read_runs("-")
    assert "standard input" not in str(err.value)
