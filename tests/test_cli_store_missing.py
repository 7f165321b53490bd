"""A ``--store`` that is not there is said in one message by every command that takes it:
``envelope`` said "no such file / check the path" and ``ladder plan`` "no such file" with
a hint of its own, where the others said the run store's message."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import cli

COMMANDS = [
    ["fit"],
    ["report", "--out", "report.html"],
    ["backtest"],
    ["isoflop"],
    ["envelope"],
    ["runs"],
    ["curves", "fit"],
    ["downstream", "fit"],
    ["ladder", "status"],
]  # ladder plan --store of a store not yet written plans every rung (ladder run creates it)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_missing_store_is_said_alike(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.duckdb"
    args = [a if a != "report.html" else str(tmp_path / a) for a in command]
    code, out, err = cli(capsys, *args, "--store", str(missing))
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"error: run store not found: {missing} (no run store at this path)",
        "hint: check the path, or create one with `scalinglab ingest` or `scalinglab ladder run`",
    ]
    assert not missing.exists()  # nothing created by asking


@pytest.mark.parametrize("command", [["envelope"], ["ladder", "plan", "tiny"]], ids=" ".join)
def test_a_folder_as_store_is_said_alike(
    command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = cli(capsys, *command, "--store", str(tmp_path))
    assert code == 2
    assert err.splitlines()[0] == f"error: {tmp_path}: is a folder, not a store file"
