"""What ``scalinglab ladder run`` prints when it ends: its one-line summary, naming where
the rungs' work folders are, and its ``--json``, each rung with its stored size, compute,
steps, time and work folder; on Ctrl-C, the error naming the rungs stopped, the step each
reached, where its checkpoint is, and that rerunning the command resumes them."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

from scalinglab._errors import InterruptError
from scalinglab._format import format_counted
from scalinglab.execute._interrupted import LadderInterrupted, StoppedRung
from scalinglab.execute._record import LadderReport
from scalinglab.execute._workdirs import remembered_workdir
from scalinglab.store import StoredRun

if TYPE_CHECKING:
    from scalinglab.ladder import RungConfig

__all__ = ["RUN_FORMAT", "interrupted_error", "print_summary", "run_json"]

RUN_FORMAT = "scalinglab.ladder_run/1"


#: A rung's sizes in ``--json``, as ``runs --json`` and ``ladder status --json`` name them.
_SIZES = ("params", "tokens", "flops")


def _number(value: float | None) -> float | None:
    return None if value is None else float(value)


def _rung(
    outcome: Any, run: StoredRun | None, stopped: StoppedRung | None, rung: RungConfig | None
) -> dict[str, Any]:
    """One rung of ``--json``: its outcome (its name ``rung``, and ``name``, its old key, for
    one release), then the values ``runs --json`` and ``ladder status --json`` name the
    same (``workdir``: the parent of its folder ``<workdir>/<run_id>``;
    ``step`` and ``checkpoint_step``: where a rung Ctrl-C stopped got to, else ``None``); a
    rung the store does not hold (not started) has its config's counts, as ``ladder status``
    lists it."""
    training = dict(run.extra.get("training") or {}) if run is not None else {}
    where = remembered_workdir(run)
    counts = None
    if run is None and rung is not None:
        from scalinglab.ladder import rung_counts

        counts = rung_counts(rung)
    sizes: Any = run if run is not None else counts  # the stored run's, else the config's
    return {
        "rung": outcome.rung,
        "name": outcome.rung,  # the old key of "rung", kept one release
        **dataclasses.asdict(outcome),
        **{k: None if sizes is None else _number(getattr(sizes, k)) for k in _SIZES},
        "steps": training.get("steps", None if counts is None else counts.steps),
        "wall_s": None if run is None else run.wall_s,
        "workdir": None if where is None else str(where),
        "step": None if stopped is None else stopped.step,
        "checkpoint_step": None if stopped is None else stopped.checkpoint_step,
    }


def run_json(
    report: LadderReport,
    *,
    store: Path,
    stored: dict[str, StoredRun],
    interrupted: LadderInterrupted | None = None,
    rungs: Sequence[RungConfig] = (),
) -> dict[str, Any]:
    """``ladder run --json``: ``stored``, the store's runs by ``run_id`` once the run ended;
    ``interrupted``: the Ctrl-C that ended it (every rung of the ladder: those stopped
    ``"interrupted"`` with the step they reached, those not started as ``ladder status``
    shows them: ``"pending"`` if never run, ``"interrupted"`` if an earlier Ctrl-C stopped it);
    ``rungs``: the ladder's, whose counts a rung not in the store is listed with."""
    stopped = {} if interrupted is None else {s.run_id: s for s in interrupted.stopped}
    config = {r.run_id: r for r in rungs}
    return {
        "format": RUN_FORMAT,
        "ladder": report.ladder,
        "store": str(store),
        "interrupted": interrupted is not None,
        "rungs": [
            _rung(o, stored.get(o.run_id), stopped.get(o.run_id), config.get(o.run_id))
            for o in report.outcomes
        ],
        "prediction": None if report.prediction is None else report.prediction.to_dict(),
    }


def interrupted_error(err: LadderInterrupted, *, store: Path, rungs: int) -> InterruptError:
    """The one error ``ladder run`` ends with on Ctrl-C (``rungs``: the ladder's count):
    each rung stopped, the step it reached and where its checkpoint is, how many rungs are
    done, and that the same command resumes."""
    outcomes = err.report.outcomes
    done = sum(o.status in ("finished", "recorded", "skipped") for o in outcomes)
    failed = len(err.report.failed)
    said = "; ".join(_stopped_said(s) for s in err.stopped) or "between rungs"
    message = (
        f"interrupted: ladder {err.report.ladder} stopped {said}; {done} of {format_counted(rungs, 'rung')} "
        f"done{f', {failed} failed' if failed else ''}, recorded in {store}"
    )
    resumes = ", ".join(_resumes_said(s) for s in err.stopped)
    hint = "rerun the same command to resume: rungs done are skipped" + (
        f", {resumes}" if resumes else ""
    )
    return InterruptError(message, hint=hint)


def _stopped_said(rung: StoppedRung) -> str:
    """``w64-d2 at step 120/394 (checkpoint at step 100 in runs.duckdb.wd/<run_id>/)``."""
    at = "" if rung.step is None else f" at step {rung.step}/{rung.steps}"
    if rung.checkpoint_step is None:  # a worker that did not say (or not yet started)
        kept = f"its work folder {rung.folder}/"
    elif rung.checkpoint_step == 0:
        kept = f"no checkpoint yet; its work folder {rung.folder}/"
    else:
        kept = f"checkpoint at step {rung.checkpoint_step} in {rung.folder}/"
    return f"{rung.name}{at} ({kept})"


def _resumes_said(rung: StoppedRung) -> str:
    """Where a rerun picks ``rung`` up: its checkpoint, not the step it last reported."""
    if rung.checkpoint_step is None:
        return f"{rung.name} resumes from its last checkpoint, if it has one"
    if rung.checkpoint_step == 0:
        return f"{rung.name} starts again from step 0"
    return f"{rung.name} resumes from its checkpoint at step {rung.checkpoint_step}"


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
