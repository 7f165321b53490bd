"""A closed stdout pipe (``scalinglab ladder plan tiny | head -1``) ends the command
quietly with 141 (128 + SIGPIPE), as a shell reports for ``yes | head -1``, in one place for
every command: a table (rich) or JSON written to it, ``--version`` and ``--help`` too. An
error said to a closed stderr (``scalinglab nonsuch 2>&1 | head -1``) ends with the error's
own exit code, not a traceback's 1 (nor 141, which scripts take for a reader done early)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _closed(args: list[str], *, stderr_too: bool = False) -> subprocess.CompletedProcess[str]:
    """``scalinglab ARGS`` with stdout (and stderr: ``2>&1``) a pipe nobody reads."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes anything
    try:
        return subprocess.run(
            [sys.executable, "-m", "scalinglab", *args],
            stdout=write,
            stderr=write if stderr_too else subprocess.PIPE,
            env=env,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)


@pytest.mark.parametrize(
    "args",
    [
        ["ladder", "plan", "tiny"],
        ["ladder", "plan", "tiny", "--json"],
        ["--version"],
        ["--help"],
        [],  # the help, for a bare `scalinglab`
        ["fit", "--help"],
    ],
)
def test_a_closed_pipe_ends_quietly_with_141(args: list[str]) -> None:
    done = _closed(args)
    assert (done.returncode, done.stderr) == (141, "")


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["runs", "--store", "nonexist.duckdb"], 2),
        (["nonsuch"], 2),
        (["fit", "--nope"], 2),
    ],
)
def test_an_error_to_a_closed_stderr_keeps_its_exit_code(
    args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _closed(args, stderr_too=True).returncode == code
