"""Speed of drawing the report's figures: the bundled report, warm, now against the baseline.

``scalinglab report`` on the bundled runs (``overtraining-c4``) draws five figures (loss
against N, D and C; residuals; the frontier; the backtest; the isoFLOP analysis). Before each
is saved, :func:`scalinglab.report._layout.settle` labels its log axes in plain text (``10²¹``,
not mathtext) and runs its constrained layout once, then fixes it. The baseline, measured in
the same run, is the same report with ``settle`` doing nothing: matplotlib's constrained
layout in every ``savefig`` and its default (mathtext) log tick labels, as before.

Each variant writes the whole report in this process (after one warm-up of each), alternating,
``--repeats`` times; the figures' time is the wall time spent in ``settle`` and
``Figure.savefig``, summed over the page's figures; the page's is the whole ``main([...])``.

Usage::

    python benchmarks/report_speed.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scalinglab.report._layout as layout
from _machine import describe
from scalinglab.cli import main as cli


def _timed(fn: Callable[..., Any], spent: list[float]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    return wrapper


def report_once(out: Path, *, baseline: bool) -> tuple[float, float, int]:
    """Write the bundled report; (page seconds, figures' seconds, figures saved)."""
    from matplotlib.figure import Figure

    spent: list[float] = []
    saves: list[float] = []
    settle, savefig = layout.settle, Figure.savefig
    layout.settle = _timed((lambda fig: None) if baseline else settle, spent)
    Figure.savefig = _timed(savefig, saves)  # type: ignore[method-assign]
    try:
        sink = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stderr(sink), contextlib.redirect_stdout(sink):
            code = cli(["report", "--out", str(out)])
        page = time.perf_counter() - start
    finally:
        layout.settle, Figure.savefig = settle, savefig  # type: ignore[method-assign]
    if code not in (0, None):
        raise SystemExit(f"scalinglab report failed ({code}): {sink.getvalue()[-500:]}")
    return page, sum(spent) + sum(saves), len(saves)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import matplotlib

    print(describe(), f"matplotlib {matplotlib.__version__}", sep=", ")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        report_once(out, baseline=True)  # warm-up: imports, font caches, compiled solver
        report_once(out, baseline=False)
        timings: dict[bool, list[tuple[float, float, int]]] = {True: [], False: []}
        for _ in range(args.repeats):
            for baseline in (True, False):
                timings[baseline].append(report_once(out, baseline=baseline))
    rows = []
    for baseline, name in ((True, "baseline (constrained layout, mathtext labels)"),
                           (False, "now (plain labels, layout run once)")):  # fmt: skip
        runs = timings[baseline]
        figures = statistics.median(r[1] for r in runs)
        page = statistics.median(r[0] for r in runs)
        rows.append((name, figures, min(r[1] for r in runs), page, runs[0][2]))
    print(f"{'variant':48s} {'figures median':>15s} {'min':>7s} {'page median':>12s} saves")
    for name, figures, least, page, saves in rows:
        print(f"{name:48s} {figures:14.2f}s {least:6.2f}s {page:11.2f}s {saves:5d}")
    print(f"figures: {rows[0][1] / rows[1][1]:.2f}x faster (median), "
          f"{rows[0][2] / rows[1][2]:.2f}x (min); page: {rows[0][3] / rows[1][3]:.2f}x; "
          f"load average now {describe().split('load average ')[1].split(',')[0]}")  # fmt: skip


if __name__ == "__main__":
    main()
