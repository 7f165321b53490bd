"""A closed stdout pipe (``scalinglab ladder plan tiny | head -1``) ends the command
quietly with 141 (128 + SIGPIPE), as a shell reports for ``yes | head -1``, in one place for
every command: a table (rich) or JSON written to it, ``--version`` and ``--help`` too. An
error said to a closed stderr (``scalinglab nonsuch 2>&1 | head -1``) ends with the error's
own exit code, not a traceback's 1 (nor 141, which scripts take for a reader done early).
A closed stderr alone (``2>&1 >/dev/null | true``) stops nothing: the work goes on unsaid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tests.test_fit_plan_withheld import _runs

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _closed(
    args: list[str], *, stderr_too: bool = False, stderr_only: bool = False
) -> subprocess.CompletedProcess[str]:
    """``scalinglab ARGS`` with stdout (and stderr: ``2>&1``; or stderr alone, stdout
    captured) a pipe nobody reads."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes anything
    try:
        return subprocess.run(
            [sys.executable, "-m", "scalinglab", *args],
            stdout=subprocess.PIPE if stderr_only else write,
            stderr=write if stderr_too or stderr_only else subprocess.PIPE,
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
        pytest.param(["fit", "--help"], marks=pytest.mark.heavy),  # --help's writer again
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
        pytest.param(["fit", "--nope"], 2, marks=pytest.mark.heavy),  # a usage error, as nonsuch
    ],
)
def test_an_error_to_a_closed_stderr_keeps_its_exit_code(
    args: list[str], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert _closed(args, stderr_too=True).returncode == code


@pytest.mark.heavy  # 1.7 s in the suite on a 2-core AMD EPYC
def test_a_closed_stderr_stops_no_report(tmp_path: Path) -> None:
    """The report's stage lines, notes and warnings meet a closed stderr: the page is still
    written, and the command ends as it would have (it exited 141 with no page)."""
    runs, page = _runs(tmp_path / "r.csv", ratio_spread=False), tmp_path / "r.html"
    args = ["report", str(runs), "--law", "chinchilla", "--bootstrap", "0", "--no-validate"]
    done = _closed([*args, "--out", str(page)], stderr_only=True)
    assert (done.returncode, done.stdout.strip()) == (0, f"wrote report: {page}")
    assert "plan table withheld" in page.read_text(encoding="utf-8")


def test_a_closed_stderr_leaves_the_fit_printed(tmp_path: Path) -> None:
    """A line written to stderr outside rich (``--loss``'s deprecation) is dropped too."""
    runs = _runs(tmp_path / "r.csv", ratio_spread=True)
    args = ["fit", str(runs), "--law", "chinchilla", "--bootstrap", "0", "--loss", "huber"]
    done = _closed([*args, "--json"], stderr_only=True)
    assert done.returncode == 0
    assert json.loads(done.stdout)["robust_loss"] == "huber"


def test_a_line_to_a_closed_stderr_is_dropped_and_the_rest_goes_on() -> None:
    """:func:`write_stderr` (a library's warning, said on one line) at a closed stderr: no
    error, then or at the exit's last flush (which fails with exit 120)."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    read, write = os.pipe()
    os.close(read)
    said = (
        "import warnings; from scalinglab.cli import _one_line_warning as w; "
        "warnings.showwarning = w; warnings.warn('overflow'); warnings.warn('again'); "
        "print('went on')"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", said], stdout=subprocess.PIPE, stderr=write, env=env,
            text=True, timeout=120,
        )  # fmt: skip
    finally:
        os.close(write)
    assert (done.returncode, done.stdout) == (0, "went on\n")


def test_a_library_warning_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    from scalinglab.cli import _one_line_warning

    _one_line_warning(RuntimeWarning("overflow in exp\n  detail"), RuntimeWarning, "f.py", 1)
    assert capsys.readouterr().err == "warning: overflow in exp (RuntimeWarning)\n"
