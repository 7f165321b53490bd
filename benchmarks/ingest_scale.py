"""Ingest at scale: 10,000 runs x 1,000 curve points (10M rows) into the run store, then one fit.

Source format: a Weights & Biases export as a team would pull it from the API: the run table
(``wandb_export.csv``: ``Name``, ``ID``, ``State``, config and summary columns, one row per run)
and a long history file (``history.parquet``: ``run_id``, ``_step``, ``train/loss``,
``eval/loss``, ``lr``, ``tokens``, one row per run and logged step, as ``run.history()`` gives
per run, concatenated). Losses follow a Chinchilla law with noise, curves decay to it.

Each measurement runs in a fresh process, so its peak resident memory is its own:

* ``scalinglab.ingest(table, history=..., final="mean:10")`` into a new store, at 1M, 3M and
  10M rows: seconds, rows per second, peak memory; linear growth is checked by the ratio of
  seconds per row between the largest and the smallest size;
* ``scalinglab.fit("chinchilla", store.to_run_table())`` over the 10,000 final values;
* the integrity check every read command does before it reads (``RunStore.check()``) and one
  small read (``RunStore.counts()``, which checks again) on the 10M-row store;
* baseline, same run: the 1M-row source written with ``RunStore.put_runs`` and one curve
  DataFrame per run (the store's per-run path) instead of the bulk path ingest uses.

Usage: ``python benchmarks/ingest_scale.py [--sizes 1000,3000,10000] [--points 1000]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from _machine import describe

FIT_STRIDE = 45  # 100 of the 4,500 starts
TRUTH = {"E": 1.8172, "A": 482.01, "B": 2085.43, "alpha": 0.3478, "beta": 0.3658}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def make_source(folder: Path, n_runs: int, n_points: int, seed: int = 0) -> tuple[Path, Path]:
    """Write the run table and the long history for ``n_runs`` runs of ``n_points`` points."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rng = np.random.default_rng(seed)
    params = np.exp(rng.uniform(np.log(1e7), np.log(3e9), n_runs))
    tokens = params * np.exp(rng.uniform(np.log(2.0), np.log(200.0), n_runs))
    final = (
        TRUTH["E"] + TRUTH["A"] * params ** -TRUTH["alpha"] + TRUTH["B"] * tokens ** -TRUTH["beta"]
    ) * np.exp(0.005 * rng.standard_normal(n_runs))
    ids = np.array([f"r{k:07x}" for k in range(n_runs)])
    pd.DataFrame(
        {
            "Name": [f"run-{k}" for k in range(n_runs)],
            "ID": ids,
            "State": "finished",
            "Created": "2026-11-20T10:00:00.000Z",
            "Runtime": 3600,
            "model.n_params": params,
            "tokens_seen": tokens,
            "optimizer": "adamw",
            "eval/loss": final,
        }
    ).to_csv(folder / "wandb_export.csv", index=False)
    frac = np.linspace(0.0, 1.0, n_points)[None, :]  # fraction of training done
    steps = np.arange(1, n_points + 1) * 10
    writer = None
    for lo in range(0, n_runs, 1000):  # in blocks: the generator must not dominate memory
        hi = min(n_runs, lo + 1000)
        m = hi - lo
        curve = final[lo:hi, None] * (1.0 + 2.0 * (1.0 - frac) ** 3)
        noise = 1.0 + 0.002 * rng.standard_normal((m, n_points))
        block = pa.table(
            {
                "run_id": pa.DictionaryArray.from_arrays(
                    pa.array(np.repeat(np.arange(m, dtype=np.int32), n_points)),
                    pa.array(ids[lo:hi]),
                ),
                "_step": pa.array(np.tile(steps, m)),
                "train/loss": pa.array((curve * noise - 0.05).ravel()),
                "eval/loss": pa.array((curve * noise).ravel()),
                "lr": pa.array(np.tile(3e-4 * (1 - 0.9 * frac[0]), m)),
                "tokens": pa.array((tokens[lo:hi, None] * frac[0]).ravel()),
            }
        )
        if writer is None:
            writer = pq.ParquetWriter(folder / "history.parquet", block.schema)
        writer.write_table(block)
    assert writer is not None
    writer.close()
    return folder / "wandb_export.csv", folder / "history.parquet"


def child_ingest(folder: Path) -> dict[str, float]:
    from scalinglab import ingest

    store = folder / "runs.duckdb"
    store.unlink(missing_ok=True)
    start = time.perf_counter()
    result = ingest(
        folder / "wandb_export.csv",
        history=folder / "history.parquet",
        store=store,
        final="mean:10",
    )
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "rows": result.written.curve_points,
        "runs": len(result.written.added),
        "peak_mb": _peak_mb(),
    }


def child_fit(folder: Path) -> dict[str, float]:
    """Chinchilla from every ``FIT_STRIDE``-th start of its default 4,500-point grid: the
    solver's cost grows with runs x starts, and 10,000 runs need far fewer starts than 240."""
    from scalinglab import fit, get_law
    from scalinglab.store import RunStore

    start = time.perf_counter()
    table = RunStore(folder / "runs.duckdb").to_run_table()
    read = time.perf_counter() - start
    law = get_law("chinchilla")
    data = {"N": table.columns["params"], "D": table.columns["tokens"]}
    starts = law.start_grid(data, table.columns["loss"])[::FIT_STRIDE]
    result = fit(law, table, starts=starts, bootstrap=0, compare=False)  # the fit alone
    seconds = time.perf_counter() - start
    out = {
        "seconds": seconds,
        "read_s": read,
        "runs": len(table),
        "starts": len(starts),
        "peak_mb": _peak_mb(),
    }
    out.update({f"fit_{k}": float(v) for k, v in result.coefs.items()})
    return out


def child_scan(folder: Path) -> dict[str, float]:
    """What a read command pays to check the store before it reads (a fresh process: the
    file's pages may still be in the OS cache from the ingest, as in daily use). Baseline in
    the same process: issue 11's check, ``count(*), max(COLUMNS(*))`` per table."""
    import duckdb

    from scalinglab.store import RunStore

    path = folder / "runs.duckdb"
    store = RunStore(path)
    out: dict[str, float] = {"size_mb": path.stat().st_size / 2**20}
    for key in ("check_s", "check_again_s"):
        start = time.perf_counter()
        store.check()
        out[key] = time.perf_counter() - start
    start = time.perf_counter()
    out["rows"] = store.counts()["curve_points"]
    out["counts_s"] = time.perf_counter() - start
    start = time.perf_counter()
    con = duckdb.connect(str(path), read_only=True)
    for name in ("meta", "runs", "curves"):
        con.execute(f"SELECT count(*), max(COLUMNS(*)) FROM {name}").fetchall()
    con.close()
    out["max_check_s"] = time.perf_counter() - start
    out["peak_mb"] = _peak_mb()
    return out


def child_baseline(folder: Path) -> dict[str, float]:
    """The same source through the store's per-run path: one curve DataFrame per run."""
    from scalinglab.ingest import read_source
    from scalinglab.ingest._convert import convert_source
    from scalinglab.ingest._final import FinalRule
    from scalinglab.ingest._mapping import resolve_mapping
    from scalinglab.store import RunStore

    store = folder / "baseline.duckdb"
    store.unlink(missing_ok=True)
    start = time.perf_counter()
    source = read_source(folder / "wandb_export.csv", history=folder / "history.parquet")
    rule, mapping = FinalRule.parse("mean:10"), resolve_mapping(source)
    converted = convert_source(source, mapping, rule, store=store)  # store: named in notes
    curves = converted.curves
    assert curves is not None
    groups = dict(iter(curves.groupby("run_id", observed=True, sort=False)))
    items = [(run, groups[run.run_id].drop(columns="run_id")) for run in converted.runs]
    written = RunStore(store).put_runs(items)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "rows": written.curve_points, "peak_mb": _peak_mb()}


def _run_child(what: str, folder: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", what, "--folder", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{what} failed:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def file_size(mb: float) -> str:
    """A file's size for the text: KB below 1 MB (a small run's files are not "0 MB")."""
    return f"{mb * 1024:,.0f} KB" if mb < 1 else f"{mb:,.0f} MB"


def linearity(rows: list[tuple[int, dict[str, float]]]) -> str:
    """Seconds per row, last size over first (1.00: linear); none from one size (1.00 always)."""
    if len({n for n, _ in rows}) < 2:
        return "linearity: not measured (one size; give two or more, e.g. --sizes 1000,10000)"
    (small, a), (large, b) = rows[0], rows[-1]
    per_row = (b["seconds"] / b["rows"]) / (a["seconds"] / a["rows"])
    return (
        f"linearity: seconds per row at {large:,} runs / at {small:,} runs = {per_row:.2f} "
        f"(1.00 = linear; rows grew {b['rows'] / a['rows']:.0f}x, time "
        f"{b['seconds'] / a['seconds']:.1f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000", help="run counts to measure")
    parser.add_argument("--points", type=int, default=1000, help="curve points per run")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fn = {
            "ingest": child_ingest,
            "fit": child_fit,
            "scan": child_scan,
            "baseline": child_baseline,
        }[args.child]
        print(json.dumps(fn(args.folder)))
        return

    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"machine: {platform.machine()}, {describe()} at start")
    rows = []
    with tempfile.TemporaryDirectory(prefix="ingest_scale_") as tmp:
        for n_runs in sizes:
            folder = Path(tmp) / f"n{n_runs}"
            folder.mkdir()
            t0 = time.perf_counter()
            make_source(folder, n_runs, args.points)
            made = time.perf_counter() - t0
            size_mb = (folder / "history.parquet").stat().st_size / 2**20
            result = _run_child("ingest", folder)
            assert result["rows"] == n_runs * args.points and result["runs"] == n_runs
            rows.append((n_runs, result))
            print(
                f"ingest {n_runs:>6,} runs x {args.points:,} points = {result['rows']:>12,.0f} rows"
                f" ({file_size(size_mb)} parquet, made in {made:.1f} s): {result['seconds']:6.2f} s, "
                f"{result['rows'] / result['seconds'] / 1e6:5.2f} M rows/s, "
                f"peak {result['peak_mb']:,.0f} MB"
            )
            if n_runs == min(sizes):
                base = _run_child("baseline", folder)
                print(
                    f"baseline (put_runs, one DataFrame per run), same {base['rows']:,.0f} rows: "
                    f"{base['seconds']:.2f} s, peak {base['peak_mb']:,.0f} MB -> bulk ingest is "
                    f"{base['seconds'] / result['seconds']:.1f}x faster"
                )
            if n_runs == max(sizes):
                scan = _run_child("scan", folder)
                print(
                    f"read-side integrity check of the {scan['rows']:,.0f}-row store "
                    f"({file_size(scan['size_mb'])}): check {scan['check_s']:.2f} s (first, with "
                    f"DuckDB's import), {scan['check_again_s']:.2f} s (again), counts() "
                    f"{scan['counts_s']:.2f} s; baseline max() check "
                    f"{scan['max_check_s']:.2f} s; peak {scan['peak_mb']:,.0f} MB"
                )
                fitted = _run_child("fit", folder)
                params = ", ".join(
                    f"{k}={fitted[f'fit_{k}']:.4g} (truth {v:.4g})" for k, v in TRUTH.items()
                )
                print(
                    f"fit chinchilla over {fitted['runs']:,.0f} final values "
                    f"({fitted['starts']:.0f} starts, no bootstrap): "
                    f"{fitted['seconds']:.2f} s (store read {fitted['read_s']:.2f} s), "
                    f"peak {fitted['peak_mb']:,.0f} MB; {params}"
                )
                total = result["seconds"] + fitted["seconds"]
                print(f"ingest + fit at {n_runs:,} runs: {total:.2f} s (target < 60 s, < 2 GB)")
            (folder / "history.parquet").unlink()
    print(f"{linearity(rows)}; load average {os.getloadavg()[0]:.2f} at end")


if __name__ == "__main__":
    main()
