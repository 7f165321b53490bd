"""``scalinglab downstream report``: the loss law's report with the downstream sections.

::

    scalinglab downstream report evals.csv --holdout 'params>=400M' --params 1.4B --tokens 28B
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from scalinglab._defaults import DOWNSTREAM_BOOTSTRAP
from scalinglab._errors import ConfigError
from scalinglab.cli import _downstream_inputs as ds
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._downstream_inputs import (
    _EVALS,
    Bootstrap,
    Chance,
    LossLaw,
    Map,
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
    _evals,
    _tasks,
)
from scalinglab.cli._render import (
    FitProgress,
    print_notes,
    print_warnings,
    resamples,
    stage_line,
    stderr_console,
    stdout_console,
)
from scalinglab.cli._report_options import spelled
from scalinglab.cli._report_pages import (
    DownstreamHoldout,
    HtmlOut,
    Validate,
    downstream_holdout,
)

__all__ = ["prediction_target", "report_command", "report_page", "write_downstream_report"]


def report_command(
    evals: Annotated[Path | None, _EVALS] = None,
    out: HtmlOut = Path("report.html"),
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
    max_backtest_error: ds.MaxBacktestError = 0.03,
    average_of: ds.AverageOf = None,
    average_law: ds.AverageLaw = "mean",
    holdout: DownstreamHoldout = None,
    validate: Validate = True,
    n: ds.PredictParams = None,
    d: ds.PredictTokens = None,
) -> None:
    """The HTML report of the loss law with the downstream sections: accuracy against loss
    per task with fit and band, the prediction at --params/--tokens, the per-task backtest
    (the page report --downstream writes from the same options)."""
    read = ds.read_files(evals, runs, chance, store)
    opt.check_output(out, option="--out", suffixes=(".html", ".htm"), inputs=read, kind="html")
    holdout = downstream_holdout(holdout, validate=validate)  # report --downstream's default
    target = prediction_target(n, d)
    members, names = _average_of(average_of, _tasks(task, tasks))
    data = _evals(evals, via, names, chance, percent, runs, metric, where, store,
                  mapping=mapping, drop_outliers=drop_outliers)  # fmt: skip
    command = spelled(["downstream", "report", *([str(evals)] if evals else [])], [
        ("--out", out), ("--store", store), ("--task", task), ("--tasks", tasks),
        ("--via", _via(via, data, mapping)), ("--chance", chance), ("--percent", percent),
        ("--runs", runs),
        ("--metric", metric), ("--where", where), ("--map", mapping),
        ("--drop-outliers", drop_outliers), ("--law", law), ("--task-law", task_law),
        ("--bootstrap", bootstrap), ("--level", level), ("--seed", seed),
        ("--max-backtest-error", max_backtest_error), ("--average-of", average_of),
        ("--average-law", average_law),
        ("--holdout", holdout), ("--no-validate", holdout is None), ("--params", n),
        ("--tokens", d),
    ])  # fmt: skip
    warned = write_downstream_report(
        data, out, law=law, task_law=task_law, bootstrap=bootstrap, level=level, seed=seed,
        max_backtest_error=max_backtest_error, average_of=members, average_law=average_law,
        holdout=holdout, target=target, command=command,
    )  # fmt: skip
    opt.wrote(stdout_console(), "report", out)
    print_warnings(stderr_console(), warned)  # as the loss-law page's, after the path


def write_downstream_report(
    data: Any,
    out: Path,
    *,
    law: str = "auto",
    task_law: str = "sigmoid",
    bootstrap: int = DOWNSTREAM_BOOTSTRAP,
    level: float = 0.9,
    seed: int = 0,
    max_backtest_error: float = 0.03,
    average_of: list[str] | None = None,
    average_law: str = "mean",
    holdout: str | None = None,
    target: tuple[float, float] | None = None,
    title: str | None = None,
    command: str | None = None,
) -> tuple[str, ...]:
    """Fit the chain to ``data`` (:class:`scalinglab.downstream.Evals`) and write the report
    with its downstream sections to ``out``: shared by ``downstream report`` and
    ``report --downstream``.

    Returns:
        What the page warns of (the chain's warnings, then its loss law's), for the
        terminal to say too.
    """
    from scalinglab.downstream import backtest_downstream, fit_downstream
    from scalinglab.downstream._chain_checks import check_chain
    from scalinglab.downstream._loss_result import loss_card, loss_fit_result, loss_notes
    from scalinglab.report._downstream import downstream_sections
    from scalinglab.report._html import write_rendered
    from scalinglab.validate._guards import report_resamples
    from scalinglab.validate._split import split_runs

    if holdout is not None:  # a rule these runs cannot split: before the fit
        split_runs(data.runs, holdout)
    # 1..19 resamples: a point-only backtest with the reason, as the loss report's
    drawn, unscored = report_resamples(bootstrap, level=level)
    # too few models, a bad option: refused before the line that says the chain is fitted
    check_chain(data, law=law, task_law=task_law, bootstrap=bootstrap, level=level,
                max_backtest_error=max_backtest_error, average_law=average_law)  # fmt: skip
    # as `downstream fit` is given them: the full fit's and the backtest's chain alike
    chosen: dict[str, Any] = {"max_backtest_error": max_backtest_error,
                              "average_of": average_of, "average_law": average_law}  # fmt: skip
    # the loss page's stage lines, where no progress bar is drawn (a pipe, a CI log, a job)
    err = stderr_console()
    # what reading the evaluations decided (a task left out), as `downstream fit` says it;
    # the run table's own notes stay with the data, as on the loss page, and the warnings
    # come with the chain's after the path
    said = [n for n in data.notes if n not in data.runs.notes]
    print_notes(err, [n for n in said if not n.startswith("warning: ")])
    n = len(data.tasks)
    stage_line(err, f"fitting the chain ({law} loss law, {task_law} task laws) to "
               f"{len(data.runs)} models and {n} task{'s' * (n != 1)} ({resamples(bootstrap)})...")  # fmt: skip
    with FitProgress(err, enabled=err.is_terminal) as bar:  # on a terminal: the bars too
        chain = fit_downstream(data, law=law, task_law=task_law, bootstrap=bootstrap,
                               level=level, seed=seed, progress=bar, **chosen)  # fmt: skip
    checked = None
    if holdout is not None:
        stage_line(err, f"backtesting per task, holding out {holdout} (the chain refitted)...")
        with FitProgress(err, enabled=err.is_terminal) as bar:
            checked = backtest_downstream(data, holdout=holdout, law=law, task_law=task_law,
                                          bootstrap=drawn, level=level, seed=seed,
                                          progress=bar, **chosen)  # fmt: skip
    # the page's loss-law sections show the chain's own first step: its fit, its resamples
    # (shared with the task laws), its delta and measured extrapolation error; not a refit
    result = loss_fit_result(chain, data)
    stage_line(err, "writing the report (figures)...")
    sections = downstream_sections(chain, data, backtest=checked, target=target, unscored=unscored)
    with FitProgress(err, enabled=err.is_terminal) as bar:
        opt.write(
            out,
            "--out",
            lambda: write_rendered(
                result,
                data.runs,
                out,
                sections=sections,
                validate=False,
                title=title or f"{result.law_spec} and downstream tasks, fitted to {data.source}",
                command=command,
                notes=loss_notes(chain),
                stated=loss_card(chain, data),
                progress=bar,
                # the loss law is the chain's first step, fitted with its resamples: the
                # page's --bootstrap, whose default is the chain's, not fit's
                ask=DOWNSTREAM_BOOTSTRAP,
            ),
        )
    return result.warnings


def report_page(
    evals: Path | None,
    store: Path | None,
    out: Path,
    *,
    via: str | None,
    where: list[str] | None,
    tasks: str | None,
    chance: Path | None,
    mapping: list[str] | None,
    drop_outliers: bool,
    holdout: str | None,
    task: list[str] | None = None,
    joined: Path | None = None,
    percent: bool = False,
    metric: str = "acc",
    average_of: str | None = None,
    target: tuple[str | None, str | None] = (None, None),
    **options: Any,
) -> tuple[str, ...]:
    """``report EVALS --downstream`` (or ``--store S --downstream``, the evaluations stored
    with their runs): the page ``downstream report`` writes, read as it reads them
    (``--task``/``--tasks`` the tasks, every one by default, ``--via`` the loss column, ``joined`` the run table of ``--runs`` joined to them,
    ``--where`` the runs kept, ``--map`` the columns, ``--drop-outliers`` the diverged
    models left out)."""
    if evals is None and store is None:
        raise ConfigError(
            "--downstream reads evaluations: scalinglab report EVALS --downstream, or "
            "--store S --downstream",
            hint="EVALS has params, tokens, a loss and acc_<task> columns (or is long: run, "
            "task, metric, value)",
        )
    at = prediction_target(*target)
    members, names = _average_of(average_of, _tasks(task, tasks))
    data = _evals(evals, via, names, chance, percent, joined, metric=metric, where=where,
                  store=store, mapping=mapping, drop_outliers=drop_outliers)  # fmt: skip
    command = spelled(["report", *([str(evals)] if evals else []), "--downstream"], [
        ("--out", out), ("--store", store), ("--via", _via(via, data, mapping)),
        ("--runs", joined), ("--where", where),
        ("--map", mapping), ("--drop-outliers", drop_outliers), ("--task", task),
        ("--tasks", tasks),
        ("--chance", chance), ("--percent", percent), ("--metric", metric if metric != "acc"
        else None), ("--law", options["law"]), ("--task-law", options["task_law"]),
        ("--bootstrap", options["bootstrap"]), ("--level", options["level"]),
        ("--seed", options["seed"]), ("--max-backtest-error", options["max_backtest_error"]),
        ("--average-of", average_of), ("--average-law", options["average_law"]),
        ("--holdout", holdout), ("--no-validate", holdout is None),
        ("--params", target[0]), ("--tokens", target[1]), ("--title", options["title"]),
    ])  # fmt: skip
    return write_downstream_report(data, out, holdout=holdout, command=command, target=at,
                                   average_of=members, **options)  # fmt: skip


def prediction_target(n: str | None, d: str | None) -> tuple[float, float] | None:
    """``(params, tokens)`` of ``--params``/``--tokens`` to predict every task for, or ``None``
    (neither given)."""
    if (n is None) != (d is None):
        raise ConfigError("give both --params and --tokens for a prediction, or neither")
    if n is None or d is None:
        return None
    return opt.quantity("--params", n), opt.quantity("--tokens", d)


def _via(via: str | None, data: Any, mapping: list[str] | None) -> str | None:
    """``--via`` as the card spells it: the loss column the chain went through, found when
    not given (another file's default could find another), unless ``--map loss=`` named it."""
    if via is not None or any(m.split("=", 1)[0].strip() == "loss" for m in mapping or ()):
        return via
    return str(data.via)
