"""``scalinglab runs``: what a run store holds; ``scalinglab runs rm``: take runs out of it."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._render import print_notes, stderr_console, stdout_console
from scalinglab.cli._runs_views import (
    RUNS_ROWS,
    print_runs,
    print_scores,
    run_scores,
    stored_scores,
)
from scalinglab.cli._status_option import status_option

if TYPE_CHECKING:
    from scalinglab.store import RunStore, StoredRun

__all__ = ["register"]

runs_app = typer.Typer(
    help="List the runs in a run store (size, tokens, compute, loss, lr, batch, evaluations "
    "and where each came from), or remove some with `runs rm`.",
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
)

Store = Annotated[Path, typer.Option(help="The run store (.duckdb).")]


def runs_command(
    ctx: typer.Context,
    store: Store = Path("scalinglab.duckdb"),
    status: Annotated[
        str | None,
        typer.Option(
            help="Only runs with this status: pending, running, finishing, interrupted (a "
            "ladder rung stopped: a rerun resumes it), finished, failed or diverged."
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            metavar="COLUMN=VALUE",
            help="Only the runs with this value (dataset=c4, source=runs.csv, lr=0.003): "
            "a run's name (run=NAME, as fit --where reads it, or name=NAME), status, source, "
            "corpus, lr or batch as listed (whatever key the run keeps them under: a ladder "
            "rung's train.lr), or a value of its config (train.lr=0.003); extra.KEY or "
            "config.KEY reads that key of the run's extra or config only, as --json nests "
            "them. A number is read at the digits the table shows it to. "
            f"{params.WHERE_COMPARE} A comparison reads the stored number (params, tokens, "
            "flops, loss, lr, batch, a number of the config). Repeat to require several.",
        ),
    ] = None,
    evals: Annotated[
        bool, typer.Option("--evals", help="Also list each run's stored evaluation scores.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the runs as JSON.")] = False,
    limit: Annotated[
        int | None,
        typer.Option(
            min=0,
            help=f"Runs listed, the first by size (0: every one) [default: {RUNS_ROWS} on a "
            "terminal, every run when piped; --json lists them all].",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the runs in a run store by size (params, then tokens): size, tokens, compute,
    loss, lr, batch, evaluated tasks and where each came from (a file ingested by a relative
    path as its full path, or relative to this folder where it lies below it; in ``--json``
    always its full path): the text ``--where source=`` and ``runs rm --source`` take."""
    if ctx.invoked_subcommand is not None:
        return
    from scalinglab.store import RunStore
    from scalinglab.store._listing import by_size, where_runs
    from scalinglab.store._rung_status import shown_statuses
    from scalinglab.store._sources import shown_source
    from scalinglab.store._status_where import (
        none_shown_line,
        shown_otherwise_note,
        stored_otherwise,
    )

    rs = RunStore(store)
    wanted = status_option(status)
    stored = rs.runs()
    # a ladder rung stopped or whose worker is gone is shown as `ladder status` shows it,
    # and --status and --where status= both select by that shown status
    shown = shown_statuses(stored, store=store)
    chosen = [r for r in stored if wanted is None or shown[r.run_id] == wanted]
    # a rung stored `pending` is shown `interrupted`: --status pending says where it went
    notes = []
    if wanted is not None and (otherwise := stored_otherwise(stored, shown, wanted)):
        notes.append(shown_otherwise_note(wanted, otherwise))
    # --status that lists none: said in place of a table's head alone (--where narrows none)
    none = ""
    if not chosen:  # an empty store said so too, where a table's head alone was printed
        none = none_shown_line(wanted, by_size(stored), shown, store=str(store))
    pairs = opt.where_pairs(where)
    runs = [] if none else by_size(where_runs(chosen, pairs, str(store), statuses=shown))
    scores = stored_scores(rs.evals(), runs)
    if as_json:
        rows = [
            {
                **r.to_dict(),
                "status": shown[r.run_id],
                "source": shown_source(r.source, r.extra, full=True),
                **({"evals": run_scores(scores, r.run_id)} if evals else {}),
            }
            for r in runs
        ]
        data = {"format": "scalinglab.runs/1", "store": str(store), "runs": rows}
        sys.stdout.write(opt.dumps(data) + "\n")
        print_notes(stderr_console(), [none, *notes] if none else notes)  # JSON alone on stdout
        return
    counted = scores.groupby("run_id")["task"].nunique()
    tasks = {str(k): int(v) for k, v in counted.items()}
    if limit is None:  # a terminal shows the first; a pipe (grep, a file) gets every run
        limit = RUNS_ROWS if stdout_console().is_terminal else 0
    title = f"{format_counted(len(runs), 'run')} in {store}"
    if none:
        stdout_console().print(Text(none), soft_wrap=True)
    else:
        print_runs(runs, tasks, title=title, statuses=shown, limit=limit)
    if evals and not none:
        print_scores(runs[:limit] if limit else runs, scores)
    print_notes(stdout_console(), notes)


def _rm_store(ctx: typer.Context, store: Path | None) -> Path:
    """The store ``runs rm`` edits: its own ``--store``, else the one given to ``runs``
    (``runs --store A rm RUN``: the group's option), else the default. Both given is
    refused before this, as any option given twice (``_repeats``)."""
    if store is not None:
        return store
    parent = ctx.parent
    return Path(parent.params["store"]) if parent is not None else Path("scalinglab.duckdb")


def rm_command(
    ctx: typer.Context,
    runs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[RUN]...",
            help="Runs to remove, each by name (as `scalinglab runs` lists it) or id; with "
            "--source or --where, only those of them they select too.",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="The run store (.duckdb); the one given to `runs --store` when left out "
            "(default scalinglab.duckdb).",
            show_default=False,
        ),
    ] = None,
    source: Annotated[
        Path | None,
        typer.Option(
            help="Remove every run stored from this file or folder (the source column of "
            "`scalinglab runs` run from the same folder: a file ingested by a relative path "
            "shows as its full path, or relative to the folder it runs in where it lies below); "
            "with RUN or --where, only the runs they select that came from it."
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            metavar="COLUMN=VALUE",
            help="Remove every run with this value, as `scalinglab runs --where` selects "
            "them (run=NAME, status=failed, dataset=c4), or whose number meets a comparison "
            "('params<1e7'; quote it in the shell); --dry-run lists them first; repeat to "
            "require several; with RUN or --source, only the runs they select that have it.",
        ),
    ] = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="List the runs that would be removed, and remove nothing."),
    ] = False,
    as_json: params.Json = False,
) -> None:
    """Remove runs from a run store, with their curves and evaluations, in one transaction;
    a run that is not there, or a name two runs share, removes nothing (with --source or
    --where: a name two of the runs they select share). RUN, --source and --where given
    together remove only the runs every one of them selects. Of the options of `runs`, only
    --store and --json may come before rm."""
    from scalinglab.cli._runs_rm_group import check_group_options, group_json
    from scalinglab.store import RunStore
    from scalinglab.store._listing import by_size
    from scalinglab.store._sources import shown_source

    check_group_options(ctx)  # runs --where x=1 rm: a filter the delete would not apply
    store = _rm_store(ctx, store)
    as_json = as_json or group_json(ctx)
    if not (runs or source or where):  # the library's message cannot name --where
        msg = "name the runs to remove, a --source whose runs to remove, or --where COLUMN=VALUE"
        at = shlex.quote(str(store))
        raise ConfigError(
            msg,
            hint=f"`scalinglab runs --store {at}` lists the runs; then `scalinglab runs rm "
            f"--store {at}` with NAME... (as listed), --source FILE (every run ingested from "
            "it) or --where COLUMN=VALUE (as `runs --where` selects); --dry-run lists them first",
        )
    rs = RunStore(store)
    gone, left = _removed(rs, runs or [], source=source, where=where or [], dry_run=dry_run)
    gone = by_size(gone)  # in the order `scalinglab runs` lists them: smallest first
    if as_json:  # each run by id too: two runs may share a name
        listed = [
            {
                "run": r.name,
                "run_id": r.run_id,
                "source": shown_source(r.source, r.extra, full=True),
            }
            for r in gone
        ]
        data = {"format": "scalinglab.runs_rm/2", "store": str(store), "dry_run": dry_run,
                "removed": listed}  # fmt: skip
        sys.stdout.write(opt.dumps(data) + "\n")
        print_notes(stderr_console(), [left] if left else [])  # stdout holds the JSON alone
        return
    if dry_run:
        title = f"would remove {format_counted(len(gone), 'run')} from {store} (--dry-run: nothing removed)"
    else:
        title = f"removed {format_counted(len(gone), 'run')} from {store}"
    print_runs(gone, {}, title=title)
    ids = [r.run_id for r in gone]
    if ids:  # a name may be shared: the ids name each run removed
        stdout_console().print(Text(f"run ids: {', '.join(ids)}"), soft_wrap=True)
    print_notes(stdout_console(), [left] if left else [])


def _removed(
    rs: RunStore, runs: list[str], *, source: Path | None, where: list[str], dry_run: bool
) -> tuple[list[StoredRun], str]:
    """The runs ``runs rm`` removes (with ``dry_run``: would remove): those every selection
    given selects, the names, the source and each ``--where``, never their union; and the
    note naming the runs named that ``--source`` left out (``""``: none).

    Raises:
        ConfigError: If the named runs or the source's meet no ``--where``.
    """
    if not where:
        return rs._removal(runs, source=source, dry_run=dry_run)
    ids, left = _where_ids(rs, where), ""
    if runs or source is not None:  # each checked as for removal
        given, left = rs._removal(runs, source=source, dry_run=True, among=ids)
        met, kept = set(ids), " ".join(f"--where {shlex.quote(w)}" for w in where)
        out = [r.name for r in given if r.run_id not in met] if runs else []
        ids = [r.run_id for r in given if r.run_id in met]
        if out and ids:  # the named runs --where leaves out are said, as --source's
            left = "; ".join([*([left] if left else []), f"{format_counted(len(out), 'named run')} not meeting "
                              f"{kept}, so left out: {', '.join(out)}"])  # fmt: skip
        if not ids:
            said = " ".join(
                [*([f"named {', '.join(runs)}"] if runs else []),
                 *([f"stored from {source}"] if source is not None else [])]
            )  # fmt: skip
            raise ConfigError(
                f"runs rm: {'the 1 run' if len(given) == 1 else f'none of the {len(given)} runs'} "
                f"{said} {'does not meet' if len(given) == 1 else 'meets'} {kept} in {rs.path}; "
                "nothing removed",
                hint="RUN, --source and --where together remove only the runs all of them "
                f"select: `scalinglab runs --store {rs.path} {kept}` lists those --where does",
            )
    return rs._removal(ids, source=None, dry_run=dry_run)[0], left


def _where_ids(rs: RunStore, where: list[str]) -> list[str]:
    """The ids of the runs ``runs --where`` lists (by their shown status, as it selects)."""
    from scalinglab.store._listing import where_runs

    return [r.run_id for r in where_runs(rs.runs(), opt.where_pairs(where), str(rs.path))]


def register(app: typer.Typer) -> None:
    """Add ``runs`` and ``runs rm`` to ``app``."""
    runs_app.callback()(runs_command)
    runs_app.command("rm")(rm_command)
    app.add_typer(runs_app, name="runs")
