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

Parts 2 and 3 are ``_reliability_kills.py`` and ``_reliability_damaged.py``; this script runs
part 1 and prints the counts.

Usage::

    python benchmarks/reliability.py                      # the full run (about 15 min)
    python benchmarks/reliability.py --quick              # a few of each
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests/_corpus.py and tests/_kills.py
sys.path.insert(0, str(ROOT / "benchmarks"))  # _machine.py, also when run from elsewhere

from tests._corpus import fixed_cases, formula_cases, judge, mutated_cases  # noqa: E402

from _machine import describe  # noqa: E402
from _reliability_damaged import damaged  # noqa: E402
from _reliability_kills import kills  # noqa: E402
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
            counts = damaged(folder / "d", 2 if quick else 5, run_cli=run_cli)
            print(f"\n3. damaged stores x every command ({time.monotonic() - t:.0f} s): "
                  f"{dict(sorted(counts.items()))}")  # fmt: skip
    print(f"\nload average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
