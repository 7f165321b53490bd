"""``scalinglab downstream fit|predict|backtest`` and ``scalinglab loss2loss fit``.

::

    scalinglab downstream fit evals.csv --task hellaswag --via loss_c4_val --out ds.json
    scalinglab downstream fit --store runs.duckdb --tasks all --out ds.json
    scalinglab downstream predict --fit ds.json --params 7B --tokens 2T
    scalinglab downstream backtest evals.csv --holdout 'params>=400M' --tasks all
    scalinglab loss2loss fit runs.csv --x loss_c4_val --y loss_paloma_code
"""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from scalinglab._errors import ConfigError
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._render import stdout_console

__all__ = ["register"]

downstream_app = typer.Typer(
    help="Predict benchmark scores: chains from (N, D) through loss to task accuracy.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_EVALS = typer.Argument(
    metavar="EVALS",
    help="Evaluation table: a row per model (params, tokens, loss columns, acc_<task>), or "
    "long rows (run, task, metric, value), or lm-evaluation-harness results (a folder).",
    show_default=False,
)
Task = Annotated[
    list[str] | None,
    typer.Option("--task", help="A task to fit (repeat for several) [default: every task]."),
]
Tasks = Annotated[str | None, typer.Option("--tasks", help="'all', or tasks separated by commas.")]
Via = Annotated[
    str | None,
    typer.Option(help="The loss column the chain goes through [default: loss, else loss_*]."),
]
Chance = Annotated[
    Path | None,
    typer.Option(help="CSV of chance levels (task, chance), for tasks not known built in."),
]
Percent = Annotated[bool, typer.Option("--percent", help="The accuracies are in percent.")]
Runs = Annotated[
    Path | None,
    typer.Option(
        "--runs",
        help="Run table (params, tokens, losses) joined to the evaluations by run name; "
        "needed when EVALS is lm-evaluation-harness output.",
    ),
]
Metric = Annotated[
    str, typer.Option(help="lm-evaluation-harness metric read as accuracy: acc or acc_norm.")
]
LossLaw = Annotated[
    str, typer.Option("--law", help="Law of (N, D) for the loss: chinchilla, overtraining, ...")
]
TaskLaw = Annotated[
    str, typer.Option("--task-law", help="Law of accuracy against loss: sigmoid or exp-error.")
]
Bootstrap = Annotated[
    int, typer.Option(min=0, help="Resamples of the models, shared by every step (0: none).")
]
Where = Annotated[
    str | None,
    typer.Option(
        metavar="COLUMN=VALUE",
        help="Only the runs whose text column has this value (one training corpus: "
        "dataset=c4_original); a chain holds for one training distribution.",
    ),
]
Store = Annotated[
    Path | None,
    typer.Option(
        help="Read the evaluations stored with their runs in this run store (.duckdb) "
        "instead of EVALS (`scalinglab ingest lm-eval-results/ --store ...`).",
    ),
]
def _tasks(task: list[str] | None, tasks: str | None) -> list[str] | None:
    if tasks and task:
        raise ConfigError("give --task or --tasks, not both")
    if tasks:
        names = [t.strip() for t in tasks.split(",") if t.strip()]
        return None if names == ["all"] else names
    return task or None


def _evals(
    path: Path | None,
    via: str | None,
    task: Any,
    chance: Path | None,
    percent: bool,
    runs: Path | None = None,
    metric: str = "acc",
    where: str | None = None,
    store: Path | None = None,
) -> Any:
    from scalinglab.downstream import read_evals, read_store_evals

    names = task if task else None
    if (path is None) == (store is None):
        raise ConfigError(
            "give EVALS or --store, one of them",
            hint="an evaluation table (evals.csv), or a run store holding evaluations "
            "(--store runs.duckdb)",
        )
    if store is not None:
        if runs is not None or percent:
            raise ConfigError("--store holds the runs and fractions: drop --runs and --percent")
        data = read_store_evals(store, loss=via, tasks=names, chance=chance, metric=metric)
    else:
        data = read_evals(
            path or Path(), loss=via, tasks=names, chance=chance, percent=percent, runs=runs,
            metric=metric,
        )  # fmt: skip
    if where is None:
        return data
    pairs = opt.parse_pairs([where], option="--where", example="dataset=c4_original")
    column, value = next(iter(pairs.items()))
    return data.where(column, value)


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
    law: LossLaw = "chinchilla",
    task_law: TaskLaw = "sigmoid",
    bootstrap: Bootstrap = 1000,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    out: Annotated[
        Path | None, typer.Option(help="Write the fitted chain (JSON) for `downstream predict`.")
    ] = None,
) -> None:
    """Fit the chain (N, D) → loss → accuracy per task; say which tasks cannot be predicted."""
    from scalinglab.downstream import fit_downstream

    if out is not None:
        opt.check_output(out, option="--out", suffixes=(".json",))
    names = _tasks(task, tasks)
    data = _evals(evals, via, names, chance, percent, runs, metric, where, store)
    chain = fit_downstream(
        data, law=law, task_law=task_law, bootstrap=bootstrap, level=level, seed=seed
    )
    console = stdout_console()
    step = chain.loss_step
    console.print(
        f"{len(chain.runs)} models from {chain.source}; loss {chain.via} by {step.law.name} "
        f"({step.status}), then {task_law} per task; {chain.n_bootstrap} resamples of the "
        "models shared by both steps"
    )
    table = Table(title_justify="left")
    for name in ("task", "chance", "fit", "verdict"):
        table.add_column(name, justify="left" if name != "chance" else "right")
    for name, t in chain.tasks.items():
        fitted = (
            "—"
            if t.step is None
            else ", ".join(f"{k}={render.number(v, 4)}" for k, v in t.step.coefs.items())
        )
        table.add_row(
            Text(name),
            "—" if math.isnan(t.chance) else f"{t.chance:.3g}",
            Text(fitted),
            Text(
                "predictable" if t.predictable else f"not predictable from these runs: {t.reason}"
            ),
        )
    console.print(table)
    if out is not None:
        opt.write(out, "--out", lambda: chain.save(out))
        console.print(f"wrote {out}")


def predict_command(
    fit: Annotated[Path, typer.Option("--fit", help="A chain written by `downstream fit --out`.")],
    n: Annotated[str, typer.Option("--params", help="Parameters, e.g. 7B.")],
    d: Annotated[str, typer.Option("--tokens", help="Training tokens, e.g. 2T.")],
    level: Annotated[
        float | None, typer.Option(help="Coverage of the intervals [default: the fit's].")
    ] = None,
    as_json: params.Json = False,
) -> None:
    """Accuracy per task for a model of --params trained on --tokens, with intervals."""
    from scalinglab.downstream import DownstreamFit

    params_, tokens = opt.quantity("--params", n), opt.quantity("--tokens", d)
    chain = DownstreamFit.load(fit)
    preds = chain.predict(params=params_, tokens=tokens, level=level)
    if as_json:
        data = {
            "params": params_,
            "tokens": tokens,
            "via": chain.via,
            "tasks": {k: vars(v) for k, v in preds.items()},
        }
        text = opt.dumps(data) + "\n"
        sys.stdout.write(text)
        return
    lvl = next(iter(preds.values())).level if preds else chain.level
    console = stdout_console()
    loss = next(iter(preds.values())).loss if preds else math.nan
    console.print(
        f"params {render.count(params_)}, tokens {render.count(tokens)}: "
        f"{chain.via} {render.number(loss, 4)}"
    )
    table = Table(title_justify="left")
    for name in ("task", "accuracy", f"{lvl:.0%} interval", "note"):
        table.add_column(name, justify="left" if name in ("task", "note") else "right")
    for name, p in preds.items():
        if p.reason:
            table.add_row(Text(name), "—", "—", Text(f"not predictable: {p.reason}"))
        else:
            table.add_row(Text(name), f"{p.accuracy:.3f}", f"[{p.lower:.3f}, {p.upper:.3f}]", "")
    console.print(table)


def backtest_command(
    holdout: Annotated[
        str, typer.Option(help="Models to hold out: 'params>=400M', 'largest:5', ...")
    ],
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
    law: LossLaw = "chinchilla",
    task_law: TaskLaw = "sigmoid",
    bootstrap: Bootstrap = 1000,
    level: params.Level = 0.9,
    seed: params.Seed = 0,
    as_json: params.Json = False,
) -> None:
    """Fit below the hold-out, predict the held-out models: error and coverage per task."""
    from scalinglab.downstream import backtest_downstream

    names = _tasks(task, tasks)
    data = _evals(evals, via, names, chance, percent, runs, metric, where, store)
    result = backtest_downstream(
        data,
        holdout=holdout,
        law=law,
        task_law=task_law,
        bootstrap=bootstrap,
        level=level,
        seed=seed,
    )
    rows = [*result.tasks.values(), result.average()]
    if as_json:
        payload = {
            "holdout": result.holdout,
            "held_out": list(result.held_out),
            "tasks": {
                r.task: {
                    "abs_error": r.abs_error,
                    "rel_error": r.rel_error,
                    "coverage": r.coverage,
                    "reason": r.reason,
                }
                for r in rows
            },
        }
        text = opt.dumps(payload) + "\n"
        sys.stdout.write(text)
        return
    console = stdout_console()
    console.print(f"held out {len(result.held_out)} models ({result.description})")
    table = Table(title_justify="left")
    for name in ("task", "abs error (points)", "rel error", f"{level:.0%} coverage", "verdict"):
        table.add_column(name, justify="left" if name in ("task", "verdict") else "right")
    for r in rows:
        if r.reason:
            table.add_row(Text(r.task), "—", "—", "—", Text(f"not predictable: {r.reason}"))
            continue
        cov = "—" if math.isnan(r.coverage) else f"{r.coverage:.0%}"
        table.add_row(
            Text(r.task), f"{100 * r.abs_error:.2f}", f"{100 * r.rel_error:.1f}%", cov, ""
        )
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``downstream`` and ``loss2loss`` to ``app``."""
    from scalinglab.cli._cmd_downstream_report import plan_command, report_command
    from scalinglab.cli._cmd_loss2loss import loss2loss_app

    downstream_app.command("fit")(fit_command)
    downstream_app.command("predict")(predict_command)
    downstream_app.command("backtest")(backtest_command)
    downstream_app.command("plan")(plan_command)
    downstream_app.command("report")(report_command)
    app.add_typer(downstream_app, name="downstream")
    app.add_typer(loss2loss_app, name="loss2loss")
