"""A file and --store given together (``cli._store_input.not_both``): one that is not there is
said first, as its reader says it, before "give RUNS or --store, not both" (``fit
nonexist.csv --store nostore.duckdb`` said to give one of them, and only once one was
dropped that it was missing), on every command that refuses the two together."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests._cli import refused

COMMANDS = [
    ["fit"],
    ["backtest"],
    ["isoflop"],
    ["hparams", "fit"],
    ["hparams", "backtest"],
    ["report", "--hparams"],
    ["loss2loss", "fit", "--x", "a", "--y", "b"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_missing_file_is_said_before_not_both(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    error, hint = refused(capsys, [*command, "nonexist.csv", "--store", "nostore.duckdb"])
    assert error == "error: nonexist.csv: file not found"
    assert hint == f"hint: check the path (relative paths start at {tmp_path})"


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_missing_store_is_said_before_not_both(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs.csv").write_text("params,tokens,loss\n1e6,2e7,3.0\n")
    error, hint = refused(capsys, [*command, "runs.csv", "--store", "nostore.duckdb"])
    assert error == "error: run store not found: nostore.duckdb (no run store at this path)"
    assert hint == (
        "hint: check the path, or create one with `scalinglab ingest` or `scalinglab ladder run`"
    )


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_both_there_are_still_refused_as_not_both(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "runs.csv").write_text("params,tokens,loss\n1e6,2e7,3.0\n")
    (tmp_path / "runs.duckdb").write_bytes(b"")  # there: not read before the check
    error, _ = refused(capsys, [*command, "runs.csv", "--store", "runs.duckdb"])
    argument = "SWEEP" if command[0] in ("hparams", "report") else "RUNS"
    assert error == f"error: give {argument} or --store, not both"
