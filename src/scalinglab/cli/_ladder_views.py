"""What ``scalinglab ladder plan`` and ``ladder status`` print: their tables."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import column_form, format_counted, format_loss
from scalinglab.cli import _ladder_plan as plan
from scalinglab.cli import _render as render
from scalinglab.cli._narrow import left_out, narrowed
from scalinglab.cli._render import stdout_console

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec

__all__ = ["print_caveats", "show_no_rungs", "show_plan", "show_status"]

#: The plan's columns a narrow terminal leaves out, first first: each is implied by others
#: (6ND and non-emb by flops and params, tokens/param by tokens and params, depth and width by the
#: rung's size) or in --json.
_NARROW = ("6ND", "non-emb", "tokens/param", "depth", "width")


def show_plan(
    spec: LadderSpec, rows: list[dict[str, Any]], why: str, *, store: Path | None = None
) -> None:
    """The plan's table of rungs, its total (or, every rung finished in ``store``, that
    nothing is left and what to run next) and the ladder's notes."""
    console = stdout_console()
    lr = column_form([r["lr"] for r in rows])  # one column, one number of decimals
    cells: dict[str, Callable[[dict[str, Any]], str | Text]] = {
        "rung": lambda r: Text(r["rung"]),
        "width": lambda r: str(r["width"]),
        "depth": lambda r: str(r["depth"]),
        "params": lambda r: render.count(r["params"]),
        "non-emb": lambda r: render.count(r["params_non_embedding"]),
        "tokens": lambda r: render.count(r["tokens"]),
        "tokens/param": lambda r: f"{r['tokens_per_param']:.1f}",  # as fit's plan names it
        "steps": lambda r: str(r["steps"]),
        "batch": lambda r: str(r["batch_size"]),
        "lr": lambda r: lr(r["lr"]),
        "flops": lambda r: render.flops(r["flops"]),
        "6ND": lambda r: render.flops(r["flops_6nd"]),
        # an estimate, as the total below says ("est. time" was cut at 120 columns)
        "time": lambda r: "finished" if r["finished"] else plan.duration(r["est_s"]),
    }

    def build(heads: Sequence[str]) -> Table:
        table = _table(f"ladder {spec.name}: {format_counted(len(rows), 'rung')}")
        for name in heads:
            table.add_column(name, justify="left" if name == "rung" else "right", no_wrap=True)
        for r in rows:
            table.add_row(*(cells[name](r) for name in heads))
        return table

    # a narrow terminal loses the columns the others imply, never cut cells
    table, dropped = narrowed(console, build, list(cells), _NARROW)
    console.print(table)
    left = [r for r in rows if not r["finished"]]
    total = sum(r["flops"] for r in left)
    seconds = sum(r["est_s"] for r in left)
    # finished rungs: `ladder run` skips them, so the total counts only what is left
    done = len(rows) - len(left)
    held = (
        f" for the {format_counted(len(left), 'rung')} left ({done} finished in the store)"
        if done
        else ""
    )
    total_line = (
        f"total {render.flops(total)} FLOPs{held}, about {plan.duration(seconds)} "
        "(an estimate: "
        f"{why}, plus about {plan.RUNG_OVERHEAD_S:.0f} s a rung to start a worker, load "
        "the corpus and record the run)"
    )
    if not left:  # "total 0 FLOPs for the 0 rungs left" said nothing of what to do
        every = "the 1 rung is" if done == 1 else f"all {done} rungs are"
        total_line = (
            f"{every} finished in {store}: nothing is left to train (`ladder run` skips "
            f"finished rungs); `scalinglab fit --store {store}` fits them"
        )
    console.print(
        Text(
            f"{total_line}; flops are exact matmul counts, 6ND uses non-embedding "
            f"N; batch in sequences of {rows[0]['context']} tokens"
        )
    )
    for line in spec.notes.splitlines():
        console.print(Text(line, style="yellow" if line.startswith("warning:") else "dim"))
    if dropped:
        console.print(Text(left_out(dropped, console.width), style="dim"))


def print_caveats(console: Console, data: Mapping[str, Any]) -> None:
    """The ``note:`` and ``warning:`` lines of a plan's JSON (``notes``, ``warnings``), as
    every command says them on stderr beside its ``--json``."""
    render.print_notes(console, data["notes"])
    render.print_warnings(console, data["warnings"])


def show_status(store: Path, rows: list[dict[str, Any]], *, default: Path) -> None:
    """The rungs' table: status, size, loss, time, throughput and a note; a failed, diverged
    or interrupted attempt that a later finished one of the same rung superseded is dim and names that run; and
    the work folders other than ``default`` that rungs ran in."""
    console = stdout_console()
    superseded = sum(row["superseded_by"] is not None for row in rows)
    rungs = len({(row["ladder"], row["rung"]) for row in rows})
    # a rung tried again under another config: two rows; a rung not started: no attempt
    attempts = sum(row["stored"] for row in rows)
    started = len({(row["ladder"], row["rung"]) for row in rows if row["stored"]})
    title = format_counted(rungs, "ladder rung")
    title += f" ({attempts} attempts at {started})" if attempts > started else ""
    title += f", {rungs - started} not started" if rungs > started else ""
    title += f" in {store}"
    if superseded:
        title += (
            f"; {superseded} failed, diverged or interrupted "
            f"{'attempt' if superseded == 1 else 'attempts'} superseded by a later "
            "finished one (dim)"
        )
    table = _table(title)
    for name in (
        "ladder",
        "rung",
        "status",
        "params",
        "tokens",
        "flops",
        "loss",
        "time",
        "tok/s",
        "note",
    ):
        table.add_column(
            name, justify="left" if name in ("ladder", "rung", "status", "note") else "right"
        )
    for row in rows:
        note = row["error"] or ""
        at = "" if row["step"] is None else f" at step {row['step']}/{row['steps']}"
        if row["status"] == "interrupted":  # its worker is gone: a rerun resumes it
            note = f"interrupted{at} ({_resumes(row['checkpoint_step'], 'a rerun ')})"
        elif row["status"] == "finishing":  # trained; the driver records it (or a rerun)
            note = "trained, being recorded (a rerun records it if its driver is gone)"
        elif row["status"] == "running":
            local = row["backend"] in ("local", "in-process")
            note = f"training{at}" if at or local else f"queued or starting ({row['backend']})"
        elif row["status"] == "pending":  # a rung of the config not in the store
            note = "not started"
        elif row["resumed_from_step"]:
            note = f"resumed from step {row['resumed_from_step']}"
        if row["superseded_by"] is not None:
            note = f"superseded by {row['superseded_by']}, finished later" + (
                f" (this attempt: {note})" if note else ""
            )
        table.add_row(
            Text(row["ladder"]),
            Text(row["rung"]),
            Text(row["status"]),
            "—" if row["params"] is None else render.count(row["params"]),
            "—" if row["tokens"] is None else render.count(row["tokens"]),
            "—" if row["flops"] is None else render.flops(row["flops"]),
            "—" if row["loss"] is None else format_loss(row["loss"]),
            "—" if row["wall_s"] is None else plan.duration(row["wall_s"]),
            "—" if row["tokens_per_s"] is None else render.count(row["tokens_per_s"]),
            Text(note),
            style="dim" if row["superseded_by"] is not None else None,
        )
    console.print(table)
    elsewhere = {r["workdir"] for r in rows if r["stored"] and r["status"] != "finished"}
    for where in sorted(w for w in elsewhere if w and Path(w).resolve() != default.resolve()):
        console.print(Text(f"work folders in {where} (the --workdir the rungs ran with)"))


def show_no_rungs(store: Path, n_runs: int) -> None:
    """What ``ladder status`` says of a store that holds no ladder rung: how many other runs
    it holds (ingested ones) and the command that lists them, in place of an empty table."""
    if n_runs:
        held = (
            "its 1 run is not a ladder rung"
            if n_runs == 1
            else f"its {n_runs} runs are not ladder rungs"
        ) + " (ingested or imported)"
        then = f"list them with scalinglab runs --store {store}"
    else:
        held, then = (
            "it holds no run",
            "scalinglab ladder run --store STORE trains a ladder into it",
        )
    stdout_console().print(Text(f"no ladder rung in {store}: {held}; {then}"))


def _resumes(checkpoint_step: int | None, who: str) -> str:
    """Where a rerun picks a stopped rung up: its checkpoint's step, not the last report's
    (``None``: a worker that did not report it)."""
    if checkpoint_step is None:
        return f"{who}resumes from its last checkpoint"
    if checkpoint_step == 0:
        return f"no checkpoint yet: {who}starts from step 0"
    return f"{who}resumes from its checkpoint at step {checkpoint_step}"


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
