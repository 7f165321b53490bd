"""``scalinglab ingest``: runs and curves from a tracker (or a run table) into a run store."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_counted, format_grouped
from scalinglab.cli import _options as opt
from scalinglab.cli import _render as render
from scalinglab.cli._render import stderr_console, stdout_console

if TYPE_CHECKING:
    from scalinglab.ingest import EvalsIngestResult

__all__ = ["register"]

_NOTES = 12  # notes printed below the summary, at most
#: The "format" of what --json prints, runs or scores alike (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.ingest/1"


def ingest_command(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE",
            help="W&B export (.csv/.json), MLflow mlruns/ or mlflow.db, TensorBoard log folder, "
            "Ray Tune experiment folder, a run table (.csv .parquet .jsonl), or scores of "
            "stored runs: lm-evaluation-harness results (a folder of results*.json) or an "
            "evaluation table (run, task, metric, value; or run and acc_<task> columns).",
            show_default=False,
        ),
    ],
    store: Annotated[Path, typer.Option(help="The run store (.duckdb); created if missing.")] = (
        Path("scalinglab.duckdb")
    ),
    kind: Annotated[
        str | None,
        typer.Option(
            help="wandb, mlflow, tensorboard, raytune, table, lm-eval or evals [default: detected]."
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None,
        typer.Option(
            "--map",
            metavar="NAME=METRIC",
            help="Read a quantity from a metric or config name: params=model/n_params, "
            "loss=eval/loss (quantities: params, params_non_embedding, tokens, flops, loss, "
            "train_loss, lr); run=COLUMN names a table's run column, an evaluation "
            "table's too (model, task, metric, value).",
        ),
    ] = None,
    final: Annotated[
        str | None,
        typer.Option(
            help="Final value of a curve: last, min, or mean:K (mean of last K points) "
            "[default: last; a run table keeps its own values].",
            show_default=False,
        ),
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            help="Every logged point (.parquet .csv .tsv .jsonl): a W&B history export, or "
            "loss curves of a run table (run, step, loss, lr, tokens: many rows per run, "
            "matched to the table's runs by name)."
        ),
    ] = None,
    on_conflict: Annotated[
        str | None,
        typer.Option(
            help="A stored run whose values changed: replace it, or keep it and report "
            "[default: replace].",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Read runs and whole loss curves into a run store, or evaluations of stored runs;
    a second ingest adds nothing."""
    from scalinglab.ingest import EvalsIngestResult, ingest

    read = [("SOURCE", source), ("--history", history)]
    opt.check_output(store, option="--store", kind="store", inputs=read, example="runs.duckdb")
    columns = opt.parse_pairs(mapping, option="--map", example="params=model/n_params")
    err_console = stderr_console()
    show = not as_json and err_console.is_terminal
    with render.FitProgress(err_console, enabled=show) as bar:
        result = ingest(
            source,
            store=store,
            kind=kind,
            mapping=columns,
            final=final,
            history=history,
            on_conflict=on_conflict,
            progress=lambda done, total: bar(f"reading {source.name}", done, total),
        )
    if as_json:
        sys.stdout.write(opt.dumps({"format": FORMAT, **result.to_dict()}) + "\n")
        return
    if isinstance(result, EvalsIngestResult):  # scores of stored runs (ingest decides)
        _show_evals(result)
        return
    console = stdout_console()
    written = result.written
    counts = {
        "added": len(written.added), "updated": len(written.updated),
        "filled in": len(written.filled), "unchanged": len(written.unchanged), "moved": len(written.moved),
        "conflicts": len(written.conflicts), "skipped": len(result.skipped),
    }  # fmt: skip
    console.print(
        Text(
            f"read {format_counted(result.runs_read, 'run')} from {result.source} ({result.kind}) into "
            f"{result.store}: {_counted(counts)}"
        ),
        soft_wrap=True,
    )
    table = Table()
    shown = {k: n for k, n in counts.items() if k != "filled in" or n}  # a column when any
    for name in (*shown, "curve points"):
        table.add_column(name, justify="right")
    table.add_row(*map(str, shown.values()), format_grouped(written.curve_points))
    console.print(table)
    if result.mapping:
        pairs = ", ".join(f"{k} <- {v}" for k, v in result.mapping.items())
        console.print(Text(f"read: {pairs}"), soft_wrap=True)
    console.print(Text(f"final values: {_final(result.final)}"), soft_wrap=True)
    if written.evals is not None:  # tracker metrics named like tasks (hellaswag/acc, ...)
        scores = written.evals
        console.print(
            Text(
                f"evaluation scores: {scores.added} added, {scores.updated} updated, "
                f"{scores.unchanged} unchanged, of {format_counted(len(scores.runs), 'run')}"
            ),
            soft_wrap=True,
        )
    notes = list(result.notes)
    notes += [f"skipped {name}: {why}" for name, why in result.skipped[:10]]
    if len(result.skipped) > 10:
        notes.append(f"... and {len(result.skipped) - 10} more skipped")
    plain = [n for n in notes if not n.startswith("warning: ")]
    if len(plain) > _NOTES:  # a big table can raise a note per run: --json has them all
        kept = set(plain[:_NOTES])  # every warning is printed, whatever the notes' number
        notes = [n for n in notes if n in kept or n.startswith("warning: ")]
        notes.append(f"... and {len(plain) - _NOTES} more notes (see --json)")
    if notes:
        render.print_notes(console, notes)


def _final(final: str) -> str:
    """The header's words for how the final losses were taken."""
    if final == "table":
        return "the run table's (a table holds final values)"
    if final == "summary":
        return "the tracker's reported values (no curve of the loss)"
    return final


def _show_evals(result: EvalsIngestResult) -> None:
    """``scalinglab ingest lm-eval-results/`` (or an evaluation table): the scores stored
    next to their runs."""
    console = stdout_console()
    written = result.written
    counts = {"added": written.added, "updated": written.updated, "unchanged": written.unchanged}
    console.print(
        Text(
            f"read {format_counted(result.n_scores, 'score')}"
            + (
                f" and {format_counted(result.n_task_sizes, 'task size')} (n-samples)"
                if result.n_task_sizes
                else ""
            )
            + f" of {format_counted(result.n_models, 'model')} on "
            f"{format_counted(len(result.tasks), 'task')} from {result.source} ({result.kind}) "
            f"into {result.store}, "
            f"joined to {format_counted(len(written.runs), 'stored run')}: {_counted(counts)}"
        ),
        soft_wrap=True,
    )
    table = Table()
    for name in ("added", "updated", "unchanged"):
        table.add_column(name, justify="right")
    table.add_row(str(written.added), str(written.updated), str(written.unchanged))
    console.print(table)
    console.print(Text(f"tasks: {', '.join(result.tasks)}"), soft_wrap=True)
    render.print_notes(console, list(result.notes))


def _counted(counts: dict[str, int]) -> str:
    """What an ingest did, in words: the counts that are not 0 (``31 added, 1 skipped``),
    conflicts with what became of them (``1 conflict kept as stored``); ``nothing new``
    where everything read was stored as it is already, without a conflict."""
    # the table's column heads, as words of a count: `1 conflict`, `2 conflicts`
    said = ", ".join(f"{n} {what[:-1] if n == 1 and what.endswith('s') else what}"
                     + (" kept as stored" if what == "conflicts" else "")
                     for what, n in counts.items() if n)  # fmt: skip
    if (
        not (counts["added"] or counts["updated"] or counts.get("conflicts"))
        and counts["unchanged"]
    ):
        said += " (nothing new)"
    return said or "nothing stored"


def register(app: typer.Typer) -> None:
    """Add ``ingest`` to ``app``."""
    app.command("ingest")(ingest_command)
