"""``scalinglab ladder plan | run | status``: model ladders from the command line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab._extras import install_hint
from scalinglab.cli import _ladder_backends as backends
from scalinglab.cli import _ladder_views as views
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._cmd_ladder_plan import (
    HparamsFit,
    HparamsPreset,
    Recipe,
    RungsJson,
    plan_command,
    recipe_of,
)
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.execute._workdirs import check_corpora, default_workdir

__all__ = ["register"]

ladder_app = typer.Typer(
    help="Train ladders of GPT models and record them in a run store.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_BACKENDS = backends.BACKENDS


Store = Annotated[Path, typer.Option(help="The run store (.duckdb).")]
Workdir = Annotated[
    Path | None,
    typer.Option(
        help="Parent of the rungs' work folders (checkpoints, progress) [default: the one "
        "the store recorded for a rung, else <store>.wd beside the store; a checkpoint in "
        "the old default, .scalinglab/runs in the current directory, is still resumed].",
        show_default=False,
    ),
]


ladder_app.command("plan")(plan_command)


@ladder_app.command("run")
def run_command(
    recipe: Recipe,
    store: Store = Path("scalinglab.duckdb"),
    backend: Annotated[str, typer.Option(help="local, ray, slurm or in-process.")] = "local",
    workdir: Workdir = None,
    predict_top: Annotated[
        bool,
        typer.Option(
            "--predict-top",
            help="Train all but the largest rung, fit them, print the largest rung's predicted "
            "loss with an interval, then train it and print the actual loss and the error.",
        ),
    ] = False,
    gpus: Annotated[
        str,
        typer.Option(
            help="local: GPU ids to use (0,1,...), 'auto' (every visible GPU; with none "
            "visible, rungs the plan estimates over 1 h on the CPU are refused) or 'none' "
            "(train on the CPU)."
        ),
    ] = "auto",
    parallel: Annotated[
        int | None,
        typer.Option(
            help="Rungs at once: CPU rungs (local, default 1), tasks (ray, default 8), "
            "array jobs running at once (slurm, default 64)."
        ),
    ] = None,
    address: Annotated[
        str | None, typer.Option(help="ray: cluster address ('auto' for `ray start`).")
    ] = None,
    partition: Annotated[str | None, typer.Option(help="slurm: the partition.")] = None,
    gpus_per_rung: Annotated[
        float | None,
        typer.Option(
            help="ray/slurm: GPUs per rung (default: 1 if the rungs may use a GPU and, for "
            'ray, the cluster has GPUs; 0 for rungs with device = "cpu"); slurm: whole GPUs.'
        ),
    ] = None,
    timeout_min: Annotated[
        int, typer.Option(help="slurm: time limit per job; longer rungs requeue and resume.")
    ] = 24 * 60,
    cluster: Annotated[
        str | None,
        typer.Option(
            help="slurm: submitit cluster: slurm (default; needs sbatch), 'local' to test "
            "without SLURM, or debug."
        ),
    ] = None,
    hparams: HparamsFit = None,
    hparams_preset: HparamsPreset = None,
    as_json: params.Json = False,
) -> None:
    """Train a ladder's rungs that the store does not hold finished; safe to rerun after a kill."""
    from scalinglab.execute import ConsoleEvents, run_ladder
    from scalinglab.execute._events import summarize_prediction
    from scalinglab.store import RunStore

    given = [("LADDER", Path(recipe) if Path(recipe).is_file() else None), ("--hparams", hparams)]
    opt.check_output(store, option="--store", kind="store", inputs=given)
    spec, _ = recipe_of(recipe, hparams, hparams_preset)
    # before the store is touched, as run_ladder does before any worker; prepared (as
    # run_ladder does) only where rungs train here, not on a cluster's login node
    check_corpora(spec, prepare=backend in ("local", "in-process"))
    if backend not in _BACKENDS:
        raise ConfigError(
            f"unknown --backend {backend!r}{did_you_mean(backend, _BACKENDS)}",
            hint=f"use one of {', '.join(_BACKENDS)}",
        )
    if backend in ("local", "in-process") and importlib.util.find_spec("torch") is None:
        raise ConfigError(
            "training a ladder needs PyTorch, which is not installed",
            hint="install PyTorch and the training extra: " + install_hint("train"),
        )
    if parallel is not None and parallel < 1:
        raise ConfigError(
            f"--parallel must be at least 1, got {parallel}",
            hint="--parallel 1 trains one rung at a time; leave it out for the backend's default",
        )
    backends.check_backend_options(
        backend, gpus_per_rung=gpus_per_rung, timeout_min=timeout_min, cluster=cluster
    )
    if backend in ("local", "in-process"):
        backends.check_device(spec, gpus)  # before the store is touched: nothing is written
    runs = RunStore(store)
    runs.check()  # fail now, not after the first rung, on a bad or newer store
    if backend in ("local", "in-process"):  # hours on the CPU by surprise: nothing written
        backends.check_cpu_fallback(spec, gpus, store)
    engine = backends.make_backend(
        backend,
        gpus=gpus,
        parallel=parallel,
        address=address,
        partition=partition,
        timeout_min=timeout_min,
        cluster=cluster,
        slurm_folder=backends.slurm_folder(store, workdir),
        gpus_per_rung=gpus_per_rung,
    )
    from scalinglab.cli._ladder_run_views import interrupted_error, print_summary, run_json
    from scalinglab.execute import LadderInterrupted

    try:
        with engine, ConsoleEvents(stderr_console()) as events:
            report = run_ladder(
                spec,
                store=runs,
                backend=engine,
                workdir=workdir,
                predict_top=predict_top,
                events=events,
            )
    except LadderInterrupted as err:  # what finished, as JSON; where to resume, on stderr
        if as_json:
            stored = {r.run_id: r for r in runs.runs()}
            data = run_json(
                err.report, store=store, stored=stored, interrupted=err, rungs=spec.rungs
            )
            sys.stdout.write(opt.dumps(data) + "\n")
        # not a KeyboardInterrupt from here: Typer would swallow it into a bare exit 130
        raise interrupted_error(err, store=store, rungs=len(spec.rungs)) from err
    stored = {r.run_id: r for r in runs.runs()}
    if as_json:
        sys.stdout.write(opt.dumps(run_json(report, store=store, stored=stored)) + "\n")
        if report.failed:
            raise typer.Exit(1)
        return
    console = stdout_console()
    default = default_workdir(store) if workdir is None else workdir
    print_summary(console, report, store=store, stored=stored, default=default)
    if report.prediction is not None:
        console.print(Text(summarize_prediction(report.prediction)), soft_wrap=True)
    if report.failed:
        raise typer.Exit(1)


@ladder_app.command("status")
def status_command(
    store: Store = Path("scalinglab.duckdb"),
    ladder: Annotated[
        str | None,
        typer.Option(
            help="Only this ladder's rungs: a ladder in the store, or a recipe or .toml file "
            "(its rungs not yet started are listed as pending)."
        ),
    ] = None,
    workdir: Workdir = None,
    as_json: RungsJson = False,
) -> None:
    """The ladder rungs in a store: status, size, loss, throughput, and progress of running ones."""
    from scalinglab.cli._ladder_status import status_rows
    from scalinglab.store import RunStore

    default = default_workdir(store)
    runs = RunStore(store).runs()
    rows = status_rows(runs, ladder, workdir, default=default)
    if as_json:
        data = {"format": "scalinglab.ladder_status/1", "store": str(store), "rungs": rows}
        sys.stdout.write(opt.dumps(data) + "\n")
        return
    if not rows:  # an empty table would leave a store of ingested runs looking empty
        views.show_no_rungs(store, len(runs))
        return
    views.show_status(store, rows, default=default)


def register(app: typer.Typer) -> None:
    """Add the ``ladder`` command group to ``app``."""
    app.add_typer(ladder_app, name="ladder")
