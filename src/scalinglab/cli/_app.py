"""The Typer app: ``scalinglab fit``, ``plan``, ``laws`` and ``--version``.

Each command parses its options, calls the library, and hands the result to a view. Errors
are raised, never printed here: :func:`scalinglab.cli.main` is the one place that turns a
:class:`scalinglab.ScalingLabError` into a message and an exit code.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._errors import ConfigError, FitError, ScalingLabError
from scalinglab.cli import _law_choice as law_choice
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli import _views as views
from scalinglab.cli._render import stderr_console, stdout_console

__all__ = ["app", "stderr_console", "stdout_console"]

app = typer.Typer(
    name="scalinglab",
    help="Fit, backtest and plan with neural scaling laws.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        from scalinglab import __version__

        stdout_console().print(f"scalinglab {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Fit, backtest and plan with neural scaling laws."""


# -- fit -----------------------------------------------------------------------------------


@app.command("fit")
def fit_command(
    runs: Annotated[
        Path | None,
        typer.Argument(
            metavar="RUNS",
            help="Run table (.csv .tsv .parquet .jsonl .json). Without it: bundled real "
            "runs (--data).",
            show_default=False,
        ),
    ] = None,
    law: params.Law = "chinchilla",
    x: params.Symbols = None,
    y: params.YColumn = None,
    mapping: params.Mapping = None,
    loss: params.Objective = "huber",
    delta: params.Delta = 1e-3,
    space: params.Space = "log",
    bootstrap: Annotated[
        int,
        typer.Option(
            min=0, help="Bootstrap resamples for intervals (0: none; 1000 for final numbers)."
        ),
    ] = 200,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    drop_outliers: params.DropOutliers = False,
    store: Annotated[
        Path | None,
        typer.Option(help="Fit the finished runs of a run store (.duckdb) instead of RUNS."),
    ] = None,
    bundled: Annotated[
        str | None,
        typer.Option(
            "--data",
            metavar="NAME",
            help="Bundled runs to fit without RUNS: overtraining-c4 (Gadre et al. 2024, C4 "
            "validation loss), overtraining-rpj, overtraining-rw, or simulated "
            "[default: overtraining-c4].",
            show_default=False,
        ),
    ] = None,
    compare: Annotated[
        bool,
        typer.Option(
            help="Backtest the other catalog laws on the same runs and say in one line when "
            "one is clearly better (0.3 CPU s on the bundled runs).",
        ),
    ] = True,
    out: Annotated[Path | None, typer.Option(help="Save the fit as JSON.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a figure (.png, .svg or .pdf).")] = None,
    plot_format: params.Format = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the fit as JSON only.")] = False,
    budget: params.Compute = None,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Threads for the compiled solver [default: every core this process may use]; "
            "results do not depend on it.",
            show_default=False,
        ),
    ] = None,
    from_curves: Annotated[
        list[Path] | None,
        typer.Option(
            metavar="CURVES",
            help="Fit runs predicted from loss curves (run, step, lr, loss; or a run store "
            ".duckdb): the cooled-down "
            "loss at checkpoints of constant or WSD runs, by a curve law.",
        ),
    ] = None,
    cooldown: Annotated[
        float, typer.Option(help="With --from-curves: fraction of each run spent cooling down.")
    ] = 0.2,
    tokens_per_step: Annotated[
        float | None, typer.Option(help="With --from-curves: tokens per step.")
    ] = None,
) -> None:
    """Fit a scaling law to runs: parameters with bootstrap intervals, and a compute plan."""
    from scalinglab import fit

    out_console, err_console = stdout_console(), stderr_console()
    budgets = opt.budgets(budget)
    symbols, columns, target = opt.law_inputs(x, mapping, y)
    plot = opt.plot_path(plot, plot_format)
    if out is not None:
        opt.check_output(out, option="--out")

    from scalinglab.laws import get_law

    choose = law == law_choice.AUTO
    form = None if choose else get_law(law, columns=symbols)
    curve_notes: list[str] = []
    if from_curves:
        from scalinglab.cli._cmd_curves import runs_from_curves

        if runs is not None or store is not None or bundled is not None:
            raise ConfigError("give RUNS, --store, --data or --from-curves, not two of them")
        table, curve_notes = runs_from_curves(
            from_curves, cooldown=cooldown, tokens_per_step=tokens_per_step
        )
    else:
        if bundled is None and runs is None and store is None:
            from scalinglab.data import DEFAULT_DATA

            bundled = DEFAULT_DATA
        table = opt.load_runs(
            runs,
            command="fit",
            columns=columns,
            drop_outliers=drop_outliers,
            store=store,
            data=bundled,
        )
    choice: Any = None
    if form is None:
        choice = law_choice.auto_law(table, target or "loss", seed=seed)
        form = get_law(choice.chosen, columns=symbols)
    pending = None
    if compare and not choose:  # the law comparison runs on a thread while the law is fitted
        pending = law_choice.hint_in_background(form.name, table, target or "loss", seed=seed)
    show_progress = not as_json and err_console.is_terminal
    with render.FitProgress(err_console, enabled=show_progress) as progress:
        result = fit(
            form,
            table,
            loss=loss,
            delta=delta,
            space=space,
            x=symbols or None,
            y=target,
            bootstrap=bootstrap,
            level=level,
            seed=seed,
            progress=progress,
            threads=threads,
        )
    allocations, plan_note = _plan_rows(result, budgets)
    better = None
    if pending is not None:
        better, choice = pending.result()

    if result.simulated:
        render.simulated_banner(
            err_console if as_json else out_console,
            "a ladder drawn from a published law with noise; pass a RUNS file to fit your own",
        )
    if as_json:
        data = result.to_dict()
        if allocations:
            data["plan"] = [a.as_dict() for a in allocations]
        if choice is not None:
            data["law_choice"] = choice.to_dict()
        sys.stdout.write(opt.dumps(data) + "\n")
        render.print_solver_note(err_console, result.solver)
    else:
        if choice is not None and choose:
            render.print_notes(out_console, [f"law auto chose {choice.chosen}: {choice.reason}"])
        render.print_fit(out_console, result)
        render.print_notes(out_console, curve_notes)
        if better:
            render.print_warnings(out_console, [better])
        render.print_plan_summary(out_console, allocations)
        if plan_note:
            render.print_notes(out_console, [plan_note])
    # files last: a figure that cannot be drawn must not hide the fit printed above
    report = err_console if as_json else out_console
    if out is not None:
        opt.write(out, "--out", lambda: result.save(out))
        report.print(f"wrote fit: {out}", markup=False, soft_wrap=True)
    if plot is not None:
        from scalinglab.report import plot_fit

        opt.write(plot, "--plot", lambda: plot_fit(result, table, plot, budgets=budgets, y=target))
        report.print(f"wrote figure: {plot}", markup=False, soft_wrap=True)
    if not result.ok:
        raise FitError(
            f"the fit did not converge: {result.message}",
            hint="try more starts, another --loss, or --space linear; check the data",
        )


def _plan_rows(result: Any, budgets: tuple[float, ...]) -> tuple[list[Any], str]:
    """Compute-optimal allocations for the plan table, or none (with why) where not possible."""
    if not {"N", "D"} <= set(result.columns) or not result.ok:
        return [], ""
    try:
        from scalinglab.plan import optimal_allocation
    except ImportError:  # the planning package is optional in a partial install
        return [], "plan table skipped: scalinglab.plan is not available"
    try:
        return [optimal_allocation(result, flops=b) for b in budgets], ""
    except ScalingLabError as err:
        return [], f"plan table skipped: {err.message}"


# -- plan ----------------------------------------------------------------------------------


@app.command("plan")
def plan_command(
    compute: Annotated[
        str | None, typer.Option(metavar="FLOPS", help="Budget to allocate: 1e24, 5.76e23.")
    ] = None,
    target_loss: Annotated[
        str | None, typer.Option(metavar="LOSS", help="Loss to reach: compute and allocation.")
    ] = None,
    fit_path: Annotated[
        Path | None, typer.Option("--fit", help="A fit saved with `scalinglab fit --out`.")
    ] = None,
    preset: Annotated[
        str | None, typer.Option(help="A published law: hoffmann2022, epoch2024, kaplan2020.")
    ] = None,
    level: Annotated[
        float | None, typer.Option(help="Coverage of the intervals [default: the fit's].")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON only.")] = False,
    hparams: Annotated[
        Path | None, typer.Option(help="Add lr* and B*: a fit from `hparams fit --out`.")
    ] = None,
    hparams_preset: Annotated[
        str | None, typer.Option(help="Add lr* and B* from a preset: steplaw2025, ...")
    ] = None,
    seq_len: Annotated[
        int | None, typer.Option(metavar="TOKENS", help="Tokens per sequence, for B*.")
    ] = None,
    target_accuracy: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TASK=ACC",
            help="Accuracy to reach on a task (hellaswag=0.75, repeat): compute and allocation, "
            "with intervals, from --downstream.",
        ),
    ] = None,
    downstream: Annotated[
        Path | None,
        typer.Option(metavar="DS.json", help="A chain from `downstream fit --out`."),
    ] = None,
) -> None:
    """Compute-optimal model size and tokens for a budget, or the compute for a target loss
    or a target accuracy on a task."""
    from scalinglab.cli import _cmd_hparams

    if target_accuracy or downstream is not None:
        _accuracy_plan(target_accuracy, downstream, level, others=(
            ("--compute", compute), ("--target-loss", target_loss), ("--fit", fit_path),
            ("--preset", preset), ("--hparams", hparams), ("--hparams-preset", hparams_preset),
            ("--json", as_json or None),
        ))  # fmt: skip
        return
    hp_rule = _cmd_hparams.load_rule(hparams, hparams_preset)
    if (compute is None) == (target_loss is None):
        raise ConfigError(
            "give exactly one of --compute FLOPS or --target-loss LOSS",
            hint="e.g. scalinglab plan --compute 1e24 --preset hoffmann2022",
        )
    if (fit_path is None) == (preset is None):
        raise ConfigError(
            "give exactly one of --fit FIT.json or --preset NAME",
            hint="e.g. --fit fit.json (from scalinglab fit --out) or --preset hoffmann2022",
        )
    if level is not None and not 0 < level < 1:
        raise ConfigError(f"--level must be between 0 and 1, got {level}")
    from scalinglab import FitResult, get_preset

    source: Any
    if fit_path is not None:
        source, origin = FitResult.load(fit_path), f"--fit {fit_path}"
    else:
        source, origin = get_preset(preset or ""), f"--preset {preset}"
    if compute is not None:
        query, value = "compute", opt.quantity("--compute", compute)
    else:
        query, value = "target_loss", opt.quantity("--target-loss", target_loss or "")

    from scalinglab.plan import compute_for_loss, optimal_allocation

    if query == "compute":
        allocation = optimal_allocation(source, flops=value, level=level)
    else:
        allocation = compute_for_loss(source, target_loss=value, level=level)
    if as_json:
        data = {
            "query": {query: value},
            "source": views.source_dict(source, origin),
            "allocation": allocation.as_dict(),
        }
        if hp_rule is not None:
            data["hparams"] = _cmd_hparams.at_allocation(hp_rule, allocation, seq_len).as_dict()
        sys.stdout.write(opt.dumps(data) + "\n")
        return
    views.print_allocation(stdout_console(), allocation, query=query, source=source, origin=origin)
    if hp_rule is not None:
        from scalinglab.cli._hparams_views import print_prediction

        print_prediction(stdout_console(), _cmd_hparams.at_allocation(hp_rule, allocation, seq_len))


def _accuracy_plan(
    target: list[str] | None,
    chain: Path | None,
    level: float | None,
    *,
    others: tuple[tuple[str, Any], ...],
) -> None:
    """``plan --target-accuracy TASK=ACC --downstream DS.json``: ``downstream plan``'s table."""
    if not target or chain is None:
        raise ConfigError(
            "--target-accuracy and --downstream go together",
            hint="e.g. scalinglab plan --target-accuracy hellaswag=0.75 --downstream ds.json "
            "(ds.json from scalinglab downstream fit --out)",
        )
    given = [name for name, value in others if value is not None]
    if given:
        raise ConfigError(
            f"--target-accuracy plans from the --downstream chain alone; drop {', '.join(given)}"
        )
    if level is not None and not 0 < level < 1:
        raise ConfigError(f"--level must be between 0 and 1, got {level}")
    from scalinglab.cli._cmd_downstream_report import accuracy_plan

    accuracy_plan(chain, target, level=level)


# -- laws ----------------------------------------------------------------------------------


@app.command("laws")
def laws_command(as_json: params.Json = False) -> None:
    """The law catalog with formulas and citations, and the published presets."""
    if as_json:
        sys.stdout.write(opt.dumps(views.laws_dict()) + "\n")
        return
    views.print_laws(stdout_console())


# -- commands that live in their own modules -----------------------------------------------
# Each ``_cmd_*`` module defines ``register(app)``; add one import and one entry here.
from scalinglab.cli import (  # noqa: E402
    _cmd_backtest,
    _cmd_curves,
    _cmd_downstream,
    _cmd_hparams,
    _cmd_ingest,
    _cmd_isoflop,
    _cmd_ladder,
    _cmd_report,
    _cmd_store,
)

for _module in (
    _cmd_store,
    _cmd_report,
    _cmd_backtest,
    _cmd_isoflop,
    _cmd_ingest,
    _cmd_ladder,
    _cmd_hparams,
    _cmd_downstream,
    _cmd_curves,
):
    _module.register(app)
