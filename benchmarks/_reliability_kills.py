"""reliability's part 2: a real ``scalinglab ingest`` killed with SIGKILL during its write,
the store counted after each kill, and the baseline: the former in-place transaction, killed
the same way (see ``reliability.py``'s docstring)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

# tests/ is importable: reliability.py puts the repository root on the path first
from tests._kills import State, ingest_command, kill_during, state, write_export

_OLD_WRITE = r"""
import sys, duckdb, pandas as pd, pyarrow.parquet as pq
store, table, history = sys.argv[1:4]
runs = pd.read_csv(table)
hist = pq.read_table(history).to_pandas()
con = duckdb.connect(store)
con.execute("BEGIN TRANSACTION")
con.register("r", pd.DataFrame({"run_id": runs["ID"], "name": runs["Name"]}))
con.execute("DELETE FROM runs WHERE run_id IN (SELECT run_id FROM r)")
con.execute("INSERT INTO runs SELECT * FROM r")
con.register("c", pd.DataFrame({"run_id": hist["run_id"], "step": hist["_step"],
                                "loss": hist["eval/loss"]}))
con.execute("DELETE FROM curves WHERE run_id IN (SELECT run_id FROM r)")
con.execute("INSERT INTO curves SELECT * FROM c")
con.execute("COMMIT")
con.close()
"""


def _old_store(path: Path, table: Path, history: Path) -> None:
    import duckdb

    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE runs (run_id VARCHAR PRIMARY KEY, name VARCHAR)")
    con.execute("CREATE TABLE curves (run_id VARCHAR NOT NULL, step BIGINT NOT NULL, loss DOUBLE)")
    con.close()
    subprocess.run([sys.executable, "-c", _OLD_WRITE, str(path), str(table), str(history)],
                   check=True)  # fmt: skip


def _write_window(command: list[str], store: Path) -> float:
    """Seconds from the moment the write starts (the copy appears) to the process's end."""
    tmp = store.with_name(f"{store.name}.tmp")
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while not tmp.exists() and proc.poll() is None:
        time.sleep(0.0005)
    start = time.monotonic()
    assert proc.wait() == 0
    return time.monotonic() - start


def kills(
    folder: Path, runs: int, points: int, n_kills: int, rerun_every: int
) -> dict[str, object]:
    base = write_export(folder / "src", runs=200, points=1000, prefix="base")
    batch = write_export(folder / "src", runs=runs, points=points, prefix="batch")
    store, pristine = folder / "s.duckdb", folder / "pristine.duckdb"
    subprocess.run(ingest_command(*base, store), check=True, capture_output=True)
    shutil.copyfile(store, pristine)
    before = state(store)
    took = _write_window(ingest_command(*batch, store), store)
    after = state(store)
    assert after == State(200 + runs, 200 * 1000 + runs * points, 0, 0), after
    out: Counter[str] = Counter()
    # the window is measured once on a busy machine and varies from run to run: spread the
    # kills over its first 80% so that nearly all land while the write is under way
    delays = [0.8 * took * (k + 0.5) / n_kills for k in range(n_kills)]
    for k, delay in enumerate(delays):
        shutil.copyfile(pristine, store)
        out[f"phase {kill_during(ingest_command(*batch, store), store, delay)}"] += 1
        got = state(store)
        out["all" if got == after else "none" if got == before else "PARTIAL"] += 1
        out["duplicate (run, step)"] += got.duplicate_keys
        out["orphan points"] += got.orphan_points
        if k % rerun_every == 0:
            subprocess.run(ingest_command(*batch, store), check=True, capture_output=True)
            out["reruns"] += 1
            out["reruns converged" if state(store) == after else "RERUN WRONG"] += 1
    # baseline: the former in-place transaction, killed from when its write-ahead log appears
    old, old_pristine = folder / "old.duckdb", folder / "old-pristine.duckdb"
    _old_store(old, *base)
    shutil.copyfile(old, old_pristine)
    old_before = state(old)
    command = [sys.executable, "-c", _OLD_WRITE, str(old), str(batch[0]), str(batch[1])]
    subprocess.run(command, check=True)
    old_after = state(old)
    wal = old.with_name(old.name + ".wal")
    for k in range(n_kills):
        shutil.copyfile(old_pristine, old)
        wal.unlink(missing_ok=True)
        proc = subprocess.Popen(command)
        while not wal.exists() and proc.poll() is None:
            time.sleep(0.0005)
        time.sleep(0.3 * k / n_kills)  # within 300 ms of the log appearing: inside the commit
        proc.kill()
        proc.wait()
        got = state(old)
        out["baseline " + ("all" if got == old_after else "none" if got == old_before
                           else "PARTIAL")] += 1  # fmt: skip
    return {"write window s": round(took, 2), **out}
