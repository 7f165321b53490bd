"""Reliability at scale: malformed inputs, kills during an ingest's commit, damaged stores.

Three parts, each counted:

1. **Malformed inputs** (``tests/_corpus.py``): the issue's known-bad run tables and formulas,
   seeded mutations of valid CSV/JSON/JSONL/Parquet tables, random formula strings, each
   through ``scalinglab fit`` in this process. Counted: exit 0 / clean exit 2, tracebacks,
   exit 1, known-bad inputs that exited 0 (silent wrong results), inputs changed.
2. **Kills during ingest** (``tests/_kills.py``): a real ``scalinglab ingest`` of a W&B export
   (``--runs`` x ``--points``) into a store of 200 runs, killed with SIGKILL at delays spread
   over its whole write (copy, inserts, commit, checkpoint, rename); after each kill the
   store is counted by DuckDB itself and must hold all of the batch or none, no (run, step)
   twice and no orphan point; every few kills a rerun must converge to one copy. Baseline,
   measured in the same run: the write path scalinglab had before (one DuckDB transaction in
   the store file, no key on curves), killed the same way.
3. **Damaged stores**: a store with curves damaged in 22 ways (13 with ``--quick``): zeroed
   256 KB blocks, truncation and flipped bytes at 5 places each (2 with ``--quick``), hand
   edits (schema version, a dropped table, no version row), foreign, random and empty files;
   each x every command that reads or writes a store. Counted: clean exit 2 naming the file, files left byte-identical;
   a command that exits 0 must find the store's contents intact (damage in unused space).

Usage::

    python benchmarks/reliability.py                      # the full run (about 15 min)
    python benchmarks/reliability.py --quick              # a few of each
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/_corpus.py and tests/_kills.py
sys.path.insert(0, str(ROOT / "benchmarks"))  # _machine.py, also when run from elsewhere

from tests._corpus import fixed_cases, formula_cases, judge, mutated_cases  # noqa: E402
from tests._kills import State, ingest_command, kill_during, state, write_export  # noqa: E402

from _machine import describe  # noqa: E402
from scalinglab.cli import main as cli  # noqa: E402


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli(args)
    return code, out.getvalue(), err.getvalue()


# -- 1. malformed inputs ---------------------------------------------------------------------


def malformed(folder: Path, tables: int, formulas: int) -> Counter[str]:
    folder.mkdir(parents=True, exist_ok=True)
    cases = [*fixed_cases(), *mutated_cases(seed=2026, count=tables),
             *formula_cases(seed=2026, count=formulas)]  # fmt: skip
    counts: Counter[str] = Counter()
    for case in cases:
        verdict = judge(case, folder, run_cli)
        counts[verdict.outcome] += 1
        if verdict.outcome not in ("ok", "refused"):
            print(f"  !! {verdict}", flush=True)
    counts["cases"] = len(cases)
    return counts


# -- 2. kills during ingest ------------------------------------------------------------------

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


# -- 3. damaged stores -----------------------------------------------------------------------


def _variants(n: int) -> list[tuple[str, object]]:
    def zero(at: float):  # type: ignore[no-untyped-def]
        def f(p: Path) -> None:
            data = bytearray(p.read_bytes())
            k = int(len(data) * at)
            data[k : k + 256 * 1024] = bytes(len(data[k : k + 256 * 1024]))
            p.write_bytes(bytes(data))

        return f

    def cut(at: float):  # type: ignore[no-untyped-def]
        return lambda p: p.write_bytes(p.read_bytes()[: int(p.stat().st_size * at)])

    def flip(at: float):  # type: ignore[no-untyped-def]
        def f(p: Path) -> None:
            data = bytearray(p.read_bytes())
            k = int(len(data) * at)
            for j in range(k, min(k + 2048, len(data)), 61):
                data[j] ^= 0xA5
            p.write_bytes(bytes(data))

        return f

    def sql(statement: str):  # type: ignore[no-untyped-def]
        def f(p: Path) -> None:
            import duckdb

            con = duckdb.connect(str(p))
            con.execute(statement)
            con.close()

        return f

    def foreign(p: Path) -> None:
        import duckdb

        p.unlink()
        con = duckdb.connect(str(p))
        con.execute("CREATE TABLE invoices (id INT)")
        con.close()

    fixed: list[tuple[str, object]] = [
        (
            "version 2.0-beta",
            sql("UPDATE meta SET value = '2.0-beta' WHERE key = 'schema_version'"),
        ),
        ("version 99", sql("UPDATE meta SET value = '99' WHERE key = 'schema_version'")),
        ("no curves table", sql("DROP TABLE curves")),
        ("no version row", sql("DELETE FROM meta")),
        ("foreign DuckDB file", foreign),
        ("random bytes", lambda p: p.write_bytes(os.urandom(1 << 20))),
        ("0-byte file", lambda p: p.write_bytes(b"")),
    ]
    fracs = [0.1 + 0.8 * k / max(n - 1, 1) for k in range(n)]
    kinds = [("zeroed 256 KB at", zero), ("truncated to", cut), ("bytes flipped at", flip)]
    made = [(f"{name} {f:.0%}", make(f)) for f in fracs for name, make in kinds]
    return fixed + made[: max(0, n * 3)]


def _content(path: Path) -> str:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = [con.execute(f"SELECT count(*), bit_xor(hash(COLUMNS(*))) FROM {t}").fetchall()
                for t in ("runs", "curves")]  # fmt: skip
    finally:
        con.close()
    return repr(rows)


def damaged(folder: Path, per_kind: int) -> Counter[str]:
    folder.mkdir(parents=True, exist_ok=True)
    from tests.test_store_safety import _store  # the same store the unit test damages

    pristine = folder / "pristine.duckdb"
    _store(pristine, runs=80, points=3000)
    intact = _content(pristine)
    table = folder / "runs.csv"
    table.write_text("run,params,tokens,loss\na,1e6,2e7,3.5\nb,2e6,4e7,3.2\n", encoding="utf-8")
    counts: Counter[str] = Counter()
    variants = _variants(per_kind)
    counts["variants"] = len(variants)
    for name, damage in variants:
        path = folder / "s.duckdb"
        shutil.copyfile(pristine, path)
        damage(path)  # type: ignore[operator]
        try:  # damage that hit unused space leaves every row as it was: commands may go on
            harmless = _content(path) == intact
        except Exception:
            harmless = False
        counts["damage in unused space (every row intact)" if harmless else "damaged"] += 1
        s = str(path)
        commands = [["runs", "--store", s], ["fit", "--store", s, "--bootstrap", "0"],
                    ["report", "--store", s, "--out", str(folder / "r.html")],
                    ["ladder", "status", "--store", s], ["envelope", "--store", s],
                    ["ingest", str(table), "--store", s]]  # fmt: skip
        for args in commands:
            before = hashlib.sha256(path.read_bytes()).hexdigest()
            code, out, err = run_cli(args)
            counts["commands"] += 1
            if "Traceback" in out + err:
                counts["TRACEBACK"] += 1
            elif code == 2 and s in err and len(err.strip().splitlines()) <= 2:
                counts["refused, naming the file"] += 1
            elif code == 0:
                ok = harmless or (args[0] == "ingest" and "0-byte" in name)  # a store to create
                counts["exit 0, store intact" if ok else "SILENT (exit 0 on damage)"] += 1
                if not ok:
                    print(f"  !! {name}: {args[0]} exited 0 on a damaged store", flush=True)
                if ok:
                    continue  # an ingest that went on wrote the store, as it should
            else:
                counts[f"EXIT {code}"] += 1
                print(f"  !! {name}: {args[0]} -> {code}: {err.strip()[:200]}", flush=True)
            if hashlib.sha256(path.read_bytes()).hexdigest() != before:
                counts["FILE CHANGED"] += 1
                print(f"  !! {name}: {args[0]} changed the file", flush=True)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few of each, for a smoke test")
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--parts", default="123", help="which parts to run, e.g. 23")
    args = parser.parse_args()
    print(f"machine: {describe()}")
    print(f"started {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    quick = args.quick
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t = time.monotonic()
        if "1" in args.parts:
            counts = malformed(folder / "m", *((20, 10) if quick else (400, 150)))
            print(f"\n1. malformed inputs ({time.monotonic() - t:.0f} s): "
                  f"{dict(sorted(counts.items()))}", flush=True)  # fmt: skip
        t = time.monotonic()
        if "2" in args.parts:
            runs, points = (100, 200) if quick else (args.runs, args.points)
            result = kills(folder / "k", runs, points, 4 if quick else 30, 2 if quick else 5)
            print(f"\n2. kills during ingest of {runs} x {points} points "
                  f"({time.monotonic() - t:.0f} s): {result}", flush=True)  # fmt: skip
        t = time.monotonic()
        if "3" in args.parts:
            counts = damaged(folder / "d", 2 if quick else 5)
            print(f"\n3. damaged stores x every command ({time.monotonic() - t:.0f} s): "
                  f"{dict(sorted(counts.items()))}")  # fmt: skip
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
