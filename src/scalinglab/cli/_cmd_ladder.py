"""``scalinglab ladder plan | run | status``: model ladders from the command line."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from scalinglab._errors import ConfigError
from scalinglab._extras import install_hint
from scalinglab.cli import _ladder_backends as backends
from scalinglab.cli import _ladder_plan as plan
from scalinglab.cli import _ladder_views as views
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.execute._workdirs import check_corpora, default_workdir

__all__ = ["register"]

ladder_app = typer.Typer(
    help="Train ladders of GPT models and record them in a run store.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_BACKENDS = backends.BACKENDS

HparamsFit = Annotated[
    Path | None,
    typer.Option("--hparams", help="Take every rung's lr and batch from this `hparams fit` law."),
]
HparamsPreset = Annotated[
    str | None,
    typer.Option(help="Take every rung's lr and batch from a preset: steplaw2025, ..."),
]


def _recipe(recipe: str, hparams: Path | None, hparams_preset: str | None) -> tuple[Any, Any]:
    """The recipe's ladder, with lr and batch from a hyperparameter law when one is given,
    and that law (``None`` where none is)."""
    from scalinglab.cli._hparams_rule import load_rule
    from scalinglab.ladder import get_recipe

    spec = get_recipe(recipe)
    rule = load_rule(hparams, hparams_preset)
    if rule is None:
        return spec, None
    from scalinglab.hparams._ladder import with_hparams

    return with_hparams(spec, rule), rule


Recipe = Annotated[
    str,
    typer.Argument(
        metavar="LADDER",
        help="A built-in recipe (tiny, chinchilla-tiny, isoflop-tiny, gpu) or a .toml file.",
        show_default=False,
    ),
]
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


@ladder_app.command("plan")
def plan_command(
    recipe: Recipe,
    flops_per_s: Annotated[
        str | None,
        typer.Option(
            metavar="FLOP/S",
            help="Training speed for the time estimate, units allowed: 400T, 3e10 [default: "
            "measured by the finished "
            "rungs of --store on this kind of device, else assumed: a GPU's 1e14 FLOP/s, or "
            "8 ms a step plus 5.5e10 FLOP/s on a CPU].",
            show_default=False,
        ),
    ] = None,
    store: Annotated[
        Path | None,
        typer.Option(
            help="A run store whose finished ladder rungs on this kind of device (CPU or GPU) "
            "measure the speed the estimate assumes.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rungs as JSON.")] = False,
    hparams: HparamsFit = None,
    hparams_preset: HparamsPreset = None,
    out: params.OutPlan = None,
) -> None:
    """Dry run: the rungs of a ladder with their sizes, budgets, compute and estimated time."""
    if out is not None:  # before any work, never over what it reads
        given = [("LADDER", Path(recipe) if Path(recipe).is_file() else None),
                 ("--store", store), ("--hparams", hparams)]  # fmt: skip
        opt.check_output(out, option="--out", inputs=given, what="the plan",
                         example="ladder_plan.json", kind_format=plan.PLAN_FORMAT)  # fmt: skip
    spec, rule = _recipe(recipe, hparams, hparams_preset)
    check_corpora(spec)  # what `ladder run` would refuse, from file sizes: nothing prepared
    if flops_per_s is not None:
        if store is not None:
            raise ConfigError(
                "give --flops-per-s or --store, not both: each sets the speed the estimate uses",
                hint="--store to estimate from its measured rungs, --flops-per-s to assume one",
            )
        # units as every size and compute option reads them: 400T is 4e14
        example = "e.g. --flops-per-s 3e10 (one CPU thread), 1e14 or 400T (a GPU)"
        rate = opt.quantity("--flops-per-s", flops_per_s, hint=example)
        speed = plan.Speed(rate, 0.0, "given by --flops-per-s", on_cpu=False)
    else:
        speed = plan.plan_speed(spec, store)  # a store not yet written: none finished
    rows = plan.plan_rows(spec, done=plan.store_finished(spec, store))
    for row in rows:  # a rung finished in --store is skipped by `ladder run`: no time
        row["est_s"] = 0.0 if row["finished"] else speed.estimate_s(row["flops"], row["steps"])
    origin = f"--hparams {hparams}" if hparams else f"--hparams-preset {hparams_preset}"
    data = plan.plan_json(spec, speed, rows, source=plan.plan_source(recipe, rule, origin=origin))
    if as_json:  # JSON alone on stdout; "wrote plan: ..." and the text's lines on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="plan")
        views.print_caveats(stderr_console(), data)
        return
    views.show_plan(spec, rows, speed.why)
    if out is not None:
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="plan")


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
    spec, _ = _recipe(recipe, hparams, hparams_preset)
    # before the store is touched, as run_ladder does before any worker; prepared (as
    # run_ladder does) only where rungs train here, not on a cluster's login node
    check_corpora(spec, prepare=backend in ("local", "in-process"))
    if backend not in _BACKENDS:
        raise ConfigError(
            f"unknown --backend {backend!r}", hint=f"use one of {', '.join(_BACKENDS)}"
        )
    if backend in ("local", "in-process") and importlib.util.find_spec("torch") is None:
        raise ConfigError(
            "training a ladder needs PyTorch, which is not installed",
            hint="install PyTorch and the training extra: " + install_hint("train"),
        )
    if parallel is not None and parallel < 1:
        raise ConfigError(f"--parallel must be at least 1, got {parallel}")
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the rungs as JSON.")] = False,
) -> None:
    """The ladder rungs in a store: status, size, loss, throughput, and progress of running ones."""
    from scalinglab.cli._ladder_status import status_rows
    from scalinglab.store import RunStore

    default = default_workdir(store)
    rows = status_rows(RunStore(store).runs(), ladder, workdir, default=default)
    if as_json:
        data = {"format": "scalinglab.ladder_status/1", "store": str(store), "rungs": rows}
        sys.stdout.write(opt.dumps(data) + "\n")
        return
    views.show_status(store, rows, default=default)


def register(app: typer.Typer) -> None:
    """Add the ``ladder`` command group to ``app``."""
    app.add_typer(ladder_app, name="ladder")
