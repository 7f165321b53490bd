"""``scalinglab backtest``: fit on the small runs, predict the held-out large ones, compare laws.

::

    scalinglab backtest runs.csv --law chinchilla --law kaplan --holdout "flops>=1e21"
    scalinglab backtest runs.csv --holdout largest:5 --baseline curve_fit --out bt.json --plot bt.png
    scalinglab backtest --store scalinglab.duckdb --law power-law:flops --holdout largest:1
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

import typer

from scalinglab._defaults import BOOTSTRAP, ROLLING_BOOTSTRAP
from scalinglab._errors import ConfigError, FitError, NoRollingStepError, did_you_mean
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._backtest_checks import check_chinchilla_first, check_rolling
from scalinglab.cli._backtest_views import (
    HELD_OUT_ROWS,
    backtest_warnings,
    print_backtest,
    print_caveats,
)
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._runs_input import BestPerCell, RunsFile, load_runs

__all__ = ["register"]

#: The "format" of what --out writes (:data:`scalinglab._formats.KINDS`): Comparison.save's.
_FORMAT = "scalinglab.backtest/1"


def register(app: typer.Typer) -> None:
    """Add ``backtest`` to ``app``."""
    app.command("backtest")(backtest_command)


def backtest_command(
    runs: RunsFile = None,
    law: Annotated[
        list[str] | None,
        typer.Option(
            metavar="LAW",
            help="Law name or formula; repeat to compare laws; auto: the candidates fit "
            "--law auto chooses among, side by side [default: chinchilla].",
        ),
    ] = None,
    holdout: Annotated[
        str,
        typer.Option(
            metavar="RULE",
            help="Runs to hold out: a predicate ('flops>=1e21', 'params>1B'), 'largest:K', "
            "'top-decile', 'top:10%', 'top-scales:K' (the runs of the K largest scales: "
            "sizes (flops, else params, else tokens) within 0.05 decades of the next form "
            "one, as an IsoFLOP budget does, so runs of spread sizes are a scale each and "
            "top-scales:1 may hold out one run; where sizes are drawn from a range (one such "
            "chain holds most runs, or 40+ runs of sizes that mostly differ lie within 0.05 "
            "decades of the next at the median, mostly outside clusters of 4+ runs), the "
            "scales are cut at the 50th to 90th percentiles of size, top-scales:1 then holds "
            "out about the top tenth and near-best is refused, a cut being no budget), "
            "'near-best:F' (at each scale, the runs from 1/F to F times the params of its "
            "lowest-loss run); clauses joined by &.",
        ),
    ] = "top-decile",
    fit_on: Annotated[
        str | None,
        typer.Option(
            metavar="RULE",
            help="Runs to fit on, a rule of the same forms ('flops<=max/8 & near-best:1.5'); "
            "it may select no held-out run, and runs in neither rule are left out "
            "[default: every run not held out].",
        ),
    ] = None,
    baseline: Annotated[
        list[str] | None,
        typer.Option(metavar="METHOD", help="Also score a baseline: curve_fit, chinchilla-pkg."),
    ] = None,
    rolling: Annotated[
        bool,
        typer.Option(
            help="Rolling-origin backtest of the winner: fit on the smallest k scales "
            f"(each step with the fewer of --bootstrap and {ROLLING_BOOTSTRAP} resamples)."
        ),
    ] = True,
    x: params.Symbols = None,
    y: params.YColumn = None,
    mapping: params.Mapping = None,
    where: params.Where = None,
    robust_loss: params.RobustLossName = None,
    old_loss: params.OldRobustLoss = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            min=0,
            help="Bootstrap resamples per fit, for the intervals scored (at least 20: the ends "
            "of a 90% interval are its 5th and 95th percentiles; 0: point predictions, "
            "errors only).",
        ),
    ] = BOOTSTRAP,
    seed: params.Seed = 0,
    level: Annotated[
        list[str] | None,
        typer.Option(
            metavar="LEVEL",
            help="Coverage of the intervals scored; several: comma-separated or repeated "
            "[default: 0.5,0.8,0.9].",
        ),
    ] = None,
    drop_outliers: params.DropOutliers = False,
    best_per_cell: BestPerCell = False,
    store: params.Store = None,
    bundled: params.BundledData = None,
    as_json: params.Json = False,
    out_path: params.Out = None,
    plot: params.Plot = None,
    plot_format: params.Format = None,
    limit: Annotated[
        int,
        typer.Option(
            min=0,
            help="Held-out runs listed, farthest past the largest fitted first (0: every one; "
            "--json and --out hold them all).",
        ),
    ] = HELD_OUT_ROWS,
) -> None:
    """Backtest laws by scale: fit below a cut, predict above it, report error and coverage."""
    from scalinglab.cli._backtest_auto import with_fit_auto
    from scalinglab.fit._options import is_auto
    from scalinglab.laws import Law, get_law
    from scalinglab.validate import (
        BASELINES,
        Backtest,
        baseline_backtest,
        compare,
        rolling_backtest,
        split_runs,
    )
    from scalinglab.validate._choose_inputs import auto_laws
    from scalinglab.validate._compare_kept import NO_ROLLING_OPTION, NO_WINNER
    from scalinglab.validate._guards import check_backtest_bootstrap, check_fit_side
    from scalinglab.validate._saved import saved_data
    from scalinglab.validate._split import law_scale

    out, err = stdout_console(), stderr_console()
    robust_loss = params.robust_loss(robust_loss, old_loss)
    laws = list(dict.fromkeys(law or ["chinchilla"]))
    symbols, columns, target = opt.law_inputs(x, mapping, y)
    levels = tuple(dict.fromkeys(opt.levels(level) or (0.5, 0.8, 0.9)))
    check_backtest_bootstrap(bootstrap, option="--bootstrap", level=levels)  # 1..19 refused
    for method in baseline or ():
        if method not in BASELINES:
            raise ConfigError(
                f"--baseline {method!r} is not a baseline{did_you_mean(method, BASELINES)}",
                hint=f"choose {', '.join(BASELINES)}",
            )
    if "chinchilla-pkg" in (baseline or ()) and not is_auto(laws[0]):
        check_chinchilla_first(laws[0])
    if "chinchilla-pkg" in (baseline or ()):
        from scalinglab.validate._baselines import chinchilla_package

        chinchilla_package()  # not installed: said before the fits, not after them
    inputs = [("RUNS", runs), ("--store", store)]
    plot = opt.plot_path(
        plot, plot_format, inputs=inputs, outputs=[("--out", out_path)], example="backtest.png"
    )
    to_stdout = as_json
    if out_path is not None:
        opt.check_output(
            out_path, option="--out", inputs=inputs, example="backtest.json",
            kind_format=_FORMAT, what="the backtest",
        )  # fmt: skip
    # a misspelt law fails before any fitting; auto's candidates: once the runs are read
    forms = [get_law(spec, columns=symbols) for spec in laws if not is_auto(spec)]
    if runs is None and store is None and bundled is None:  # real runs, as `scalinglab fit`
        from scalinglab.data import DEFAULT_DATA

        bundled = DEFAULT_DATA
    table = load_runs(
        runs,
        command="backtest",
        columns=columns,
        drop_outliers=drop_outliers,
        store=store,
        data=bundled,
        symbols=symbols,
        where=where,
        best_per_cell=best_per_cell,
    )
    given = forms if len(forms) == len(laws) else []  # auto: its candidates come later
    scale = law_scale(given, table, symbols) if given else None
    # auto sizes a --fit-on rule by its candidate of most parameters for these runs
    sized: list[Law | str] = [*given] or [*forms, "auto"]
    split = split_runs(table, holdout, fit_on=fit_on, scale=scale, laws=sized, x=symbols)
    every = auto_laws(laws, split.fitted, symbols)[0]
    first = every[0]  # the law a baseline fits
    if rolling:  # before the fits, after compare's own first check: too few runs for a law
        for spec in every:
            check_fit_side(get_law(spec, columns=symbols), split)
        check_rolling(split, table, fit_on=fit_on is not None)  # in this command's words
    if "chinchilla-pkg" in (baseline or ()) and is_auto(laws[0]):
        check_chinchilla_first(first, auto=True)
    report = err if to_stdout else out
    if table.simulated:
        render.simulated_banner(
            report, "a ladder drawn from a published law; pass a RUNS file to backtest your own"
        )
    options: dict[str, Any] = {
        "robust_loss": robust_loss,
        "x": symbols or None,
        "y": target,
        "level": levels,
    }
    with render.FitProgress(err, enabled=err.is_terminal and not to_stdout) as progress:
        comparison = compare(
            split.fitted,
            laws=laws,
            holdout=split,
            bootstrap=bootstrap,
            seed=seed,
            progress=progress,
            **options,
        )
        baselines: list[Backtest] = [
            baseline_backtest(
                split.fitted,
                method=m,
                law=first,
                holdout=split,
                seed=seed,
                y=target,
                x=symbols or None,
                level=levels,
            )
            for m in dict.fromkeys(baseline or ())
        ]
        winner = comparison.winner
        steps = None
        no_rolling = NO_WINNER if rolling else NO_ROLLING_OPTION  # why steps stays None
        if rolling and winner is not None:
            try:
                steps = rolling_backtest(
                    split.fitted,
                    law=winner.law,
                    holdout=split,
                    bootstrap=min(bootstrap, ROLLING_BOOTSTRAP),
                    seed=seed,
                    progress=progress,
                    **options,
                )
            except NoRollingStepError as short:  # too few runs per step: the split still scores
                line = f"{short.message}: no rolling table (--no-rolling leaves this out)"
                no_rolling = short.message
                comparison = replace(comparison, notes=(*comparison.notes, line))
    # auto: how `fit --law auto` chooses instead, and its choice on these runs
    comparison = with_fit_auto(comparison, laws, table, y=target or "loss", seed=seed,
                               columns=symbols)  # fmt: skip
    # kept whole in the file, for Comparison.load(path).rolling and .baselines
    comparison = comparison.with_rolling(steps, baselines=baselines, why=no_rolling)

    # Comparison.save's file (Comparison.load reads it; its summary holds the baselines'),
    # with what the command adds at the top: the rolling steps' summary, what reproduces it
    # under fit's names (every law is fitted with the same three), and every warning once
    fitted = [s.backtest.fit for s in comparison.laws if s.backtest.fit is not None]
    data = saved_data(
        comparison,
        rolling=None if steps is None else steps.to_dict(), seed=seed, n_bootstrap=bootstrap,
        solver=fitted[0].solver if fitted else None,
        warnings=backtest_warnings(comparison, baselines, steps),
    )  # fmt: skip
    if not to_stdout:
        print_backtest(out, comparison, baselines, steps, limit=limit)
    opt.emit_json(data, as_json=as_json, out=out_path, report=report, what="backtest")
    if to_stdout:  # the lines the text prints, on stderr as fit --json echoes its own
        said = [] if steps is None else list(steps.notes)
        render.print_notes(err, said)
        print_caveats(err, comparison, baselines, steps, said=said)
    if plot is not None:
        from scalinglab.report import plot_backtest

        shown = [s.backtest for s in comparison.laws] + baselines
        opt.write(plot, "--plot", lambda: plot_backtest(shown, plot, rolling=steps))
        opt.wrote(report, "figure", plot)
    if winner is None:
        raise FitError(
            "no law's fit converged on the fitted runs, so none can be trusted to extrapolate",
            hint="check the data, try --robust-loss soft_l1, or hold out fewer runs",
        )
