"""``ladder plan`` on a 120-column terminal, or piped with ``COLUMNS=120``, shows every
header whole: it cut ``FLOPs`` to ``FLO…`` and ``est. time`` to ``est. ti…``. Its ratio
column is ``tokens/param``, as fit's plan names it (``D/N`` was 9 characters narrower): at 120
columns the ``isoflop-tiny`` plan leaves out 6ND, the first column the others imply, and says
so; at 130 it shows every column."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
HEADS = ["rung", "width", "depth", "params", "non-emb", "tokens", "tokens/param", "steps", "batch",
         "lr", "flops", "6ND", "time"]  # fmt: skip


def _plan(columns: int) -> list[str]:
    env = {**os.environ, "COLUMNS": str(columns), "PYTHONPATH": str(SRC)}
    env.pop("FORCE_COLOR", None)
    done = subprocess.run(
        [sys.executable, "-m", "scalinglab", "ladder", "plan", "isoflop-tiny"],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    return lines


@pytest.mark.heavy  # 1.8 s in the suite on a 2-core AMD EPYC
def test_a_120_column_pipe_shows_every_header_whole() -> None:
    lines = _plan(120)
    header = next(line for line in lines if line.split()[:1] == ["rung"])
    assert header.split() == [h for h in HEADS if h != "6ND"] and "…" not in header
    said = " ".join(" ".join(lines).split())
    assert "column 6ND left out to fit 120 columns: a wider terminal shows it" in said
    rows = [line.split() for line in lines if line.strip().startswith("w16-d2-2e11")]
    # the first rung's row whole too: its name, ratio and FLOPs as the plan writes them
    assert rows and rows[0][0] == "w16-d2-2e11" and rows[0][6] == "251.0"
    assert rows[0][10] == "2e11"


@pytest.mark.heavy  # 1.9 s in the suite on a 2-core AMD EPYC
def test_a_130_column_pipe_shows_every_column() -> None:
    lines = _plan(130)
    header = next(line for line in lines if line.split()[:1] == ["rung"])
    assert header.split() == HEADS and "…" not in header
    rows = [line.split() for line in lines if line.strip().startswith("w16-d2-2e11")]
    assert rows and rows[0][0] == "w16-d2-2e11" and rows[0][10:12] == ["2e11", "6.83e10"]
