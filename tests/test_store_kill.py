"""Ingest under ``kill -9``: a real ``scalinglab ingest`` process is killed at many moments of
its write, the commit and the rename included; the store then holds all of the batch or none
of it, never a (run, step) twice, never a curve point without its run, and a rerun converges
to exactly one copy of everything."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests._kills import State, ingest_command, kill_during, state, write_export, write_window


def _kill_many(
    tmp_path: Path,
    *,
    runs: int,
    points: int,
    delays: list[float] | None = None,
    kills: int = 0,
    rerun_every: int = 1,
) -> list[str]:
    base = write_export(tmp_path / "src", runs=12, points=40, prefix="base")
    batch = write_export(tmp_path / "src", runs=runs, points=points, prefix="batch")
    store = tmp_path / "s.duckdb"
    subprocess.run(ingest_command(*base, store), check=True, capture_output=True)
    pristine = tmp_path / "pristine.duckdb"
    shutil.copyfile(store, pristine)
    before = state(store)
    after = State(12 + runs, 12 * 40 + runs * points, 0, 0)
    if delays is None:  # spread the kills over 1.5x the write as it lasts here, now
        window = write_window(ingest_command(*batch, store), store)
        shutil.copyfile(pristine, store)
        delays = [1.5 * window * k / kills for k in range(kills)]
    phases = []
    for k, delay in enumerate(delays):
        shutil.copyfile(pristine, store)
        phases.append(kill_during(ingest_command(*batch, store), store, delay))
        got = state(store)
        assert got in (before, after), (k, phases[-1], got)
        if k % rerun_every == 0 or k == len(delays) - 1:  # a rerun converges to one copy
            subprocess.run(ingest_command(*batch, store), check=True, capture_output=True)
            assert state(store) == after
    return phases


@pytest.mark.heavy
def test_kills_during_an_ingest_leave_all_or_nothing(tmp_path: Path) -> None:
    # the copy of the store exists for 0.16-0.2 s of this write on 2 idle cores (longer under
    # load): 0.05 s after it appears lands inside the write on any machine, where 0.15 s did
    # not always (the bulk-write change made the write faster)
    phases = _kill_many(tmp_path, runs=150, points=400, delays=[0.05])
    assert phases == ["writing"]  # the kill landed while the batch was being written


@pytest.mark.slow
def test_many_kills_during_an_ingest(tmp_path: Path) -> None:
    # 30 kills spread over 1.5x the write of 600 runs x 1000 points as measured first (it
    # took 2-3 s when this test was written, ~0.7 s after the bulk-write change: fixed delays
    # of 0.1 s then put only 7 kills inside it): they cover the copy, the inserts, the
    # commit, the checkpoint and the rename, and about two thirds land in the write
    phases = _kill_many(tmp_path, runs=600, points=1000, kills=30, rerun_every=3)
    assert phases.count("writing") >= 10
