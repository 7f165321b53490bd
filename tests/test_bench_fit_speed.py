"""benchmarks/fit_speed.py's options: bad values refused in one line, a 0-resample child."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "fit_speed.py"
SRC = Path(__file__).resolve().parents[1] / "src"
CSV = SCRIPT.parents[2] / "shared" / "data" / "chinchilla" / "svg_extracted_data.csv"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120
    )


def test_zero_baseline_starts_are_refused_in_one_line() -> None:
    done = run("--baseline-starts", "0")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].endswith(
        "error: --baseline-starts 0: the scipy loop needs at least 1"
    )


@pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"), reason="an x86-64 CPU")
def test_neon_on_x86_is_refused_in_one_line() -> None:
    done = run("--build", "neon")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1].endswith(
        "error: --build neon: SCALINGLAB_SOLVER=neon asks for a build this CPU cannot run (it "
        "needs an ARM64 CPU); use --build auto, portable or numpy"
    )


@pytest.mark.skipif(not CSV.is_file(), reason="needs the shared Chinchilla points")
@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_a_child_with_zero_resamples_times_the_fit_alone() -> None:
    done = run("--child", "0")
    assert done.returncode == 0, done.stderr
    # one JSON line: the child, not the whole benchmark again
    (line,) = done.stdout.strip().splitlines()
    assert json.loads(line)["resamples"] == 0
