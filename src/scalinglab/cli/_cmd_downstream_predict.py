"""``scalinglab downstream predict``: each task's accuracy for a model, from a saved chain.

::

    scalinglab downstream predict --fit ds.json --params 7B --tokens 2T
    scalinglab downstream predict --fit ds.json --params 1.4B,7B --tokens 28B,2T --out p.json
    scalinglab downstream predict --fit ds.json --params 7B --tokens 2T --task hellaswag,average

Several ``--params`` and ``--tokens`` pair up model by model, one value standing for every
model, as ``scalinglab predict`` reads them.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from scalinglab._cells import accuracy
from scalinglab._errors import check_level
from scalinglab._format import format_level
from scalinglab._no_intervals import chain_no_intervals
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _render as render
from scalinglab.cli._chain_warnings import chain_warnings
from scalinglab.cli._downstream_inputs import ChainFile
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._sources import source_dict

if TYPE_CHECKING:  # the downstream package loads NumPy: `--help` stays light
    from rich.console import Console

    from scalinglab.downstream import DownstreamFit

__all__ = ["predict_command"]

#: The "format" of what --json prints and --out saves (:data:`scalinglab._formats.KINDS`).
_FORMAT = "scalinglab.downstream_predict/1"
#: A task's loss and its interval, as its JSON holds them.
_LOSS = ("loss", "loss_lower", "loss_upper")
#: The name under which the chain's average is predicted (downstream._average.AVERAGE; a
#: test holds them equal): the package loads NumPy, and `--help` stays light.
_AVERAGE = "average"

PredictTask = Annotated[
    list[str] | None,
    typer.Option(
        "--task",
        help="Only this task; several: comma-separated or repeated ('average': the chain's "
        "average) [default: every task of the chain, and its average].",
    ),
]


def predict_command(
    fit: ChainFile,
    n: Annotated[
        str,
        typer.Option(
            "--params",
            metavar="N",
            help="Parameters, e.g. 7B (several: 1B,7B; bare under 10K: refused).",
        ),
    ],
    d: Annotated[
        str,
        typer.Option("--tokens", metavar="D", help="Training tokens, e.g. 2T (several: 1T,2T)."),
    ],
    level: params.FitLevel = None,
    task: PredictTask = None,
    as_json: params.Json = False,
    out: params.OutPredictions = None,
) -> None:
    """Accuracy per task for a model of --params trained on --tokens, with intervals."""
    from scalinglab.cli._predict_inputs import check_lengths
    from scalinglab.downstream import load_chain

    if out is not None:  # never over the chain it reads
        opt.check_output(
            out, option="--out", inputs=[("--fit", fit)], what="the predictions",
            example="predictions.json", kind_format=_FORMAT,
        )  # fmt: skip
    given = {o: opt.quantities([t], option=o) for o, t in (("--params", n), ("--tokens", d))}
    check_lengths(given)
    if level is not None:
        check_level(level, option="--level")
    count = max(len(v) for v in given.values())
    sizes, tokens = (v * count if len(v) == 1 else v for v in given.values())
    chain = load_chain(fit, option="--fit")
    chosen, said = _chosen(chain, task)
    models = [_model(chain, p, t, level, chosen) for p, t in zip(sizes, tokens, strict=True)]
    for model in models:  # each model's, as its other notes are
        model["notes"] = [*said, *model["notes"]]
    # one model: its prediction flat, as before; several: a list `points`, as `predict`
    # lists its points (`predictions`, the same list, kept one release)
    data = {"format": _FORMAT, "source": source_dict(chain, f"--fit {fit}")} | (
        models[0]
        if len(models) == 1
        else {"via": chain.via, "points": models, "predictions": models}
    )
    if as_json:  # JSON alone on stdout; the lines the text prints on stderr, as predict's
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="predictions")
        for model in models:
            render.print_notes(stderr_console(), model["notes"])
            render.print_warnings(stderr_console(), _own(chain, model))
        render.print_warnings(stderr_console(), chain_warnings(chain.warnings, fit=fit))
        return
    console = stdout_console()
    for i, model in enumerate(models):
        if i:
            console.print()
        _print(console, chain, model)
    # once: every model's stands on them; the JSON holds them in full
    render.print_warnings(console, chain_warnings(chain.warnings, fit=fit))
    if out is not None:
        opt.emit_json(data, as_json=False, out=out, report=console, what="predictions")


def _chosen(chain: DownstreamFit, task: list[str] | None) -> tuple[list[str] | None, list[str]]:
    """The chain's tasks ``--task`` names (``None``: all, and the average), as the chain
    names them, and a note for each plain name read as the one suite task holding it.

    Raises:
        ConfigError: A task the chain does not hold (with those it does), ``average`` of a
            chain without one.
    """
    from scalinglab.cli._downstream_inputs import _tasks
    from scalinglab.downstream._no_average import no_average
    from scalinglab.downstream._task_names import suite_note, suite_task

    asked = _tasks(task, None)
    if asked is None:
        return None, []
    if _AVERAGE in asked and chain.average is None:
        raise no_average(chain)
    # the average among the names offered (a typo of it, the list of what there is)
    tasks = [*chain.tasks, *([] if chain.average is None else [_AVERAGE])]
    names = [t if t in tasks else suite_task(t, tasks, source="the chain") for t in asked]
    return list(dict.fromkeys(names)), suite_note(asked, names)


def _model(
    chain: DownstreamFit, n: float, d: float, level: float | None, chosen: list[str] | None
) -> dict[str, Any]:
    """One model's prediction as ``--json`` gives it (the library's one serializer), only
    the ``chosen`` tasks where ``--task`` names some."""
    model = chain.predict(params=n, tokens=d, level=level).to_dict()
    if chosen is None:
        return model
    model["tasks"] = {k: v for k, v in model["tasks"].items() if k in chosen}
    if _AVERAGE not in chosen:
        model.pop("average", None)
    return model


def _own(chain: DownstreamFit, model: dict[str, Any]) -> list[str]:
    """``model``'s warnings less the chain's, which the text says once for every model."""
    return [w for w in model["warnings"] if w not in chain.warnings]


def _print(console: Console, chain: DownstreamFit, model: dict[str, Any]) -> None:
    """One model's table, its notes and warnings."""
    from scalinglab.downstream._task_table import not_predictable  # `downstream fit`'s verdict

    rows = dict(model["tasks"])
    if "average" in model:
        rows[f"average ({len(model['average']['members'])} tasks)"] = model["average"]
    first = next(iter(rows.values()), None)
    lvl = chain.level if first is None else first["level"]
    # "nan", "inf": JSON-ready
    loss, low, high = (math.nan,) * 3 if first is None else (float(first[k]) for k in _LOSS)
    console.print(
        f"params {render.count(model['params'])}, tokens {render.count(model['tokens'])}: "
        f"{chain.via} {render.estimate(loss, low, high, 4)}",
        markup=False,
    )
    # no bootstrap (or none of it kept): no interval column, and one line that says why
    none = chain_no_intervals(chain, saved=True)
    # the interval's kind in the header, as predict's and the report's say it
    kind = model.get("interval_kind", "none")
    shown = (
        f"{format_level(lvl)} {kind} interval"
        if kind != "none"
        else f"{format_level(lvl)} interval"
    )
    # a note only where a task is not predictable: no empty column otherwise
    noted = any(p["reason"] for p in rows.values())
    heads = ("task", "accuracy", *(() if none else (shown,)), *(("note",) if noted else ()))
    table = Table(title_justify="left")
    for name in heads:
        table.add_column(name, justify="left" if name in ("task", "note") else "right")
    for name, p in rows.items():
        if p["reason"]:
            cells = ("—",) if none else ("—", "—")
            table.add_row(Text(name), *cells, Text(not_predictable(p["reason"])))
            continue
        # a task without a band where others have one: a dash ("[nan, nan]" reads as markup)
        low, high = (float(p[k]) for k in ("accuracy_lower", "accuracy_upper"))  # "nan"
        band = f"[{accuracy(low)}, {accuracy(high)}]"  # the report's cells too
        cell = () if none else (Text("—" if math.isnan(low) else band),)
        table.add_row(Text(name), accuracy(float(p["accuracy"])), *cell, *("",) * noted)
    console.print(table)
    if none:
        console.print(Text(none, style="dim"), soft_wrap=True)
    render.print_notes(console, model["notes"])
    render.print_warnings(console, _own(chain, model))
