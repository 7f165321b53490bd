"""Killing a real ``scalinglab ingest`` with SIGKILL at chosen moments, and reading what the
store holds afterwards straight through DuckDB (not through scalinglab's own reader).

Shared by ``tests/test_store_kill.py`` (a few kills) and ``benchmarks/reliability.py`` (many).
"""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd


def write_export(folder: Path, *, runs: int, points: int, prefix: str) -> tuple[Path, Path]:
    """A W&B run-table export and its long history export: ``runs`` runs of ``points`` steps."""
    folder.mkdir(parents=True, exist_ok=True)
    ids = [f"{prefix}{k:05d}" for k in range(runs)]
    params = np.geomspace(1e6, 1e9, runs)
    table = pd.DataFrame(
        {
            "Name": [f"{prefix}-run-{k}" for k in range(runs)],
            "ID": ids,
            "State": "finished",
            "model.n_params": params,
            "tokens_seen": 20 * params,
            "eval/loss": 2.0 + 400 * params**-0.34,
        }
    )
    steps = np.tile(np.arange(1, points + 1) * 10, runs)
    decay = np.tile(np.linspace(1.0, 0.0, points), runs)
    history = pd.DataFrame(
        {
            "run_id": np.repeat(ids, points),
            "_step": steps,
            "eval/loss": np.repeat(table["eval/loss"].to_numpy(), points) + decay,
            "train/loss": np.repeat(table["eval/loss"].to_numpy(), points) + 1.1 * decay,
        }
    )
    export, hist = folder / f"{prefix}.csv", folder / f"{prefix}-history.parquet"
    table.to_csv(export, index=False)
    history.to_parquet(hist)
    return export, hist


def ingest_command(export: Path, history: Path, store: Path) -> list[str]:
    return [
        sys.executable, "-m", "scalinglab", "ingest", str(export),
        "--history", str(history), "--store", str(store),
    ]  # fmt: skip


@dataclass(frozen=True)
class State:
    """What a store holds, counted by DuckDB itself."""

    runs: int
    points: int
    duplicate_keys: int  # (run_id, step) pairs stored more than once
    orphan_points: int  # curve rows of runs that are not in the runs table


def state(store: Path) -> State:
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        runs = con.execute("SELECT count(*) FROM runs").fetchone()
        points = con.execute("SELECT count(*) FROM curves").fetchone()
        dup = con.execute(
            "SELECT count(*) FROM (SELECT run_id, step FROM curves GROUP BY ALL "
            "HAVING count(*) > 1)"
        ).fetchone()
        orphans = con.execute(
            "SELECT count(*) FROM curves c ANTI JOIN runs r ON c.run_id = r.run_id"
        ).fetchone()
    finally:
        con.close()
    assert runs and points and dup and orphans
    return State(int(runs[0]), int(points[0]), int(dup[0]), int(orphans[0]))


def _until_copy(proc: subprocess.Popen[bytes], tmp: Path) -> float:
    """Wait until the copy ``tmp`` appears or ``proc`` ends; the deadline of the whole wait."""
    deadline = time.monotonic() + 120
    while not tmp.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    return deadline


def kill_during(command: list[str], store: Path, delay: float) -> str:
    """Start ``command``; ``delay`` seconds after it starts writing the store (the copy that
    replaces the store appears), kill it with SIGKILL. Returns where it was: ``writing``
    (killed while the copy existed), ``renamed`` (after the copy replaced the store, while
    the process wound down) or ``finished`` (it ended first)."""
    tmp = store.with_name(f"{store.name}.tmp")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _until_copy(proc, tmp)
        if proc.poll() is not None:
            return "finished"
        time.sleep(delay)
        phase = "writing" if tmp.exists() else "renamed"
        if proc.poll() is not None:
            return "finished"
        proc.kill()
        return phase
    finally:
        proc.wait()


def write_window(command: list[str], store: Path) -> float:
    """Seconds the copy that replaces ``store`` exists during an uninterrupted ``command``
    (how long its write lasts on this machine, now)."""
    tmp = store.with_name(f"{store.name}.tmp")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = _until_copy(proc, tmp)
        start = time.monotonic()
        while tmp.exists() and time.monotonic() < deadline:
            time.sleep(0.001)
        return time.monotonic() - start
    finally:
        proc.wait()
