"""Streams a user's shell may hand the command line: stdout or stderr on a full disk
(``> /dev/full``), a locale without UTF-8 (``LC_ALL=C`` with Python's UTF-8 mode off),
``NO_COLOR``, ``TERM=dumb``, a narrow ``COLUMNS``. Each ends in output or one error line, never a traceback
nor an ``internal error``: stdout full said as an output that cannot be written (exit 2,
where ``--version`` gave a traceback and the rest an internal error, exit 1), and under ASCII
``A·N^-α`` spelled ``A*N^-alpha`` (where stdout's encoder raised, an internal error)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scalinglab.cli import main

_FULL = Path("/dev/full")


def _to_full(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    with open(_FULL, "w") as full:
        return subprocess.run(
            [sys.executable, "-m", "scalinglab", *args], stdout=full, stderr=subprocess.PIPE,
            text=True, env={**os.environ, **(env or {})},
        )  # fmt: skip


@pytest.mark.skipif(not _FULL.exists(), reason="needs /dev/full")
def test_version_to_a_full_disk_is_an_error_not_a_traceback() -> None:
    done = _to_full("--version")
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [
        "error: cannot write to stdout (No space left on device)",
        "hint: free space where stdout is redirected, or redirect it elsewhere",
    ]  # nor "Exception ignored" from the exit's flush


@pytest.mark.heavy  # a process that loads the whole command line: about 1 s
@pytest.mark.skipif(not _FULL.exists(), reason="needs /dev/full")
def test_a_table_to_a_full_disk_is_an_error_not_a_bug() -> None:
    done = _to_full("laws", env={"NO_COLOR": "1"})
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: cannot write to stdout (No space left on device)\n")
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


@pytest.mark.heavy  # a whole `scalinglab fit` process: about 1.5 s
@pytest.mark.skipif(not _FULL.exists(), reason="needs /dev/full")
def test_stderr_on_a_full_disk_is_dropped_and_the_work_goes_on() -> None:
    """``2> log`` on a full disk: what would be said there is lost, as with a closed stderr,
    and the fit is still printed (it was an internal error, exit 1, its notes unsaid)."""
    with open(_FULL, "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "scalinglab", "fit", "--bootstrap", "0", "--no-compare",
             "--json"], stdout=subprocess.PIPE, stderr=full, text=True,
        )  # fmt: skip
    assert done.returncode == 0
    assert done.stdout.startswith('{\n  "format": "scalinglab.fit/1"')


def _ascii_stdout(monkeypatch: pytest.MonkeyPatch) -> io.BytesIO:
    """stdout as Python opens it under ``LC_ALL=C PYTHONUTF8=0``: ASCII, strict."""
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii", errors="strict"))
    return raw


@pytest.mark.parametrize(
    "args",
    [
        ["laws"],
        ["laws", "chinchilla"],
        ["plan", "--preset", "hoffmann2022", "--compute", "1e22"],
        ["fit", "--bootstrap", "0", "--no-compare"],
    ],
    ids=["laws", "laws-chinchilla", "plan", "fit"],
)
def test_an_ascii_stdout_gets_ascii_spellings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    raw = _ascii_stdout(monkeypatch)
    code = main(args)
    sys.stdout.flush()
    err = capsys.readouterr().err
    assert code == 0, err
    text = raw.getvalue().decode("ascii")  # every byte ASCII
    assert text.strip() and "?" not in text  # each character spelled, none lost
    if args[0] == "plan":
        assert "C = 6*N*D" in text  # C = 6·N·D
    if args[0] == "fit":
        assert "converged * objective" in text


def test_the_spellings() -> None:
    from scalinglab.cli._plain_text import HANDLER

    said = "L = E + A·N^-α, N* ∝ C^a, ≤ 1e-3 — ∞ (10⁻³, N², Kühn) 日"
    assert said.encode("ascii", HANDLER).decode() == (
        "L = E + A*N^-alpha, N* ~ C^a, <= 1e-3 - inf (10^-3, N^2, Kuhn) ?"
    )
    assert said.encode("latin-1", HANDLER).decode("latin-1").startswith("L = E + A·N^-alpha")


@pytest.mark.heavy  # three processes: about 3 s
@pytest.mark.parametrize(
    "args",
    [
        ["fit", "--bootstrap", "0", "--no-compare"],
        ["plan", "--preset", "hoffmann2022", "--compute", "1e22"],
        ["laws"],
    ],
    ids=["fit", "plan", "laws"],
)
def test_a_c_locale_process_prints_ascii(args: list[str]) -> None:
    env = {**os.environ, "PYTHONUTF8": "0", "LC_ALL": "C", "TERM": "dumb", "COLUMNS": "40",
           "NO_COLOR": "1"}  # fmt: skip
    env.pop("PYTHONIOENCODING", None)
    done = subprocess.run([sys.executable, "-m", "scalinglab", *args], capture_output=True, env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.isascii() and done.stderr.isascii()
    assert b"Traceback" not in done.stderr and b"\\x" not in done.stderr  # not 6\xb7params
