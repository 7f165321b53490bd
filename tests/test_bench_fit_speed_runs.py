"""benchmarks/fit_speed_runs.py --whole: the whole fit (bootstrap, calibration, law comparison)
timed by part with the screening on every run and on 1,000, and the two fits compared."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "fit_speed_runs.py"
SRC = Path(__file__).resolve().parents[1] / "src"


@pytest.mark.heavy
def test_whole_reports_each_part_in_both_settings_and_the_same_choice() -> None:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--runs", "1200", "--whole", "--repeats", "1"],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    parts = ", ".join(
        rf"{part} [\d.]+"
        for part in ("solve", "bootstrap", "calibration", "rest of fit", "law comparison")
    )
    for label in ("all runs", "1000 runs"):
        (line,) = [x for x in lines if f"screening on {label}:" in x]
        assert line.startswith("1200 runs, whole fit (200 resamples, calibration, law comparison)")
        assert re.search(r"[\d.]+ s wall, [\d.]+ s CPU; CPU s by part: " + parts + "$", line)
    assert not any("bootstrap 0, screening" in x for x in lines)  # --whole: that part alone
    (diff,) = [x for x in lines if "largest relative difference" in x]
    assert diff.endswith("chosen law (chinchilla) and warnings same"), diff
    ends = float(re.search(r"interval ends ([\d.e+-]+)", diff).group(1))  # type: ignore[union-attr]
    assert ends < 1e-6
