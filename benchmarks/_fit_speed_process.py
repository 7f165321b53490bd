"""fit_speed's whole-process timings: ``scalinglab`` started as a user's shell starts it.

Python compiles a module's source to bytecode the first time it imports it and caches the
result beside it (``__pycache__``); a wheel install compiles them all at install time. A
user's second ``scalinglab`` process and every later one reads the cache. Where the shell sets
``PYTHONDONTWRITEBYTECODE`` (some sandboxes and containers do), nothing is cached for an
editable install, and every process compiles scalinglab's ~230 modules again (about 0.4 s
of CPU on a 2-core AMD EPYC): :func:`whole_process` times both, and says which is which.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


def scalinglab_command() -> list[str]:
    """How a user starts scalinglab: the console script next to this Python, else ``-m``."""
    script = Path(sys.executable).parent / "scalinglab"
    if script.is_file():
        return [str(script)]
    found = shutil.which("scalinglab")
    return [found] if found else [sys.executable, "-m", "scalinglab.cli"]


@dataclass(frozen=True)
class Timing:
    """Repeated runs of one command: the fastest run's wall and CPU seconds, the median
    wall over the runs (the machine's noise shows in their gap), and its output."""

    wall: float
    cpu: float
    median_wall: float
    runs: int
    stdout: str

    def line(self) -> str:
        """``0.912 s wall (median 0.975 of 5), 1.301 s CPU``."""
        return (
            f"{self.wall:.3f} s wall (median {self.median_wall:.3f} of {self.runs}), "
            f"{self.cpu:.3f} s CPU"
        )


def user_env(unset: Sequence[str]) -> dict[str, str]:
    """This process's environment less the variables it set for itself (``unset``: fit_speed's
    BLAS pins), as the user's shell has it."""
    return {k: v for k, v in os.environ.items() if k not in unset}


def no_bytecode_cache(env: dict[str, str]) -> bool:
    """Whether processes started with ``env`` cache no bytecode they compile."""
    return bool(env.get("PYTHONDONTWRITEBYTECODE"))


def tree_bytecode() -> str:
    """What a process that caches nothing reads of scalinglab: the bytecode earlier runs
    left in its source tree (where a shell without the variable ran it), or none."""
    import importlib.util

    spec = importlib.util.find_spec("scalinglab.fit._fit")
    origin = spec.origin if spec is not None else None
    if origin is not None and Path(importlib.util.cache_from_source(origin)).is_file():
        return "reading the bytecode earlier runs left in the source tree, not a fresh clone's"
    return "each process compiles scalinglab again"


def whole_process(
    args: list[str], *, unset: Sequence[str], repeats: int = 5, cached: bool = True
) -> Timing:
    """``repeats`` runs of ``scalinglab ARGS`` as fresh processes (CPU seconds do not grow
    when other jobs share the cores; wall seconds do).

    ``cached``: as every run after a user's first meets it, with bytecode cached (the
    variable that stops caching is left out, and the cache goes to a temporary folder, so
    the source tree is not written to; one untimed run fills it). Otherwise: exactly as this
    shell starts it."""
    env = user_env(unset)
    with tempfile.TemporaryDirectory() as cache:
        if cached:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
            _run(args, env)  # compiles and caches; untimed
        times = [_run(args, env) for _ in range(repeats)]
    best = min(times)
    return Timing(best[0], best[1], statistics.median(t[0] for t in times), repeats, best[2])


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(
        scalinglab_command() + args, capture_output=True, text=True, check=True, env=env
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout
