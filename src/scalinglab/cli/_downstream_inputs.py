"""The inputs every ``scalinglab downstream`` command shares: where the evaluations come from
(a table, lm-evaluation-harness output, or a run store), which tasks, which loss, the laws.

Kept apart from the commands so that ``downstream fit|backtest|plan|report`` and
``report --downstream`` read evaluations one way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._errors import ConfigError
from scalinglab.cli import _options as opt
from scalinglab.cli._where_help import WHERE_COMPARE

__all__ = [
    "AverageLaw",
    "AverageOf",
    "Bootstrap",
    "ChainFile",
    "Chance",
    "LossLaw",
    "Map",
    "MaxBacktestError",
    "Metric",
    "Percent",
    "PredictParams",
    "PredictTokens",
    "Runs",
    "Store",
    "Task",
    "TaskLaw",
    "Tasks",
    "Via",
    "Where",
    "read_files",
]

_EVALS = typer.Argument(
    metavar="EVALS",
    help="Evaluation table: a row per model (params, tokens, loss columns, acc_<task>), or "
    "long rows (run, task, metric, value), or lm-evaluation-harness results (a folder).",
    show_default=False,
)
Task = Annotated[
    list[str] | None,
    typer.Option(
        "--task",
        help="A task to fit; several: comma-separated or repeated ('all': every task) "
        "[default: every task].",
    ),
]
Tasks = Annotated[
    str | None,
    typer.Option("--tasks", help="'all', or tasks separated by commas (as --task takes them)."),
]
Via = Annotated[
    str | None,
    typer.Option(
        help="The loss column the chain goes through [default: the loss as fit finds it "
        "(loss, val_loss, eval_loss, ...), else the first loss_* column]."
    ),
]
Chance = Annotated[
    Path | None,
    typer.Option(
        help="CSV of chance levels (task, chance; 25%, or 25 where the levels are above 1): "
        "each replaces the task's built-in level, with a note [default: the levels built in "
        "for common tasks, under a suite's name too (harness|piqa|0 is piqa's); other tasks "
        "have none, and their floor is fitted]."
    ),
]
Percent = Annotated[
    bool,
    typer.Option(
        "--percent",
        help="Every accuracy is in percent [default: each column judged by its values, one "
        "mostly above 1 read as percent, with a note].",
    ),
]
Runs = Annotated[
    Path | None,
    typer.Option(
        "--runs",
        help="Run table (params, tokens, losses) joined to the evaluations by run name; "
        "needed when EVALS is lm-evaluation-harness output.",
    ),
]
Metric = Annotated[
    str,
    typer.Option(
        help="Metric read as accuracy: acc or acc_norm (lm-evaluation-harness results, long "
        "tables, the store; acc_<task> or acc_norm_<task> columns of a wide table)."
    ),
]
Map = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="NAME=COLUMN",
        help="Read a quantity from a column, as fit does: tokens=train_tokens, "
        "params=model_size; run=Name names the --runs table's run column, and a long "
        "table's (model, task, metric, value).",
    ),
]
LossLaw = Annotated[
    str,
    typer.Option(
        "--law",
        help="Law of (N, D) for the loss: auto (the law that backtests best on these runs), "
        "chinchilla, overtraining, ...",
    ),
]
TaskLaw = Annotated[
    str, typer.Option("--task-law", help="Law of accuracy against loss: sigmoid or exp-error.")
]
Bootstrap = Annotated[
    int, typer.Option(min=0, help="Resamples of the models, shared by every step (0: none).")
]
Where = Annotated[
    list[str] | None,
    typer.Option(
        metavar="COLUMN=VALUE",
        help="Only the runs whose text column has this value (one training corpus: "
        f"dataset=c4_original); a chain holds for one training distribution. {WHERE_COMPARE} "
        "Repeat to require several.",
    ),
]
Store = Annotated[
    Path | None,
    typer.Option(
        help="Read the evaluations stored with their runs in this run store (.duckdb) "
        "instead of EVALS (`scalinglab ingest lm-eval-results/ --store ...`).",
    ),
]
AverageOf = Annotated[
    str | None,
    typer.Option(
        help="Tasks (comma-separated) averaged as the row 'average' [default: the predictable "
        "tasks]; with --average-law exp-error each may be unpredictable by itself."
    ),
]
AverageLaw = Annotated[
    str,
    typer.Option(
        help="How the average is predicted: mean (the mean of its tasks' predictions, per "
        "resample) or exp-error (their mean accuracy fitted as one target, Gadre et al. 2024).",
    ),
]
MaxBacktestError = Annotated[
    float,
    typer.Option(
        min=0.0,
        help="Refuse the tasks whose backtest on the fitted sizes (hold out the largest, fit "
        "below it) misses by more than this on average (0.03 = 3 points; inf: no such backtest).",
    ),
]

#: ``downstream plan --fit`` and ``downstream predict --fit``: the chain they read.
ChainFile = Annotated[
    Path, typer.Option("--fit", help="A chain written by `downstream fit --out`.")
]
PredictParams = Annotated[
    str | None, typer.Option("--params", help="Predict every task for this size (7B).")
]
PredictTokens = Annotated[
    str | None, typer.Option("--tokens", help="... trained on these tokens (140B).")
]


def _tasks(task: list[str] | None, tasks: str | None) -> list[str] | None:
    """The tasks ``--task`` (repeated, or comma-separated as every repeatable option takes
    them) or ``--tasks`` name, each once; ``None``: every task (neither, or ``all``)."""
    if tasks and task:
        raise ConfigError(
            "give --task or --tasks, not both",
            hint=f"one of them with every task: --task {','.join([*task, tasks])}",
        )
    given = task or ([tasks] if tasks else [])
    names = list(dict.fromkeys(t.strip() for v in given for t in v.split(",") if t.strip()))
    return None if names in ([], ["all"]) else names


def _average_of(
    average_of: str | None, names: list[str] | None
) -> tuple[list[str] | None, list[str] | None]:
    """The tasks to average (``None``: the predictable ones), and the tasks to read: ``names``
    plus those (``None`` stays every task)."""
    if average_of is None:
        return None, names
    members = [t.strip() for t in average_of.split(",") if t.strip()]
    if len(members) < 2:
        raise ConfigError(
            f"--average-of needs two tasks or more, got {average_of!r}",
            hint="separate the tasks with commas: --average-of hellaswag,piqa",
        )
    return members, None if names is None else list(dict.fromkeys([*names, *members]))


def read_files(
    evals: Path | None, runs: Path | None, chance: Path | None, store: Path | None
) -> list[tuple[str, Path | None]]:
    """The files the downstream commands read, by the argument or option that names them:
    the inputs an ``--out`` must not write over."""
    return [("EVALS", evals), ("--runs", runs), ("--chance", chance), ("--store", store)]


def _evals(
    path: Path | None,
    via: str | None,
    task: Any,
    chance: Path | None,
    percent: bool,
    runs: Path | None = None,
    metric: str = "acc",
    where: list[str] | None = None,
    store: Path | None = None,
    *,
    mapping: list[str] | None = None,
    drop_outliers: bool = False,
) -> Any:
    from scalinglab.data._units import parse_cell
    from scalinglab.downstream import read_evals, read_store_evals

    names = task if task else None
    # a file given to an option: a missing one names the option
    for option, given, why in (
        ("--chance", chance, "; without it common tasks' chance levels are built in"),
        ("--runs", runs, ""),
    ):
        if given is not None and not given.exists():
            hint = f"check the path given to {option}{why}"
            # --chance 0.25 (or 25%): one level, read as a table's cell is, where a file goes
            if option == "--chance" and parse_cell(str(given).removesuffix("%")) is not None:
                hint = (
                    f"--chance takes a CSV of chance levels, not a level: write one with the "
                    f"header task,chance and a row per task (hellaswag,{given}){why}"
                )
            raise ConfigError(f"{option} {given}: file not found", hint=hint)
    if (path is None) == (store is None):
        raise ConfigError(
            "give EVALS or --store, one of them",
            hint="an evaluation table (evals.csv), or a run store holding evaluations "
            "(--store runs.duckdb)",
        )
    pairs = opt.where_pairs(where)  # each condition narrows the last, before the screen
    columns = opt.parse_pairs(mapping, option="--map", example="tokens=train_tokens")
    if store is not None:
        if runs is not None or percent or columns:
            raise ConfigError(
                "--store holds the runs, named, and fractions: drop --runs, --map and --percent"
            )
        data = read_store_evals(
            store, loss=via, tasks=names, chance=chance, metric=metric, where=pairs,
            drop_outliers=drop_outliers,
        )  # fmt: skip
    else:
        data = read_evals(
            path or Path(), loss=via, tasks=names, chance=chance, percent=percent, runs=runs,
            metric=metric, columns=columns or None, where=pairs, drop_outliers=drop_outliers,
        )  # fmt: skip
    mapped = any(k.strip().lower() == "loss" for k in columns)  # --map loss=COLUMN chose it
    if via is None and data.via != "loss" and not mapped:  # chosen by the reader's rule: say
        from scalinglab.cli._render import print_notes, stderr_console

        print_notes(stderr_console(), [_default_via_note(data, runs)])
    return data


def _default_via_note(data: Any, runs: Path | None) -> str:
    """What a chain without ``--via`` goes through, of the loss columns there are, found in
    the run table ``runs`` where one was joined (the file of scores holds none)."""
    from scalinglab.downstream._joined import runs_source

    found_in = data.source if runs is None else runs_source(runs, data.source)
    losses = [data.via, *(c for c in data.runs.columns if str(c).startswith("loss_"))]
    return (
        f"no --via: the chain goes through {data.via}, the loss column found in "
        f"{found_in} (loss columns: {', '.join(dict.fromkeys(losses))}); choose one with "
        "--via COLUMN"
    )
