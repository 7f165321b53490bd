"""What ``scalinglab ladder plan`` and ``ladder status`` print: their tables."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich import box
from rich.table import Table
from rich.text import Text

from scalinglab.cli import _ladder_plan as plan
from scalinglab.cli import _render as render
from scalinglab.cli._render import stdout_console

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec

__all__ = ["show_plan", "show_status", "status_rows"]


def show_plan(spec: LadderSpec, rows: list[dict[str, Any]], rate: float, why: str) -> None:
    """The plan's table of rungs, its total and the ladder's notes."""
    console = stdout_console()
    table = _table(f"ladder {spec.name}: {len(rows)} rungs")
    heads = (
        "rung",
        "width",
        "depth",
        "params",
        "non-emb",
        "tokens",
        "D/N",
        "steps",
        "batch",
        "lr",
        "FLOPs",
        "6ND",
        "est. time",
    )
    for name in heads:
        table.add_column(name, justify="left" if name == "rung" else "right", no_wrap=True)
    for r in rows:
        table.add_row(
            Text(r["name"]),
            str(r["width"]),
            str(r["depth"]),
            render.count(r["params"]),
            render.count(r["params_non_embedding"]),
            render.count(r["tokens"]),
            f"{r['tokens_per_param']:.1f}",
            str(r["steps"]),
            str(r["batch_size"]),
            f"{r['lr']:.3g}",
            render.flops(r["flops"]),
            render.flops(r["flops_6nd"]),
            plan.duration(r["est_s"]),
        )
    console.print(table)
    total = sum(r["flops"] for r in rows)
    console.print(
        Text(
            f"total {render.flops(total)} FLOPs, about {plan.duration(total / rate)} ({why}); "
            "FLOPs are exact matmul counts, 6ND uses non-embedding N; batch in sequences of "
            f"{rows[0]['context']} tokens"
        )
    )
    for line in spec.notes.splitlines():
        console.print(Text(line, style="yellow" if line.startswith("warning:") else "dim"))


def status_rows(runs: Iterable[Any], ladder: str | None, workdir: Path) -> list[dict[str, Any]]:
    """One row per ladder rung among ``runs`` (only ``ladder``'s when given), oldest first,
    with the progress a running rung last wrote under ``workdir``; a failed row's
    ``superseded_by`` is the run id of a later attempt of the same rung that finished."""
    from scalinglab.execute._backend import read_progress

    # (a run ingested without a source reads back NaN there, hence the isinstance)
    runs = [r for r in runs if isinstance(r.source, str) and r.source.startswith("ladder:")]
    if ladder is not None:
        runs = [r for r in runs if r.source == f"ladder:{ladder}"]
    rows: list[dict[str, Any]] = []
    for r in runs:
        training = dict(r.extra.get("training") or {})
        progress = read_progress(workdir / r.run_id) if r.status != "finished" else None
        rows.append(
            {
                "ladder": str(r.source)[len("ladder:") :],
                "name": r.name,
                "run_id": r.run_id,
                "status": r.status,
                "params": r.params,
                "tokens": r.tokens,
                "flops": r.flops,
                "loss": r.loss,
                "wall_s": r.wall_s,
                "tokens_per_s": r.tokens_per_s,
                "steps": training.get("steps"),
                "step": progress.step if progress else None,
                "resumed_from_step": training.get("resumed_from_step"),
                "error": (r.extra.get("error") or {}).get("message"),
                "superseded_by": None,
            }
        )
    _mark_superseded(rows)
    return rows


def _mark_superseded(rows: list[dict[str, Any]]) -> None:
    """Set ``superseded_by`` of each failed row (oldest first) to the run id of a later
    attempt of the same rung (same ladder and name, another config) that finished."""
    finished: dict[tuple[str, str], str] = {}
    for row in reversed(rows):
        key = (row["ladder"], row["name"])
        if row["status"] == "failed" and key in finished:
            row["superseded_by"] = finished[key]
        elif row["status"] == "finished":
            finished[key] = row["run_id"]


def show_status(store: Path, rows: list[dict[str, Any]]) -> None:
    """The rungs' table: status, size, loss, time, throughput and a note; a failed attempt
    that a later finished one of the same rung superseded is dim and names that run."""
    console = stdout_console()
    superseded = sum(row["superseded_by"] is not None for row in rows)
    rungs = len({(row["ladder"], row["name"]) for row in rows})
    attempts = len(rows)  # a rung tried again under another config: two rows
    title = f"{rungs} ladder rung(s)" + (f" ({attempts} attempts)" if attempts > rungs else "")
    title += f" in {store}"
    if superseded:
        title += f"; {superseded} failed attempt(s) superseded by a later finished one (dim)"
    table = _table(title)
    for name in (
        "ladder",
        "rung",
        "status",
        "params",
        "tokens",
        "FLOPs",
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
        if row["step"] is not None and row["status"] != "finished":
            note = f"step {row['step']}/{row['steps']} (last checkpoint resumes)"
        elif row["resumed_from_step"]:
            note = f"resumed from step {row['resumed_from_step']}"
        if row["superseded_by"] is not None:
            note = f"superseded by {row['superseded_by']}, finished later" + (
                f" (this attempt: {note})" if note else ""
            )
        table.add_row(
            Text(row["ladder"]),
            Text(row["name"]),
            Text(row["status"]),
            "—" if row["params"] is None else render.count(row["params"]),
            "—" if row["tokens"] is None else render.count(row["tokens"]),
            "—" if row["flops"] is None else render.flops(row["flops"]),
            "—" if row["loss"] is None else render.number(row["loss"]),
            "—" if row["wall_s"] is None else plan.duration(row["wall_s"]),
            "—" if row["tokens_per_s"] is None else render.count(row["tokens_per_s"]),
            Text(note),
            style="dim" if row["superseded_by"] is not None else None,
        )
    console.print(table)


def _table(title: str) -> Table:
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
