"""``scalinglab report``: fit runs and write the self-contained HTML report.

::

    scalinglab report runs.csv --law chinchilla --out report.html
    scalinglab report runs.csv --law auto --out report.html   # the law that backtests best
    scalinglab report --store runs.duckdb --out report.html --figures figs --format pdf
    scalinglab report --out report.html                       # bundled real runs (--data)
    scalinglab report CURVES --curves --train cosine_24000,wsdcon_9 --out report.html
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from scalinglab._defaults import HUBER_DELTA
from scalinglab._errors import ConfigError, check_level
from scalinglab.cli import _aliases as aliases
from scalinglab.cli import _curves_input as cin
from scalinglab.cli import _downstream_inputs as ds
from scalinglab.cli import _hparams_options as hpo
from scalinglab.cli import _law_choice as law_choice
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._hparams_write_report import HparamsPage, write_page
from scalinglab.cli._render import print_warnings, stderr_console, stdout_console
from scalinglab.cli._report_loss import write_loss_report
from scalinglab.cli._report_options import (
    PAGE_SUFFIXES,
    budgets_given,
    check_page_name,
    command_line,
    figure_format_of,
    figures_folder,
)
from scalinglab.cli._report_pages import (
    BOOTSTRAP_HELP,
    JSON_HELP,
    DownstreamPage,
    HtmlOut,
    check_holdout,
    downstream_holdout,
    page_bootstrap,
    refuse_downstream_only,
    refuse_json,
    refuse_unread,
)
from scalinglab.cli._runs_input import BestPerCell, RunsFile, load_runs

__all__ = ["command_line", "register"]


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app``."""
    app.command("report")(report_command)


def report_command(
    runs: RunsFile = None,
    store: params.Store = None,
    out: HtmlOut = Path("report.html"),
    law: Annotated[
        str | None,
        typer.Option(
            help="Law name or formula (see `scalinglab laws`), or auto to choose by backtest "
            "as `fit --law auto` [default: chinchilla; with --downstream, auto as "
            "`downstream report`; with --hparams, the lr* and B* forms as `hparams fit "
            "--law`: auto, steplaw or compute].",
            show_default=False,
        ),
    ] = None,
    x: params.Symbols = None,
    y: params.YColumn = None,
    mapping: params.Mapping = None,
    robust_loss: params.RobustLossName = None,
    old_loss: params.OldRobustLoss = None,
    delta: params.Delta = HUBER_DELTA,
    space: params.Space = "log",
    bootstrap: Annotated[
        int | None, typer.Option(min=0, help=BOOTSTRAP_HELP, show_default=False)
    ] = None,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    drop_outliers: params.DropOutliers = False,
    best_per_cell: BestPerCell = False,
    bundled: params.BundledData = None,
    budget: params.TableCompute = None,
    budget_flops: aliases.FlopsAsCompute = None,
    figures: Annotated[
        Path | None,
        typer.Option(metavar="DIR", help="Also write each figure into DIR (created if missing)."),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="Write each figure as a file of this format too: svg, png or pdf, into "
            "--figures DIR, else a folder beside the report (REPORT-figures) [default with "
            "--figures: svg].",
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="Title of the page.")] = None,
    validate: Annotated[
        bool,
        typer.Option(
            "--validate/--no-validate",
            help="Add a backtest by scale and the isoFLOP analysis where the data allow.",
        ),
    ] = True,
    holdout: Annotated[
        str | None,
        typer.Option(
            metavar="RULE",
            help="Runs the backtest holds out: top-decile, largest:5, 'flops>=1e21' "
            "[default: top-decile]; with --hparams, cells as hparams backtest holds them "
            "out [default: top-scales:1, the largest model size].",
        ),
    ] = None,
    hparams: Annotated[
        bool,
        typer.Option(
            "--hparams",
            help="RUNS is a sweep over lr and batch: report the located optima, the lr* and B* "
            "laws and the held-out regret (with --holdout top-scales:K).",
        ),
    ] = False,
    seq_len: hpo.PageSeqLen = None,
    lr: hpo.PageLr = None,
    batch: hpo.PageBatch = None,
    batch_unit: hpo.PageUnit = None,
    by: hpo.PageBy = None,
    include_unbracketed: hpo.PageInclude = False,
    lr_law: hpo.PageLrLaw = None,
    batch_law: hpo.PageBatchLaw = None,
    curves: Annotated[
        bool,
        typer.Option(
            "--curves",
            help="RUNS (or --store) is loss curves, as `curves backtest` reads them: report "
            "the curve law fitted on --train, its predictions of the others, residuals against "
            "step and a schedule comparison.",
        ),
    ] = False,
    train: Annotated[
        str | None, typer.Option(metavar="RUNS", help="--curves: comma-separated runs to fit on.")
    ] = None,
    curve_law: cin.PageCurveLaw = "multipower",
    schedule: cin.PageSchedule = None,
    warmup: cin.PageWarmup = None,
    keep_diverged: params.KeepDiverged = False,
    downstream: DownstreamPage = False,
    via: ds.Via = None,
    joined: ds.Runs = None,  # --runs: RUNS is the evaluations here, so another Python name
    where: params.Where = None,
    task: ds.Task = None,
    tasks: ds.Tasks = None,
    chance: ds.Chance = None,
    task_law: ds.TaskLaw = "sigmoid",
    percent: ds.Percent = False,
    metric: ds.Metric = "acc",
    max_backtest_error: ds.MaxBacktestError = 0.03,
    average_of: ds.AverageOf = None,
    average_law: ds.AverageLaw = "mean",
    n: ds.PredictParams = None,
    d: ds.PredictTokens = None,
    as_json: Annotated[bool, typer.Option("--json", help=JSON_HELP)] = False,
) -> None:
    """Fit a law and write a self-contained HTML report: figures, plan, reproducibility card."""
    out_console = stdout_console()
    typed = aliases.budgets_option(budget, budget_flops)  # the messages name it as typed
    given_budgets = opt.budgets(budget := aliases.budgets(budget, budget_flops), option=typed)
    symbols, columns, target = opt.law_inputs(x, mapping, y)
    read = [("RUNS", runs), ("--store", store), ("--chance", chance), ("--runs", joined)]
    check_page_name(out)  # r.png: what report writes, and which command writes a figure
    opt.check_output(out, option="--out", suffixes=PAGE_SUFFIXES, inputs=read, kind="html")
    check_level(level, option="--level")
    if not downstream:  # the --downstream page's own options, set on another page
        refuse_downstream_only([o for o, v in (
            ("--via", via), ("--runs", joined), ("--task", task), ("--tasks", tasks),
            ("--chance", chance),
            ("--task-law", task_law != "sigmoid" or None), ("--percent", percent),
            ("--metric", metric != "acc" or None), ("--average-of", average_of),
            ("--max-backtest-error", max_backtest_error != 0.03 or None),
            ("--average-law", average_law != "mean" or None), ("--params", n), ("--tokens", d),
        ) if v])  # fmt: skip
    if keep_diverged and not curves:
        raise ConfigError("--keep-diverged keeps curves of a --curves page; --curves was not given")
    if sum((hparams, curves, downstream)) > 1:
        raise ConfigError("give at most one of --hparams, --curves, --downstream: one page each")
    conditions = opt.where_pairs(where)  # a malformed --where is refused before any work
    page = (
        "--hparams" if hparams else "--curves" if curves else "--downstream" if downstream else ""
    )
    sweep_page = HparamsPage(law=law, lr_law=lr_law, batch_law=batch_law, lr=lr, batch=batch,
                             batch_unit=batch_unit, by=tuple(by) if by else None,
                             include_unbracketed=include_unbracketed)  # fmt: skip
    refuse_unread(page, sweep_page.given() + [o for o, v in (
        ("--store", store), ("--law", law), ("--holdout", holdout is not None),
        ("--no-validate", not validate), ("--y", y), ("--x", x), ("--map", mapping),
        ("--robust-loss", robust_loss is not None), ("--loss", old_loss is not None),
        ("--delta", delta != HUBER_DELTA),
        ("--space", space != "log"), ("--drop-outliers", drop_outliers), ("--compute", budget),
        ("--best-per-cell", best_per_cell),
        ("--figures", figures), ("--format", fmt), ("--data", bundled),
        ("--seq-len", seq_len is not None), ("--train", train),
        ("--curve-law", curve_law != "multipower"), ("--warmup", warmup is not None),
        ("--schedule", schedule is not None),
    ) if v])  # fmt: skip
    # after the page's refusal: no warning that --loss is --robust-loss, then a refusal of it
    robust_loss = params.robust_loss(robust_loss, old_loss)
    # --holdout with --no-validate, or a rule of another page: refused before any work
    holdout = check_holdout(page, holdout, validate=validate)
    if as_json:
        refuse_json(page)
    resamples = page_bootstrap(page, bootstrap)  # by default the command's the page shows
    if hparams:  # the sweep read and the laws fitted as `hparams fit` does, with its options
        write_page(
            runs, out, sweep_page, store=store, columns=columns, y=target, seq_len=seq_len,
            bootstrap=resamples, level=level, seed=seed, holdout=holdout,
            title=title, where=conditions,
        )  # fmt: skip
        return
    if curves:
        from scalinglab.cli._cmd_curves import write_report as write_curves

        warned = write_curves(
            runs, store, out, train, curve_law, warmup, resamples, title, level=level, seed=seed,
            columns=opt.parse_pairs(mapping, option="--map", example="loss=val_loss"),
            keep_diverged=keep_diverged, where=conditions, schedule=schedule,
        )  # fmt: skip
        opt.wrote(out_console, "report", out)
        print_warnings(stderr_console(), warned)  # as the loss-law page's, after the path
        return
    if downstream:
        from scalinglab.cli._cmd_downstream_report import report_page

        said = report_page(
            runs, store, out, via=via, joined=joined, where=where, task=task, tasks=tasks,
            chance=chance,
            mapping=mapping, drop_outliers=drop_outliers, percent=percent, metric=metric,
            law=law or "auto", task_law=task_law, bootstrap=resamples, level=level, seed=seed,
            holdout=downstream_holdout(holdout, validate=validate), title=title,
            max_backtest_error=max_backtest_error, average_of=average_of,
            average_law=average_law, target=(n, d),
        )  # fmt: skip
        opt.wrote(out_console, "report", out)
        print_warnings(stderr_console(), said)
        return
    law = law or "chinchilla"
    figure_format = figure_format_of(fmt)
    folder = figures_folder(figures, out, fmt)
    from scalinglab.laws import get_law
    from scalinglab.plan._budgets import budgets_for

    # a law that does not exist is refused before the runs are read, as by `fit`
    given = None if law == law_choice.AUTO else get_law(law, columns=symbols)
    if runs is None and store is None and bundled is None:  # real runs by default, as `fit`
        from scalinglab.data import DEFAULT_DATA

        bundled = DEFAULT_DATA
    table = load_runs(
        runs,
        command="report",
        columns=columns,
        drop_outliers=drop_outliers,
        store=store,
        data=bundled,
        symbols=symbols,
        where=where,
        best_per_cell=best_per_cell,
    )
    budgets = budgets_for(given_budgets, table)  # the page takes (and says) the same default
    invocation = command_line(
        runs=runs, store=store, data=bundled, out=out, law=law, x=x, y=y, mapping=mapping,
        where=where, robust_loss=robust_loss, origins=table.origins, columns=columns,
        delta=delta, space=space, bootstrap=resamples, level=level, seed=seed, symbols=symbols,
        drop_outliers=drop_outliers, best_per_cell=best_per_cell,
        figures=folder if figures else None,
        # the budgets the plan table used, given (each once) or default: a later default
        # moves its rows, and a repeat typed would warn again when the card is run
        budget=[budgets_given(budgets.values)],
        fmt=fmt, title=title, validate=validate, holdout=holdout or "top-decile",
    )  # fmt: skip
    write_loss_report(
        table, out, given=given, symbols=symbols, target=target, robust_loss=robust_loss, delta=delta,
        space=space, bootstrap=resamples, level=level, seed=seed, budgets=given_budgets,
        command=invocation, title=title, folder=folder, figure_format=figure_format,
        validate=validate, holdout=holdout or "top-decile", as_json=as_json,
    )  # fmt: skip
