"""fit_speed's whole-process timings: ``scalinglab`` started as a user's shell starts it."""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np


def scalinglab_command() -> list[str]:
    """How a user starts scalinglab: the console script next to this Python, else ``-m``."""
    script = Path(sys.executable).parent / "scalinglab"
    if script.is_file():
        return [str(script)]
    found = shutil.which("scalinglab")
    return [found] if found else [sys.executable, "-m", "scalinglab.cli"]


def whole_process(
    args: list[str], *, unset: Sequence[str], repeats: int = 3
) -> tuple[float, float, str]:
    """Best of ``repeats`` runs of ``scalinglab ARGS`` as a fresh process: (wall seconds, its
    CPU seconds, its output). CPU seconds do not grow when other jobs share the cores.

    ``unset`` names the variables this process set for itself and the user's shell would not
    have (fit_speed's BLAS pins): the child starts without them."""
    best: tuple[float, float, str] = (np.inf, np.inf, "")
    # as the user's shell starts it: without the BLAS pins fit_speed set for its own loop
    user_env = {k: v for k, v in os.environ.items() if k not in unset}
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        done = subprocess.run(
            scalinglab_command() + args, capture_output=True, text=True, check=True, env=user_env
        )
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, (wall, cpu, done.stdout))
    return best
