"""``scalinglab downstream plan``: the compute at which a task's expected accuracy reaches a
target, with the interval of the compute one model needs to score it, from a saved chain
(``plan --target-accuracy`` prints the same).

::

    scalinglab downstream plan --fit ds.json --target-accuracy hellaswag=0.75
    scalinglab downstream plan --fit ds.json --target-accuracy hellaswag=0.6,piqa=0.75 --out p.json
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_g, format_level
from scalinglab._no_intervals import chain_no_intervals
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._chain_warnings import chain_warnings
from scalinglab.cli._downstream_inputs import ChainFile
from scalinglab.cli._fit_views import beyond, stacked
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._sources import source_dict

__all__ = ["ACCURACY_PLAN_FORMAT", "accuracy_plan", "plan_command"]

#: The "format" of what --out and --json write, here and in ``plan --target-accuracy``
#: (:data:`scalinglab._formats.KINDS`).
ACCURACY_PLAN_FORMAT = "scalinglab.downstream_plan/1"


def plan_command(
    fit: ChainFile,
    target: Annotated[
        list[str],
        typer.Option(
            "--target-accuracy",
            metavar="TASK=ACC",
            help="Target, e.g. hellaswag=0.75 (several: comma-separated or repeated).",
        ),
    ],
    level: params.FitLevel = None,
    as_json: params.Json = False,
    out: params.OutPlan = None,
) -> None:
    """Compute, parameters and tokens at which a task's expected accuracy reaches a target,
    with the interval of one model's prediction band inverted along them."""
    if out is not None:  # never over the chain it reads
        opt.check_output(out, option="--out", inputs=[("--fit", fit)], what="the plan",
                         example="plan.json", kind_format=ACCURACY_PLAN_FORMAT)  # fmt: skip
    accuracy_plan(fit, target, level=level, as_json=as_json, origin=f"--fit {fit}", out=out)


def accuracy_plan(
    fit: Path,
    target: list[str],
    *,
    level: float | None = None,
    as_json: bool,
    origin: str,
    out: Path | None = None,
    option: str = "--fit",
) -> None:
    """Print the compute-optimal plan for each ``TASK=ACC`` of ``target`` (each value may
    hold several, comma-separated) from the chain in ``fit`` (``--json``: as JSON only,
    ``origin`` naming the option that gave the chain; ``out``: that JSON saved there too;
    ``option``: that option, named where the file is not a chain): shared by ``downstream
    plan`` and ``plan --target-accuracy``."""
    from scalinglab.data._flops import SIX_ND
    from scalinglab.downstream._io import load_chain
    from scalinglab.downstream._plan import plan_accuracy

    goals = target_accuracies(target)
    if level is not None:
        check_level(level, option="--level")
    chain = load_chain(fit, option=option)
    # the hints name --target-accuracy, not plan_for_accuracy's target=
    plans = [plan_accuracy(chain, task, goal, level=level, option=True) for task, goal in goals]
    source = source_dict(chain, origin)  # as every prediction's and plan's
    shown = [
        {"query": {"task": p.task, "target_accuracy": p.target}, "allocation": p.to_dict()}
        for p in plans
    ]  # the shape of `plan --json`: one plan flat, several as a list
    payload = {"format": ACCURACY_PLAN_FORMAT, "source": source} | (
        shown[0] if len(shown) == 1 else {"plans": shown}
    )
    # the chain's own (its law auto unsettled, its loss law's diagnostics), as `plan --json`
    # holds a fit's: each plan stands on the chain's loss law
    payload["warnings"] = list(chain.warnings)
    if as_json:
        opt.emit_json(payload, as_json=True, out=out, report=stderr_console(), what="plan")
        render.print_notes(stderr_console(), [n for p in plans for n in p.notes])
        render.print_warnings(stderr_console(), chain_warnings(chain.warnings, fit=fit))
        return
    console = stdout_console()
    table = Table(title_justify="left")
    lvl = chain.level if level is None else level
    # "beyond data": decades past the fitted models, as `scalinglab plan` prints it
    for name in ("task", "target", "loss", "flops", "params", "tokens", "beyond data"):
        table.add_column(name, justify="left" if name == "task" else "right")
    notes: list[str] = []
    for p in plans:
        notes += p.notes
        table.add_row(
            Text(p.task),
            format_g(p.target),
            stacked(*p.loss, _loss),
            *(_reached(getattr(p, k), form, math.isfinite(p.flops[0])) for k, form in _COUNTS),
            beyond(p.distance, below=p.below),
        )
    console.print(
        f"compute-optimal (N, D) at which the expected accuracy reaches the target (via "
        f"{chain.via})",
        markup=False,
    )
    console.print(table)
    rule = plans[0].flops_rule  # one chain: one rule for every row
    if rule != SIX_ND:  # as `plan` says it; 6·N·D goes without saying, as before
        console.print(Text(f"FLOPs counted as: {rule}"), soft_wrap=True)
    said = next((p.interval_note for p in plans if p.interval_note), "")
    if said:
        console.print(Text(f"{format_level(lvl)} intervals: {said}", style="dim"), soft_wrap=True)
    elif none := chain_no_intervals(chain, saved=True):
        console.print(Text(none, style="dim"), soft_wrap=True)
    render.print_notes(console, notes)
    render.print_warnings(console, chain_warnings(chain.warnings, fit=fit))  # in full: the JSON
    if out is not None:
        opt.emit_json(payload, as_json=False, out=out, report=console, what="plan")


def target_accuracies(values: list[str]) -> list[tuple[str, float]]:
    """``--target-accuracy`` values (``hellaswag=0.6``, ``hellaswag=0.6,piqa=0.75``,
    repeated) -> (task, accuracy) pairs in order: a task may have several targets (one
    plan each, as ``plan --target-loss`` takes several losses); the same pair twice is one,
    with a warning (:func:`~scalinglab.cli._options.distinct`, as ``--compute`` repeats).

    Raises:
        ConfigError: A value that is not TASK=ACC, an ACC not a number.
    """
    goals: list[tuple[str, float]] = []
    for part in (part.strip() for text in values for part in text.split(",")):
        pair = opt.parse_pairs([part], option="--target-accuracy", example="hellaswag=0.75")
        task, text = next(iter(pair.items()))
        try:
            goal = (task, float(text))
        except ValueError:
            if (percent := _percentage(text)) is not None:  # 75%: a table's way, not a fraction
                from scalinglab.downstream._plan import fraction_meant

                raise ConfigError(
                    f"--target-accuracy {task}={text}: a percentage; accuracies are fractions",
                    hint=fraction_meant(percent, f"--target-accuracy {task}="),
                ) from None
            raise ConfigError(
                f"--target-accuracy {task}={text}: {text!r} is not a number",
                hint="write the accuracy as a fraction, e.g. hellaswag=0.75 (several: "
                "hellaswag=0.6,piqa=0.75)",
            ) from None
        goals.append(goal)
    return list(
        opt.distinct(goals, option="--target-accuracy", shown=lambda g: f"{g[0]}={format_g(g[1])}")
    )


def _percentage(text: str) -> float | None:
    """The number of a percentage written with its sign (``75%``, ``75 %``), else ``None``."""
    if not text.strip().endswith("%"):
        return None
    try:
        return float(text.strip()[:-1])
    except ValueError:
        return None


#: The plan's quantities and how each is printed.
_COUNTS = (("flops", render.flops), ("params", render.count), ("tokens", render.count))


def _reached(est: tuple[float, float, float], form: Any, reached: bool) -> Text:
    """A planned quantity over its interval, "not reached" where the best fit never reaches
    the target, or "—" where it is not determined (N and D of a loss law of compute alone)."""
    if math.isfinite(est[0]):
        return stacked(*est, form)
    return Text("—" if reached else "not reached")


def _loss(x: float) -> str:
    return f"{x:.3f}"
