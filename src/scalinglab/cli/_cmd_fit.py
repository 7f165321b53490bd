"""``scalinglab fit``: fit a law to runs, print it with a compute plan, save or draw it."""

# no `from __future__ import annotations`: Typer reads the command's signature twice a run,
# and as strings each of its annotations was eval'd each time (7 ms of `scalinglab fit`)
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._defaults import BOOTSTRAP, CURVE_BOOTSTRAP, HUBER_DELTA
from scalinglab._errors import ConfigError
from scalinglab._result_names import write_result
from scalinglab.cli import _aliases as aliases
from scalinglab.cli import _curves_input as cin
from scalinglab.cli import _fit_views as fit_views
from scalinglab.cli import _law_choice as law_choice
from scalinglab.cli import _old_flags as old_flags
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._fit_plan_rows import plan_rows
from scalinglab.cli._level_unused import GivenLevel, given_level
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._runs_input import BestPerCell, RunsFile, load_runs

__all__ = ["register"]


def fit_command(
    runs: RunsFile = None,
    laws: params.Law = None,
    x: params.Symbols = None,
    y: params.YColumn = None,
    mapping: params.Mapping = None,
    where: params.Where = None,
    robust_loss: params.RobustLossName = None,
    old_loss: params.OldRobustLoss = None,
    delta: params.Delta = HUBER_DELTA,
    space: params.Space = "log",
    bootstrap: Annotated[
        int | None,
        typer.Option(
            min=0,
            help=f"Bootstrap resamples for intervals (0: none; 1,000 for final numbers) "
            f"[default: {BOOTSTRAP}; with --from-curves {CURVE_BOOTSTRAP}, as curves fit: each "
            "refits the curve law].",
            show_default=False,
        ),
    ] = None,
    level: GivenLevel = None,
    seed: params.Seed = 0,
    drop_outliers: params.DropOutliers = False,
    best_per_cell: BestPerCell = False,
    store: params.Store = None,
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
            help="Backtest the other catalog laws on the same runs and warn when one is "
            "clearly better (0.3 CPU s on the bundled runs); catalog laws only: a formula "
            "is not compared.",
        ),
    ] = True,
    out: Annotated[Path | None, typer.Option(help="Save the fit as JSON.")] = None,
    plot: params.Plot = None,
    plot_format: params.Format = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the fit as JSON only (on stdout; messages to stderr)."),
    ] = False,
    budget: params.TableCompute = None,
    budget_flops: aliases.FlopsAsCompute = None,
    max_iter: params.MaxIter = None,
    old_max_iter: old_flags.OldMaxIter = None,
    threads: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Threads for the compiled solver [default: every core this process may use]; "
            "results do not depend on it.",
            show_default=False,
        ),
    ] = None,
    from_curves: cin.FromCurves = None,
    cooldown: cin.Cooldown = None,
    tokens_per_step: cin.TokensPerStep = None,
    curve_law: params.CurveLaw = None,
    warmup: params.CurveWarmup = None,
    schedule: cin.FromCurvesSchedule = None,
    keep_diverged: params.KeepDiverged = False,
) -> None:
    """Fit a scaling law to runs: coefficients with bootstrap intervals, and a compute plan."""
    from scalinglab import fit
    from scalinglab.fit._options import agreed
    from scalinglab.plan._budgets import budgets_for

    out_console, err_console = stdout_console(), stderr_console()
    robust_loss = params.robust_loss(robust_loss, old_loss)
    max_iter = old_flags.max_iter(max_iter, old_max_iter)  # --max-steps: its old spelling
    # each resample of a fit --from-curves refits the curve law: curves fit's default count
    bootstrap = (CURVE_BOOTSTRAP if from_curves else BOOTSTRAP) if bootstrap is None else bootstrap
    typed = aliases.budgets_option(budget, budget_flops)  # the messages name it as typed
    given_budgets = opt.budgets(budget := aliases.budgets(budget, budget_flops), option=typed)
    symbols, columns, target = opt.law_inputs(x, mapping, y, curves=bool(from_curves))
    # no output may be a file the fit reads (`--out runs.csv` would replace the runs)
    inputs = [("RUNS", runs), ("--store", store), ("--from-curves", from_curves)]
    plot = opt.plot_path(
        plot, plot_format, inputs=inputs, outputs=[("--out", out)], example="fit.png"
    )
    opt.where_pairs(where)  # a malformed --where is refused before any work
    if out is not None:
        fmt = "scalinglab.fit/1"
        opt.check_output(
            out, option="--out", inputs=inputs, what="the fit", example="fit.json", kind_format=fmt
        )

    from scalinglab.laws import get_law

    law = law_choice.one_law(laws)
    choose = law == law_choice.AUTO
    form = None if choose else get_law(law, columns=symbols)
    # a law of D alone (power-law:tokens) reads no N nor C: nothing said of the flops column
    reads_compute = form is None or bool({"params", "flops"} & set(form.variables.values()))
    curve_notes: list[str] = []
    curve_warnings: list[str] = []
    resamples = None  # with --from-curves: the curve fit's, refitted by this fit's bootstrap
    show_progress = not as_json and err_console.is_terminal
    curve_only = [("--cooldown", cooldown), ("--tokens-per-step", tokens_per_step),
                  ("--curve-law", curve_law), ("--warmup", warmup),
                  ("--schedule", schedule)]  # fmt: skip
    given = [
        o for o, v in [*curve_only, ("--keep-diverged", keep_diverged or None)] if v is not None
    ]
    if not from_curves and given:
        raise ConfigError(
            f"{given[0]} shapes the runs --from-curves predicts, and no --from-curves was given",
            hint="scalinglab fit --from-curves CURVES --cooldown 0.2",
        )
    if from_curves:
        from scalinglab.cli._cmd_curves_use import NO_TOKENS, runs_from_curves

        if runs is not None and store is None and bundled is None:
            # `--from-curves a.csv b.csv`: the option takes one path, b.csv is RUNS
            raise ConfigError(
                f"RUNS ({runs}) and --from-curves both given: --from-curves takes one path "
                "each time, and a second path after it is read as RUNS",
                hint=f"to fit runs predicted from both, repeat the option: --from-curves "
                f"{from_curves[-1]} --from-curves {runs}; to fit RUNS, drop --from-curves",
            )
        if runs is not None or store is not None or bundled is not None:
            raise ConfigError("give RUNS, --store, --data or --from-curves, not two of them")
        if best_per_cell:  # one run per curve, at its own (N, D): no cell of several runs
            raise ConfigError(
                "--best-per-cell keeps the best run of each cell of a RUNS table, and "
                "--from-curves predicts the runs of its curves, not read from one",
                hint="drop --best-per-cell (keep a sweep's best curves with --where)",
            )
        with render.FitProgress(err_console, enabled=show_progress) as heard:
            table, curve_notes, curve_warnings, resamples = runs_from_curves(
                from_curves,
                keep_diverged=keep_diverged,
                needs_size=form is None or "params" in form.variables.values(),
                reads_compute=reads_compute,
                columns=opt.parse_pairs(mapping, option="--map", example="loss=val_loss"),
                cooldown=0.2 if cooldown is None else cooldown,
                law=curve_law or "multipower",
                warmup=warmup,
                schedule=schedule,
                tokens_per_step=None
                if tokens_per_step is None
                else opt.quantity("--tokens-per-step", tokens_per_step),
                drop_outliers=drop_outliers,
                progress=heard,
                bootstrap=bootstrap,
                seed=seed,
                where=opt.where_pairs(where),  # the curves kept before the curve law's fit
            )
    else:
        if bundled is None and runs is None and store is None:
            from scalinglab.data import DEFAULT_DATA

            bundled = DEFAULT_DATA
        table = load_runs(
            runs,
            command="fit",
            columns=columns,
            drop_outliers=drop_outliers,
            store=store,
            data=bundled,
            symbols=symbols,
            where=where,
            best_per_cell=best_per_cell,
        )
    budgets = budgets_for(
        given_budgets, table, python="flops="
    )  # the default: near the runs' compute
    # a given law's comparison with the others runs on a thread while the law is fitted
    form, choice, pending = law_choice.pick(
        form, table, target or "loss", seed=seed, columns=symbols, compare=compare
    )
    with render.FitProgress(err_console, enabled=show_progress) as progress:
        result = fit(
            form,
            table,
            robust_loss=robust_loss,
            delta=delta,
            space=space,
            x=symbols or None,
            # the column the user named (--y, --map loss=), saved as Python's fit(y=) saves it
            y=target if from_curves else columns.get(target, target),
            bootstrap=bootstrap if resamples is None else len(resamples),
            resamples=resamples,
            level=given_level(level),
            seed=seed,
            progress=progress,
            threads=threads,
            max_iter=max_iter,
            compare=False,  # compared on the thread `pick` started, recorded below
        )
    allocations: list[Any]
    if from_curves and tokens_per_step is None:  # D in steps: 6·N·D would not be FLOPs
        allocations, plan_note = [], NO_TOKENS if reads_compute else ""  # D alone: no plan
    else:
        allocations, plan_note = plan_rows(result, budgets.values, asked=bool(budget))
    # which default budgets the table took, where it took any, and why none
    plan_notes = [n for n in ((budgets.note if allocations else None), plan_note) if n]

    if result.simulated:
        render.simulated_banner(
            err_console if as_json else out_console,
            "a ladder drawn from a published law with noise; pass a RUNS file to fit your own",
        )
    if choice is not None:  # --law auto: as fit('auto') records it, in the notes too
        result = replace(result, law_choice=choice)
        result = replace(result, notes=(law_choice.auto_line(choice), *result.notes))
        if not (from_curves and tokens_per_step is None):  # D in steps: no N* to compare
            # a warning where a law the backtests could not tell apart plans another N*
            result = agreed(result, choice, table, x=symbols or None, max_iter=max_iter,
                            threads=threads)  # fmt: skip
    if curve_notes:  # how the runs were derived: in the text, --json and --out alike
        result = replace(result, notes=(*result.notes, *curve_notes))
    if curve_warnings:  # saved as the fit's: predict --fit repeats them, trusted is False
        result = replace(result, warnings=(*result.warnings, *curve_warnings))
    if pending is not None:  # law_choice (fitted: the law), the hint a warning saved with it
        result = pending.recorded(result)  # as fit(compare=True) records them
    # --json and --out hold the same: the fit (how the law was chosen too), its plan rows
    # (less the fit's own warnings, which its "warnings" holds, as `plan --json` gives them),
    # or why the runs leave them arbitrary (the fit's plan_withheld, as report --json says it)
    allocations = fit_views.less_fits(allocations, result)
    data: dict[str, Any] = {}  # for --json and --out alone (6 ms of a text fit)
    if as_json or out is not None:
        data = result.to_dict()
        if allocations:  # else, where the runs leave N and D unidentified, plan_withheld says why
            data["plan"] = [a.to_dict() for a in allocations]
    if as_json:  # the JSON alone on stdout; the lines the text prints under it on stderr
        sys.stdout.write(opt.dumps(data) + "\n")
        fit_views.print_caveats(err_console, result, allocations, level=level)
        render.print_notes(err_console, plan_notes)
    else:
        fit_views.print_fit(out_console, result, level=level)
        exponents = result.allocation_exponents if allocations else None
        fit_views.print_plan_summary(out_console, allocations, exponents=exponents)
        render.print_notes(out_console, plan_notes)
    # files last: a figure that cannot be drawn must not hide the fit printed above
    report = err_console if as_json else out_console
    if out is not None:
        text = opt.dumps(data) + "\n"
        opt.write(out, "--out", lambda: write_result(out, text, option="--out", what="the fit"))
        opt.wrote(report, "fit", out)
    if plot is not None:
        from scalinglab.report import plot_fit

        marked = budgets.values
        opt.write(plot, "--plot", lambda: plot_fit(result, table, plot, budgets=marked, y=target))
        opt.wrote(report, "figure", plot)
    fit_views.raise_unconverged(result, max_iter=max_iter)  # after the files: it is said


def register(app: typer.Typer) -> None:
    """Add ``fit`` to ``app``."""
    app.command("fit")(fit_command)
