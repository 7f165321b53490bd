"""Ctrl-C during a real ``scalinglab ladder run``: exit 130, one error naming the rung it
stopped, the step it reached and where its checkpoint is, a hint that the same command
resumes, and with ``--json`` every rung on stdout: what finished, the rung stopped, and
the rungs not started (``pending``, with their config's counts, as ``ladder status``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests._ladders import make_corpus, write_ladder

from scalinglab.ladder import get_recipe, rung_counts


def _checkpointed(progress: Path, *, within_s: float) -> None:
    """Wait until the rung's worker reports a checkpoint past step 0."""
    end = time.monotonic() + within_s
    while time.monotonic() < end:
        try:
            if (json.loads(progress.read_text()).get("checkpoint_step") or 0) > 0:
                return
        except (OSError, ValueError):  # not written yet, or mid-write
            pass
        time.sleep(0.05)
    raise AssertionError(f"no checkpoint reported in {progress} within {within_s} s")


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.heavy
def test_ctrl_c_names_the_stopped_rung_its_checkpoint_and_how_to_resume(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    path = write_ladder(
        tmp_path / "mini.toml", steps=(4, 100_000, 4), corpus=make_corpus(tmp_path / "t")
    )
    first, second, third = get_recipe(str(path)).rungs
    command = [sys.executable, "-m", "scalinglab", "ladder", "run", str(path),
               "--store", "runs.duckdb", "--backend", "local", "--gpus", "none", "--json"]  # fmt: skip
    env = {**os.environ, "COLUMNS": "400"}
    driver = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=_default_sigint,  # a suite started in the background has SIGINT ignored
    )  # fmt: skip
    try:
        _checkpointed(tmp_path / "runs.duckdb.wd" / second.run_id / "progress.json", within_s=60)
        driver.send_signal(signal.SIGINT)
        out, err = driver.communicate(timeout=60)
    finally:
        driver.kill()
    assert driver.returncode == 130, err
    assert "Traceback" not in err
    folder = f"runs.duckdb.wd/{second.run_id}/"
    last = json.loads((tmp_path / folder / "progress.json").read_text())  # the worker's last
    step, steps, checkpoint = last["step"], last["steps"], last["checkpoint_step"]
    said = " ".join(err.split())
    assert (
        f"error: interrupted: ladder mini stopped {second.name} at step {step}/{steps} "
        f"(checkpoint at step {checkpoint} in {folder}); 1 of 3 rungs done, recorded in "
        "runs.duckdb" in said
    )
    assert (
        "hint: rerun the same command to resume: rungs done are skipped, "
        f"{second.name} resumes from its checkpoint at step {checkpoint}" in said
    )
    data = json.loads(out)  # stdout holds the JSON alone
    assert data["interrupted"] is True
    rows = [(r["rung"], r["status"], r["step"], r["checkpoint_step"]) for r in data["rungs"]]
    assert rows == [
        (first.name, "finished", None, None),
        (second.name, "interrupted", step, checkpoint),
        (third.name, "pending", None, None),  # not started: listed all the same
    ]
    counts = rung_counts(third)
    sizes = {k: data["rungs"][2][k] for k in ("params", "tokens", "flops", "steps", "workdir")}
    assert sizes == {"params": counts.params, "tokens": counts.tokens, "flops": counts.flops,
                     "steps": counts.steps, "workdir": None}  # fmt: skip
