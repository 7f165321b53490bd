"""A closed stdout pipe (``scalinglab ladder plan tiny | head -1``) ends the command
quietly with 141 (128 + SIGPIPE), as a shell reports for ``yes | head -1``, in one place for
every command: a table (rich) or JSON written to it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize("args", [["ladder", "plan", "tiny"], ["ladder", "plan", "tiny", "--json"]])
def test_a_closed_pipe_ends_quietly_with_141(args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes anything
    try:
        done = subprocess.run(
            [sys.executable, "-m", "scalinglab", *args],
            stdout=write,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            timeout=120,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")
