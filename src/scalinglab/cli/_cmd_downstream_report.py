"""``scalinglab downstream plan`` and ``scalinglab downstream report``.

::

    scalinglab downstream plan --fit ds.json --target-accuracy hellaswag=0.75
    scalinglab downstream report evals.csv --holdout 'params>=400M' --params 1.4B --tokens 28B
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_level
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._downstream_inputs import (
    _EVALS,
    Bootstrap,
    Chance,
    LossLaw,
    Metric,
    Percent,
    Runs,
    Store,
    Task,
    TaskLaw,
    Tasks,
    Via,
    Where,
    _evals,
    _tasks,
)
from scalinglab.cli._fit_views import beyond, stacked
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._report_options import spelled

__all__ = ["accuracy_plan", "plan_command", "report_command", "write_downstream_report"]


def plan_command(
    fit: Annotated[Path, typer.Option("--fit", help="A chain written by `downstream fit --out`.")],
    target: Annotated[
        list[str],
        typer.Option(
            "--target-accuracy", metavar="TASK=ACC", help="Target, e.g. hellaswag=0.75 (repeat)."
        ),
    ],
    level: Annotated[
        float | None, typer.Option(help="Coverage of the intervals [default: the fit's].")
    ] = None,
    as_json: params.Json = False,
) -> None:
    """Compute, parameters and tokens at which a task's expected accuracy reaches a target."""
    accuracy_plan(fit, target, level=level, as_json=as_json, origin=f"--fit {fit}")


def accuracy_plan(
    fit: Path,
    target: list[str],
    *,
    level: float | None = None,
    as_json: bool,
    origin: str,
    out: Path | None = None,
) -> None:
    """Print the compute-optimal plan for each ``TASK=ACC`` of ``target`` from the chain in
    ``fit`` (``--json``: as JSON only, ``origin`` naming the option that gave the chain;
    ``out``: that JSON saved there too): shared by ``downstream plan`` and
    ``plan --target-accuracy``."""
    from scalinglab.downstream import DownstreamFit, plan_for_accuracy

    pairs = opt.parse_pairs(target, option="--target-accuracy", example="hellaswag=0.75")
    goals = {}
    for task, text in pairs.items():
        try:
            goals[task] = float(text)
        except ValueError:
            raise ConfigError(
                f"--target-accuracy {task}={text}: {text!r} is not a number",
                hint="write the accuracy as a fraction, e.g. hellaswag=0.75",
            ) from None
    if level is not None:
        check_level(level, option="--level")
    chain = DownstreamFit.load(fit)
    plans = [plan_for_accuracy(chain, task, goal, level=level) for task, goal in goals.items()]
    source = {"kind": "downstream", "origin": origin, "via": chain.via, "data": chain.source}
    shown = [
        {"query": {"task": p.task, "target_accuracy": p.target}, "allocation": p.to_dict()}
        for p in plans
    ]  # the shape of `plan --json`: one plan flat, several as a list
    payload = {"source": source} | (shown[0] if len(shown) == 1 else {"plans": shown})
    if as_json:
        opt.emit_json(payload, as_json=True, out=out, report=stderr_console())
        render.print_notes(stderr_console(), [p.note for p in plans if p.note])
        return
    console = stdout_console()
    table = Table(title_justify="left")
    lvl = chain.level if level is None else level
    # "beyond data": decades past the fitted models, as `scalinglab plan` prints it
    for name in ("task", "target", "loss", "flops", "params", "tokens", "beyond data"):
        table.add_column(name, justify="left" if name == "task" else "right")
    notes = []
    for p in plans:
        notes += [p.note] if p.note else []
        table.add_row(
            Text(p.task),
            f"{p.target:g}",
            stacked(*p.loss, _loss),
            *(_reached(getattr(p, k), form) for k, form in _COUNTS),
            beyond(p.distance),
        )
    console.print(
        f"compute-optimal (N, D) for the expected accuracy; {format_level(lvl)} intervals over the chain's "
        "resamples (via " + chain.via + ")"
    )
    console.print(table)
    render.print_notes(console, notes)
    if out is not None:
        opt.emit_json(payload, as_json=False, out=out, report=console)


#: The plan's quantities and how each is printed.
_COUNTS = (("flops", render.flops), ("params", render.count), ("tokens", render.count))


def _reached(est: tuple[float, float, float], form: Any) -> Text:
    """A planned quantity over its interval, or "not reached" where the best fit never
    reaches the target (its interval, then all infinite, says nothing more)."""
    return stacked(*est, form) if math.isfinite(est[0]) else Text("not reached")


def _loss(x: float) -> str:
    return f"{x:.3f}"


def report_command(
    evals: Annotated[Path | None, _EVALS] = None,
    out: Annotated[Path, typer.Option(help="The HTML file to write.")] = Path("report.html"),
    task: Task = None,
    tasks: Tasks = None,
    via: Via = None,
    chance: Chance = None,
    percent: Percent = False,
    runs: Runs = None,
    metric: Metric = "acc",
    where: Where = None,
    store: Store = None,
    law: LossLaw = "auto",
    task_law: TaskLaw = "sigmoid",
    bootstrap: Bootstrap = 1000,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    holdout: Annotated[
        str | None, typer.Option(help="Also backtest per task, holding out these models.")
    ] = None,
    n: Annotated[
        str | None, typer.Option("--params", help="Predict every task for this size (7B).")
    ] = None,
    d: Annotated[str | None, typer.Option("--tokens", help="... trained on these tokens.")] = None,
) -> None:
    """The HTML report of the loss law with the downstream sections: accuracy against loss
    per task with fit and band, the prediction at --params/--tokens, the per-task backtest."""
    read = [("EVALS", evals), ("--runs", runs), ("--chance", chance), ("--store", store)]
    opt.check_output(out, option="--out", suffixes=(".html", ".htm"), inputs=read, kind="html")
    if (n is None) != (d is None):
        raise ConfigError("give both --params and --tokens for a prediction, or neither")
    target = (
        None
        if n is None or d is None
        else (opt.quantity("--params", n), opt.quantity("--tokens", d))
    )
    names = _tasks(task, tasks)
    data = _evals(evals, via, names, chance, percent, runs, metric, where, store)
    command = spelled(["downstream", "report", *([str(evals)] if evals else [])], [
        ("--out", out), ("--store", store), ("--task", task), ("--tasks", tasks),
        ("--via", via), ("--chance", chance), ("--percent", percent), ("--runs", runs),
        ("--metric", metric), ("--where", where), ("--law", law), ("--task-law", task_law),
        ("--bootstrap", bootstrap), ("--level", level), ("--seed", seed),
        ("--holdout", holdout), ("--params", n), ("--tokens", d),
    ])  # fmt: skip
    write_downstream_report(
        data, out, law=law, task_law=task_law, bootstrap=bootstrap, level=level, seed=seed,
        holdout=holdout, target=target, command=command,
    )  # fmt: skip
    stdout_console().print(f"wrote {out}")


def write_downstream_report(
    data: Any,
    out: Path,
    *,
    law: str = "auto",
    task_law: str = "sigmoid",
    bootstrap: int = 1000,
    level: float = 0.9,
    seed: int = 0,
    holdout: str | None = None,
    target: tuple[float, float] | None = None,
    title: str | None = None,
    command: str | None = None,
) -> None:
    """Fit the chain to ``data`` (:class:`scalinglab.downstream.Evals`) and write the report
    with its downstream sections to ``out``: shared by ``downstream report`` and
    ``report --downstream``."""
    from scalinglab import fit, write_report
    from scalinglab.downstream import backtest_downstream, fit_downstream
    from scalinglab.report._downstream import downstream_sections

    chain = fit_downstream(
        data, law=law, task_law=task_law, bootstrap=bootstrap, level=level, seed=seed
    )
    checked = None
    if holdout is not None:
        checked = backtest_downstream(
            data,
            holdout=holdout,
            law=law,
            task_law=task_law,
            bootstrap=bootstrap,
            level=level,
            seed=seed,
        )
    loss_law = chain.loss_step.law  # the law "auto" chose, or the one given
    # the page's loss-law figures show the chain's own fit: the same law at the same delta
    result = fit(
        loss_law,
        data.runs,
        delta=chain.loss_delta,
        bootstrap=min(bootstrap, 200),
        level=level,
        seed=seed,
    )
    sections = downstream_sections(chain, data, backtest=checked, target=target)
    opt.write(
        out,
        "--out",
        lambda: write_report(
            result,
            data.runs,
            out,
            sections=sections,
            validate=False,
            title=title or f"{loss_law.name} and downstream tasks, fitted to {data.source}",
            command=command,
        ),
    )
