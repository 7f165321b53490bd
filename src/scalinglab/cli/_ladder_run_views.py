"""What ``scalinglab ladder run`` prints when it ends: its one-line summary, naming where
the rungs' work folders are, and its ``--json``, each rung with its stored size, compute,
steps, time and work folder."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from scalinglab.execute._record import LadderReport
from scalinglab.execute._workdirs import remembered_workdir
from scalinglab.store import StoredRun

__all__ = ["RUN_FORMAT", "print_summary", "run_json"]

RUN_FORMAT = "scalinglab.ladder_run/1"


def _rung(outcome: Any, run: StoredRun | None) -> dict[str, Any]:
    """One rung of ``--json``: its outcome, then the values ``runs --json`` and ``ladder
    status --json`` name the same (``workdir``: the parent of its folder ``<workdir>/<run_id>``)."""
    training = dict(run.extra.get("training") or {}) if run is not None else {}
    where = remembered_workdir(run)
    return {
        **dataclasses.asdict(outcome),
        "params": None if run is None else run.params,
        "tokens": None if run is None else run.tokens,
        "flops": None if run is None else run.flops,
        "steps": training.get("steps"),
        "wall_s": None if run is None else run.wall_s,
        "workdir": None if where is None else str(where),
    }


def run_json(report: LadderReport, *, store: Path, stored: dict[str, StoredRun]) -> dict[str, Any]:
    """``ladder run --json``: ``stored``, the store's runs by ``run_id`` once the run ended."""
    return {
        "format": RUN_FORMAT,
        "ladder": report.ladder,
        "store": str(store),
        "rungs": [_rung(o, stored.get(o.run_id)) for o in report.outcomes],
        "prediction": None if report.prediction is None else report.prediction.to_dict(),
    }


def workdirs_said(report: LadderReport, stored: dict[str, StoredRun], default: Path) -> str:
    """``work folders in runs.duckdb.wd/<run_id>/ (checkpoints, worker.log)``: each parent
    the rungs' folders are in (``default`` where the store recorded none)."""
    parents = {
        str(remembered_workdir(stored.get(o.run_id)) or default): None for o in report.outcomes
    }
    # as given (relative) where it is the default beside the store, else the full path
    shown = [str(default) if Path(p) == default.resolve() else p for p in parents or [default]]
    folders = " and ".join(f"{p}/<run_id>/" for p in shown)
    return f"work folders in {folders} (checkpoints, worker.log)"


def print_summary(
    console: Console,
    report: LadderReport,
    *,
    store: Path,
    stored: dict[str, StoredRun],
    default: Path,
) -> None:
    """``ladder tiny: 3 trained, 0 skipped, 0 failed; runs in runs.duckdb, work folders
    in ...``: once, after every rung's own line."""
    done = sum(o.status == "finished" for o in report.outcomes)
    skipped = sum(o.status == "skipped" for o in report.outcomes)
    earlier = sum(o.status == "recorded" for o in report.outcomes)
    reused = f", {earlier} recorded (trained earlier or by another process)" if earlier else ""
    console.print(
        Text(
            f"ladder {report.ladder}: {done} trained{reused}, {skipped} skipped, "
            f"{len(report.failed)} failed; runs in {store}, "
            + workdirs_said(report, stored, default)
        ),
        soft_wrap=True,
    )
