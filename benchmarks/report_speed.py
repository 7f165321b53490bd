"""Speed of writing report pages: this checkout against a base commit, in fresh processes.

Each report is written by ``python -m scalinglab report ...`` in a new process (imports,
fit, checks, figures: what a user waits for), with ``PYTHONPATH`` set to this checkout's
``src`` ("after") or to a git worktree of ``--base`` made for the run in a temporary folder,
its solver built and its bytecode compiled ("before"). The two alternate, ``--repeats``
times each, after one warm-up run of each (the OS's file cache, matplotlib's font cache).
Both pages (and their figure files) are compared byte for byte: a change that only speeds
the writing writes the same files.

Reports: the bundled runs (``scalinglab report``, with its figures as SVG files too), and
where ``../shared/data`` holds them, the Chinchilla points (``--drop-outliers``) and a
downstream page of the over-trained models (``--downstream``).

Usage::

    python benchmarks/report_speed.py [--base main] [--repeats 3] [--only default]
    python benchmarks/report_speed.py --before-src /path/to/other/src   # no worktree made
"""

from __future__ import annotations

import argparse
import filecmp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _machine import describe

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"


def reports() -> dict[str, list[str]]:
    """The reports timed, by name: each one's ``scalinglab`` arguments (``OUT``: its folder)."""
    out = {"default": ["report", "--out", "OUT/page.html", "--figures", "OUT/figs"]}
    chinchilla = SHARED / "chinchilla" / "svg_extracted_data.csv"
    if chinchilla.exists():
        out["chinchilla"] = ["report", str(chinchilla), "--drop-outliers", "--out", "OUT/page.html"]
    over = SHARED / "overtraining"
    if (over / "models.dev.csv").exists():
        out["downstream"] = [
            "report", str(over / "models.dev.csv"), "--downstream",
            "--tasks", "hellaswag,piqa,arc_easy", "--via", "loss_c4_val",
            "--chance", str(over / "eval_metadata.csv"), "--where", "dataset=c4_original",
            "--out", "OUT/page.html",
        ]  # fmt: skip
    return out


def base_tree(ref: str, folder: Path) -> Path:
    """A worktree of ``ref`` in ``folder``, its solver built and its bytecode compiled."""
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(folder), ref],
                   check=True)  # fmt: skip
    subprocess.run([sys.executable, "setup.py", "build_ext", "--inplace", "-q"], cwd=folder,
                   check=True, capture_output=True)  # fmt: skip
    compile_tree(folder / "src")
    return folder / "src"


def compile_tree(src: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(src)], check=True, env=env,
                   capture_output=True)  # fmt: skip


def write(src: Path, args: list[str], out: Path) -> tuple[float, float]:
    """Write one report in a fresh process; (wall seconds, CPU seconds of the process)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    env = {**os.environ, "PYTHONPATH": str(src), "MPLBACKEND": "agg"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    argv = [sys.executable, "-m", "scalinglab", *(a.replace("OUT", str(out)) for a in args)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr[-800:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def same_files(a: Path, b: Path) -> list[str]:
    """The files that differ (or are missing on one side) between two output folders."""
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return sorted(
        str(n) for n in names
        if not ((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, False))
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="commit of the 'before' code")
    parser.add_argument("--before-src", type=Path, help="a src folder to use as 'before'")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--only", help="comma-separated report names (default: all found)")
    args = parser.parse_args()
    chosen = reports()
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k in args.only.split(",")}
    print(describe(), "(at the start)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if args.before_src is not None:
            before, label = args.before_src.resolve(), str(args.before_src)
        else:
            before, label = base_tree(args.base, folder / "base"), args.base
        after = ROOT / "src"
        compile_tree(after)
        variants = {"before": before, "after": after}
        try:
            for name, argv in chosen.items():
                times: dict[str, list[tuple[float, float]]] = {"before": [], "after": []}
                run = folder / "run" / name  # one folder: the page names its paths
                for variant, src in variants.items():  # warm-up, and the files compared
                    write(src, argv, run)
                    shutil.copytree(run, folder / variant / name)
                differ = same_files(folder / "before" / name, folder / "after" / name)
                for _ in range(args.repeats):
                    for variant, src in variants.items():
                        times[variant].append(write(src, argv, run))
                wall = {v: statistics.median(t[0] for t in times[v]) for v in variants}
                cpu = {v: statistics.median(t[1] for t in times[v]) for v in variants}
                print(
                    f"{name:11s} before ({label}) wall {wall['before']:6.2f} s cpu "
                    f"{cpu['before']:6.2f} s | after wall {wall['after']:6.2f} s cpu "
                    f"{cpu['after']:6.2f} s | ratio wall {wall['before'] / wall['after']:.2f}x "
                    f"cpu {cpu['before'] / cpu['after']:.2f}x | files "
                    + ("identical" if not differ else f"DIFFER: {', '.join(differ)}")
                )
        finally:
            if args.before_src is None:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force",
                                str(folder / "base")], check=False)  # fmt: skip
    print(f"medians of {args.repeats} runs each, alternating; load average now "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip


if __name__ == "__main__":
    main()
