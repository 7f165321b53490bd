"""kill -9 in the middle of a ladder, then the same command again: nothing finished is lost or
duplicated, and the interrupted rung resumes from its checkpoint."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.ladder import get_recipe
from scalinglab.store import RunStore

pytest.importorskip("torch")


def _ladder_run(tmp_path: Path, work: Path, store: Path) -> tuple[dict[str, str], list[str]]:
    """The environment and command of ``scalinglab ladder run mini.toml``."""
    env = {**os.environ, "SCALINGLAB_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1"}
    command = [sys.executable, "-m", "scalinglab", "ladder", "run", str(tmp_path / "mini.toml"),
               "--store", str(store), "--workdir", str(work)]  # fmt: skip
    return env, command


def _start(
    tmp_path: Path, env: dict[str, str], command: list[str], **popen: Any
) -> subprocess.Popen[bytes]:
    """``command`` in a child process of its own session (a kill reaches all of it)."""
    return subprocess.Popen(
        command, env=env, cwd=tmp_path, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, **popen,
    )  # fmt: skip


def _ladder(tmp_path: Path, steps: tuple[int, ...]) -> Path:
    return write_ladder(
        tmp_path / "mini.toml", steps=steps, corpus=make_corpus(tmp_path / "text"), eval_every=50
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for(
    what: str, check: object, *, process: subprocess.Popen[bytes], timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if process.poll() is not None:
            raise AssertionError(f"the ladder ended (code {process.returncode}) before {what}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


# ~30 s on 2 idle cores (a 400-step rung killed and resumed through the CLI driver); the
# default run keeps tests/test_ladder_train.py's faster kill-and-resume of one rung
@pytest.mark.slow
def test_sigkill_mid_rung_then_rerun_resumes_and_loses_nothing(tmp_path: Path) -> None:
    ladder = get_recipe(str(_ladder(tmp_path, steps=(20, 400, 20))))
    first, second, third = ladder.rungs
    work, store_path = tmp_path / "work", tmp_path / "runs.duckdb"
    env, command = _ladder_run(tmp_path, work, store_path)
    process = _start(tmp_path, env, command)
    try:
        # the second rung starts only after the first is recorded (one CPU rung at a time)
        checkpoint = work / second.run_id / "checkpoint.pt"
        _wait_for(
            "the second rung's first checkpoint", checkpoint.is_file, process=process, timeout=240
        )
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the driver and its worker, mid-rung
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert not (work / second.run_id / "result.json").exists(), "the rung was too short to kill"

    store = RunStore(store_path)
    killed = {r.run_id: r.status for r in store.runs()}
    assert killed == {first.run_id: "finished", second.run_id: "running"}
    kept = store.get_run(first.run_id)
    kept_curve = store.curve(first.run_id)

    rerun = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    assert f"skip     {first.name}: finished before" in rerun.stderr
    assert f"finished {second.name}" in rerun.stderr and "resume from step" in rerun.stderr

    runs = store.runs()
    assert sorted(r.run_id for r in runs) == sorted(r.run_id for r in ladder.rungs)
    assert all(r.status == "finished" for r in runs)
    again = store.get_run(first.run_id)
    assert again == kept  # the finished rung was neither retrained nor rewritten
    assert store.curve(first.run_id).equals(kept_curve)

    resumed = store.get_run(second.run_id)
    assert resumed is not None
    step = resumed.extra["training"]["resumed_from_step"]
    assert step is not None and 0 < step < 400 and step % 5 == 0
    curve = store.curve(second.run_id)
    assert list(curve["step"]) == list(range(5, 401, 5))  # whole, no step twice
    assert store.get_run(third.run_id) is not None
    assert not (work / second.run_id / "checkpoint.pt").exists()  # superseded by the result


@pytest.mark.heavy
def test_ctrl_c_stops_cleanly_and_the_rerun_resumes(tmp_path: Path) -> None:
    # 200 steps: ~40x the time from the step-5 checkpoint to the signal, and the rerun's
    # resumed training is half what 400 made it
    ladder = get_recipe(str(_ladder(tmp_path, steps=(200,))))
    (rung,) = ladder.rungs
    work, store_path = tmp_path / "work", tmp_path / "runs.duckdb"
    env, command = _ladder_run(tmp_path, work, store_path)
    # SIGINT as in a terminal: a test run started in the background (`pytest &` in a
    # script) ignores it, children inherit that, and Python then never raises
    # KeyboardInterrupt, so the rung ran to the end and the ladder exited 0
    process = _start(tmp_path, env, command, preexec_fn=_default_sigint)
    checkpoint = work / rung.run_id / "checkpoint.pt"
    _wait_for("the first checkpoint", checkpoint.is_file, process=process, timeout=240)
    os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends the foreground group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert b"interrupted" in err and b"Traceback" not in err
    stored = RunStore(store_path).get_run(rung.run_id)
    assert stored is not None and stored.status == "pending"  # not left claiming "running"
    assert checkpoint.is_file()

    rerun = subprocess.run(
        command, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600
    )
    assert rerun.returncode == 0, rerun.stderr
    done = RunStore(store_path).get_run(rung.run_id)
    assert done is not None and done.status == "finished"
    assert done.extra["training"]["resumed_from_step"] > 0
