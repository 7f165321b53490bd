"""``ladder plan`` on a 120-column terminal, or piped with ``COLUMNS=120``, shows every
header whole: it cut ``FLOPs`` to ``FLO…`` and ``est. time`` to ``est. ti…``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
HEADS = ["rung", "width", "depth", "params", "non-emb", "tokens", "D/N", "steps", "batch",
         "lr", "FLOPs", "6ND", "time"]  # fmt: skip


def test_a_120_column_pipe_shows_every_header_whole() -> None:
    env = {**os.environ, "COLUMNS": "120", "PYTHONPATH": str(SRC)}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "scalinglab", "ladder", "plan", "isoflop-tiny"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.split()[:1] == ["rung"])
    assert header.split() == HEADS and "…" not in header
    assert max(len(line) for line in lines) <= 120
    rows = [line.split() for line in lines if line.strip().startswith("w16-d2-2e11")]
    # the first rung's row whole too: its name, FLOPs and 6ND as the plan writes them
    assert rows and rows[0][0] == "w16-d2-2e11" and rows[0][10:12] == ["2e11", "6.83e10"]
