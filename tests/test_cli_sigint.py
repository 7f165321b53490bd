"""A real Ctrl-C (SIGINT) to a real ``scalinglab`` process in the middle of its work: exit 130,
one line saying where it stopped and what became of its files, no traceback, no file half
written, and a store with every run it held. The signal is sent once the work is seen to
have started (its progress bar, drawn as on a terminal, or its temporary store), never after
a fixed sleep. (``ladder run``: ``tests/test_cli_ladder_interrupt.py``.)"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from tests._kills import state, write_export

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
pytestmark = pytest.mark.heavy  # a process started and its work begun: 2-6 s each


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a suite in the background ignores SIGINT


def interrupt(args: list[str], cwd: Path, started: Callable[[str], bool]) -> tuple[int, str]:
    """Run ``scalinglab ARGS``, send SIGINT once ``started(stderr so far)``; exit code, stderr."""
    env = {
        **os.environ,
        "TTY_COMPATIBLE": "1",
        "TTY_INTERACTIVE": "1",
        "COLUMNS": "400",
        "NO_COLOR": "1",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "scalinglab", *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, preexec_fn=_default_sigint,
    )  # fmt: skip
    said: list[str] = []
    reader = threading.Thread(target=lambda: said.extend(iter(proc.stderr.readline, "")))  # type: ignore[union-attr]
    reader.start()
    try:
        end = time.monotonic() + 60
        while not started("".join(said)):
            assert proc.poll() is None, f"ended before the work was seen: {''.join(said)}"
            assert time.monotonic() < end, "the work was not seen to start"
            time.sleep(0.02)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
    finally:
        proc.kill()
        reader.join()
    return code, "".join(said)


def _last_line(err: str) -> str:
    """The last line said, without the bars' cursor moves and styles."""
    assert "Traceback" not in err
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err)
    return [line for line in plain.splitlines() if line.strip()][-1].split("\r")[-1]


_FIT = ["fit", "--bootstrap", "2000", "--out", "out.json", "--plot", "fit.png"]
_CURVES = ["curves", "fit", str(DATA / "lr-schedules" / "100M"), "--out", "out.json"]
_EVALS = str(DATA / "overtraining" / "models.dev.csv")
_DOWNSTREAM = ["downstream", "fit", _EVALS, "--tasks", "all", "--out", "out.json"]


@pytest.mark.parametrize(
    ("args", "stage"),
    [
        (_FIT, "bootstrap"),
        (["backtest", "--out", "out.json"], "fit: all starts"),
        (["report", "--out", "out.html"], "fit: all starts"),
        (_CURVES, "fit: all starts"),
        # no bar: the note said as its fits begin. Its Ctrl-C often lands in a dataclass's
        # methods being built (a lazy import), which CPython then took for unhandled: exit
        # -2 in 3 of 10 runs before scalinglab._caught_interrupt (2026-12-07)
        (_DOWNSTREAM, "note: no --via"),
    ],
    ids=["fit", "backtest", "report", "curves-fit", "downstream-fit"],
)
def test_ctrl_c_mid_work_writes_nothing_and_says_so(
    tmp_path: Path, args: list[str], stage: str
) -> None:
    if any(str(DATA) in a for a in args) and not DATA.is_dir():
        pytest.skip("needs the shared data folder")
    code, err = interrupt(args, tmp_path, lambda said: stage in said)
    assert code == 130, err
    line = _last_line(err)
    command = " ".join(a for a in args[:2] if not a.startswith(("-", "/")))
    out = args[args.index("--out") + 1]
    assert line.startswith(f"error: interrupted: scalinglab {command} stopped"), line
    assert line.endswith(f"--out {out} not written"), line
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no file, no temporary one


def test_ctrl_c_mid_ingest_keeps_every_run_the_store_held(tmp_path: Path) -> None:
    small, small_history = write_export(tmp_path / "in", runs=5, points=10, prefix="a")
    big, big_history = write_export(tmp_path / "in", runs=400, points=3000, prefix="b")
    store = tmp_path / "runs.duckdb"
    first = ["ingest", str(small), "--history", str(small_history), "--store", str(store)]
    subprocess.run([sys.executable, "-m", "scalinglab", *first], check=True, capture_output=True)
    copy, size = tmp_path / "runs.duckdb.tmp", store.stat().st_size

    def inserting(_: str) -> bool:
        """The store's copy grows: DuckDB is inserting the curves (its query is what Ctrl-C
        stops, and it said ``Query interrupted``, an internal error, exit 1)."""
        try:
            return copy.stat().st_size > size
        except FileNotFoundError:
            return False

    second = ["ingest", str(big), "--history", str(big_history), "--store", str(store)]
    code, err = interrupt(second, tmp_path, inserting)
    assert code == 130, err
    line = _last_line(err)
    assert not copy.exists()
    held = state(store)
    assert (held.duplicate_keys, held.orphan_points) == (0, 0)
    if held.runs == 5:  # the usual case: stopped while the copy was written
        assert line == (
            f"error: interrupted: scalinglab ingest stopped; --store {store} unchanged (every "
            "run it held is kept)"
        ), line
        assert held.points == 50
    else:  # the signal came after the rename: all of it stored, and said so
        assert (held.runs, held.points) == (405, 50 + 400 * 3000)
        assert line.endswith(f"; --store {store} written"), line
