"""``scalinglab downstream fit|predict|backtest`` and ``scalinglab loss2loss fit``.

::

    scalinglab downstream fit evals.csv --task hellaswag --via loss_c4_val --out ds.json
    scalinglab downstream fit --store runs.duckdb --tasks all --out ds.json
    scalinglab downstream backtest evals.csv --holdout 'params>=400M' --tasks all
    scalinglab loss2loss fit runs.csv --x loss_c4_val --y loss_paloma_code
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP, DOWNSTREAM_HOLDOUT
from scalinglab._no_intervals import chain_no_intervals
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._downstream_inputs import (
    _EVALS,
    AverageLaw,
    AverageOf,
    Bootstrap,
    Chance,
    LossLaw,
    Map,
    MaxBacktestError,
    Metric,
    Percent,
    Runs,
    Store,
    Task,
    TaskLaw,
    Tasks,
    Via,
    Where,
    _average_of,
    _tasks,
    read_files,
)

# `report --downstream` (cli/_cmd_report.py) reads its evaluations through this name
from scalinglab.cli._downstream_inputs import _evals as _evals
from scalinglab.cli._downstream_views import BACKTEST_FORMAT, print_backtest
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._report_pages import HOLDOUT_HELP
from scalinglab.cli._rows_table import rich_table

__all__ = ["register"]

downstream_app = typer.Typer(
    help="Predict benchmark scores: chains from (N, D) through loss to task accuracy.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def fit_command(
    evals: Annotated[Path | None, _EVALS] = None,
    task: Task = None,
    tasks: Tasks = None,
    via: Via = None,
    chance: Chance = None,
    percent: Percent = False,
    runs: Runs = None,
    metric: Metric = "acc",
    where: Where = None,
    store: Store = None,
    mapping: Map = None,
    drop_outliers: params.DropOutliers = False,
    law: LossLaw = "auto",
    task_law: TaskLaw = "sigmoid",
    bootstrap: Bootstrap = DOWNSTREAM_BOOTSTRAP,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    max_backtest_error: MaxBacktestError = 0.03,
    average_of: AverageOf = None,
    average_law: AverageLaw = "mean",
    out: Annotated[
        Path | None, typer.Option(help="Write the fitted chain (JSON) for `downstream predict`.")
    ] = None,
    as_json: params.Json = False,
) -> None:
    """Fit the chain (N, D) → loss → accuracy per task; say which tasks cannot be predicted."""
    from scalinglab.downstream import fit_downstream
    from scalinglab.downstream._io import chain_to_dict
    from scalinglab.downstream._task_table import (
        average_line,
        chain_head,
        task_notes,
        task_table,
    )

    if out is not None:
        given = read_files(evals, runs, chance, store)
        opt.check_output(out, option="--out", suffixes=(".json",), inputs=given,
                         example="ds.json", kind_format="scalinglab.downstream/1",
                         what="the chain")  # fmt: skip
    names = _tasks(task, tasks)
    members, read = _average_of(average_of, names)
    data = _evals(evals, via, read, chance, percent, runs, metric, where, store,
                  mapping=mapping, drop_outliers=drop_outliers)  # fmt: skip
    chain = fit_downstream(
        data, tasks=names, law=law, task_law=task_law, bootstrap=bootstrap, level=level,
        seed=seed, max_backtest_error=max_backtest_error, average_of=members,
        average_law=average_law,
    )  # fmt: skip
    if out is not None:
        opt.write(out, "--out", lambda: chain.save(out))
    if as_json:  # what --out writes; the notes, and where it was written, on stderr
        sys.stdout.write(opt.dumps(chain_to_dict(chain)) + "\n")
        render.print_notes(stderr_console(), [*chain.notes, *task_notes(chain)])
        render.print_warnings(stderr_console(), chain.warnings)
        if out is not None:
            opt.wrote(stderr_console(), "fit", out)
        return
    console = stdout_console()
    console.print(chain_head(chain, task_law))
    if none := chain_no_intervals(chain):
        console.print(Text(none, style="dim"), soft_wrap=True)
    for note in chain.notes:
        console.print(Text(note))
    render.print_warnings(console, chain.warnings)
    # the report's task table is built from the same rows (task_rows)
    console.print(rich_table(task_table(chain)))
    # as fit says "at bound": a sigmoid's ceiling is assumed, not measured
    render.print_notes(console, task_notes(chain))
    if average := average_line(chain):
        console.print(Text(average))
    if out is not None:
        opt.wrote(console, "fit", out)


def backtest_command(
    evals: Annotated[Path | None, _EVALS] = None,
    holdout: Annotated[
        str, typer.Option(metavar="RULE", help=HOLDOUT_HELP, show_default=False)
    ] = DOWNSTREAM_HOLDOUT,
    task: Task = None,
    tasks: Tasks = None,
    via: Via = None,
    chance: Chance = None,
    percent: Percent = False,
    runs: Runs = None,
    metric: Metric = "acc",
    where: Where = None,
    store: Store = None,
    mapping: Map = None,
    drop_outliers: params.DropOutliers = False,
    law: LossLaw = "auto",
    task_law: TaskLaw = "sigmoid",
    bootstrap: Bootstrap = DOWNSTREAM_BOOTSTRAP,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    max_backtest_error: MaxBacktestError = 0.03,
    average_of: AverageOf = None,
    average_law: AverageLaw = "mean",
    as_json: params.Json = False,
    out: params.OutBacktest = None,
) -> None:
    """Fit below the hold-out, predict the held-out models: error and coverage per task."""
    from scalinglab.downstream import backtest_downstream
    from scalinglab.validate._guards import check_backtest_bootstrap

    check_backtest_bootstrap(
        bootstrap, option="--bootstrap", default=DOWNSTREAM_BOOTSTRAP, level=level
    )  # 0: points, 1..19 refused
    if out is not None:  # before any fitting, never over an input
        given = read_files(evals, runs, chance, store)
        opt.check_output(out, option="--out", inputs=given, example="backtest.json",
                         kind_format=BACKTEST_FORMAT, what="the backtest")  # fmt: skip
    names = _tasks(task, tasks)
    members, read = _average_of(average_of, names)
    data = _evals(evals, via, read, chance, percent, runs, metric, where, store,
                  mapping=mapping, drop_outliers=drop_outliers)  # fmt: skip
    result = backtest_downstream(
        data,
        holdout=holdout,
        tasks=names,
        law=law,
        task_law=task_law,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
        max_backtest_error=max_backtest_error,
        average_of=members,
        average_law=average_law,
    )
    payload = result.to_dict()
    if as_json:  # JSON alone on stdout; "wrote ..." and the text's warning: lines on stderr
        opt.emit_json(payload, as_json=True, out=out, report=stderr_console(), what="backtest")
        render.print_warnings(stderr_console(), payload["warnings"])
        return
    print_backtest(stdout_console(), result, result.rows(), level)
    if out is not None:
        opt.emit_json(payload, as_json=False, out=out, report=stdout_console(), what="backtest")


def register(app: typer.Typer) -> None:
    """Add ``downstream`` and ``loss2loss`` to ``app``."""
    from scalinglab.cli._cmd_downstream_plan import plan_command
    from scalinglab.cli._cmd_downstream_predict import predict_command
    from scalinglab.cli._cmd_downstream_report import report_command
    from scalinglab.cli._cmd_loss2loss import loss2loss_app

    downstream_app.command("fit")(fit_command)
    downstream_app.command("predict")(predict_command)
    downstream_app.command("backtest")(backtest_command)
    downstream_app.command("plan")(plan_command)
    downstream_app.command("report")(report_command)
    app.add_typer(downstream_app, name="downstream")
    app.add_typer(loss2loss_app, name="loss2loss")
