"""``scalinglab curves``: fit loss-curve laws, predict schedules, compare them, backtest.

::

    scalinglab curves fit CURVES --law multipower --out curve.json
    scalinglab curves predict --fit curve.json --schedule "wsd:decay=0.2,steps=24000"
    scalinglab curves predict --fit curve.json --schedule-file lr.csv
    scalinglab curves compare --fit curve.json --steps 24000 --schedules cosine,wsd:0.1,wsd:0.2
    scalinglab curves backtest CURVES --train cosine_24000,constant_24000,wsdcon_9

Each takes ``--json`` (JSON alone on stdout). ``fit --from-curves`` and ``report --curves``
are in :mod:`._cmd_curves_use`, ``backtest`` in :mod:`._cmd_curves_backtest`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scalinglab._defaults import CURVE_BOOTSTRAP
from scalinglab._format import format_count, format_level
from scalinglab.cli import _curves_notes as notes
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params_
from scalinglab.cli._cmd_curves_backtest import backtest_command
from scalinglab.cli._cmd_curves_predict import predict_command
from scalinglab.cli._cmd_curves_use import runs_from_curves, write_report
from scalinglab.cli._curves_input import (
    CURVES,
    FILLED,
    FIT,
    LAW,
    LEVEL,
    PARAMS,
    SCHEDULE_HELP,
    STORE,
    emit,
    read_curves,
    size,
    split_specs,
)
from scalinglab.cli._curves_input import level as level_
from scalinglab.cli._render import (
    FitProgress,
    interval,
    number,
    print_notes,
    print_warnings,
    stderr_console,
    stdout_console,
)
from scalinglab.cli._sources import source_dict

__all__ = ["register", "runs_from_curves", "write_report"]

curves_app = typer.Typer(
    help="Loss-curve laws across learning-rate schedules: fit, predict, compare, backtest.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    """Add the ``curves`` command group to ``app``."""
    app.add_typer(curves_app, name="curves")


@curves_app.command("fit")
def fit_command(
    curves: Annotated[list[Path] | None, CURVES] = None,
    store: Annotated[Path | None, STORE] = None,
    law: Annotated[str, LAW] = "multipower",
    schedule: Annotated[
        str | None,
        typer.Option(help=f"Schedule of every run that logs no lr: {SCHEDULE_HELP}."),
    ] = None,
    warmup: Annotated[
        int | None,
        typer.Option(
            help="Warm-up steps of runs with an lr column [default: the first logged step]."
        ),
    ] = None,
    mapping: params_.Mapping = None,
    where: params_.Where = None,
    keep_diverged: params_.KeepDiverged = False,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples behind the intervals (0: a point fit alone).")
    ] = CURVE_BOOTSTRAP,
    level: params_.Level = 0.9,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the fit as JSON.")] = None,
    as_json: params_.Json = False,
) -> None:
    """Fit a curve law jointly to whole loss curves (shared parameters)."""
    columns = opt.parse_pairs(mapping, option="--map", example="loss=val_loss")
    pairs = opt.where_pairs(where)  # a malformed --where is refused before any work
    if out is not None:
        read = [("CURVES", curves), ("--store", store)]
        opt.check_output(
            out,
            option="--out",
            inputs=read,
            what="the fit",
            example="curve.json",
            kind_format="scalinglab.curve_fit/1",
        )
    items, left, source = read_curves(curves, store, schedule=schedule, warmup=warmup,
                                      columns=columns, keep_diverged=keep_diverged,
                                      where=pairs)  # fmt: skip
    from scalinglab.curves import fit_curves
    from scalinglab.curves._caveats import interval_header

    err = stderr_console()
    with FitProgress(err, enabled=not as_json and err.is_terminal) as progress:
        result = fit_curves(items, law=law, bootstrap=bootstrap, level=level, seed=seed,
                            progress=progress, left_out=left, source=source.said)  # fmt: skip
    result = replace(result, where=dict(pairs))  # the curves were read with it
    if as_json:  # the fit as 'curves fit --out' writes it
        if out is not None:
            opt.write(out, "--out", lambda: result.save(out))
        emit(result.to_dict())
        print_warnings(stderr_console(), result.warnings)
        print_notes(stderr_console(), notes.fit_notes(result))
        if out is not None:  # stdout holds the JSON alone
            opt.wrote(stderr_console(), "fit", out)
        return
    console = stdout_console()
    notes.data_line(console, result)
    curves_ = "curve" if len(items) == 1 else "curves"
    title = f"{result.law} fitted to {len(items)} {curves_} ({result.status})"
    table = Table(title=title)
    table.add_column("coef")
    table.add_column("value", justify="right")
    drawn = result.samples is not None  # no bootstrap: no interval column (as fit shows it)
    if drawn:
        table.add_column(interval_header(result, result.level), justify="right")
    else:
        table.min_width = len(title)  # two narrow columns would wrap the title
    for name, value in result.coefs.items():
        table.add_row(name, number(value), *[interval(*result.intervals[name])] * drawn)
    console.print(table)
    console.print(notes.fit_summary(result))
    print_warnings(console, result.warnings)
    print_notes(console, notes.fit_notes(result))
    if out is not None:
        opt.write(out, "--out", lambda: result.save(out))
        opt.wrote(console, "fit", out)


curves_app.command("predict")(predict_command)


@curves_app.command("compare")
def compare_command(
    fit: Annotated[Path, FIT],
    steps: Annotated[
        str, typer.Option(help="Step budget, warm-up included (24000, 24K).", show_default=False)
    ],
    schedules: Annotated[
        str,
        typer.Option(help=f"Comma-separated kinds or specs; wsd:0.2 = decay over 20%; {FILLED}."),
    ] = "cosine,wsd:0.1,wsd:0.2,linear",
    baseline: Annotated[
        str, typer.Option(help="The schedule the gains are measured against (a spec).")
    ] = "cosine",
    params: Annotated[str | None, PARAMS] = None,
    level: Annotated[float | None, LEVEL] = None,
    as_json: params_.Json = False,
) -> None:
    """Predicted final loss of each schedule for a step budget, and the gain over a
    baseline (cosine)."""
    from scalinglab.curves import CurveFit, compare_schedules
    from scalinglab.curves._caveats import resamples
    from scalinglab.curves._compare import compared_steps, marks

    n_steps = compared_steps(steps, option="--steps")  # before the fit: the option's error
    result = CurveFit.load(fit)
    specs = split_specs(schedules)
    n, lvl = size(params), level_(level)
    rows = compare_schedules(result, steps=n_steps, schedules=specs, params=n, level=lvl,
                             baseline=baseline, include_baseline=True)  # fmt: skip
    lvl = result.level if lvl is None else lvl
    said = notes.comparison(result, specs, n_steps, rows, n, baseline=baseline, level=lvl)
    if as_json:
        base = next(r for r in rows if r.baseline)
        emit(
            {
                "format": "scalinglab.curves_compare/1",
                "source": source_dict(result, f"--fit {fit}"),
                "law": result.law,
                "steps": n_steps,
                **({} if n is None else {"params": n}),
                "baseline": baseline,
                "baseline_schedule": base.schedule,
                "baseline_loss": base.loss,
                "baseline_loss_lower": base.lower,
                "baseline_loss_upper": base.upper,
                "baseline_lower": base.lower,  # the old keys, kept one release
                "baseline_upper": base.upper,
                "best": next(r.spec for r in rows if r.best),
                "level": lvl,
                # the schedules as given (the baseline's own row is the baseline_ keys)
                "schedules": [r.to_dict() for r in rows if not r.baseline or r.spec in specs],
                "notes": said,
            }
        )
        return
    # the columns say the level; the title what the intervals are drawn from (the columns
    # are too narrow for it)
    drawn = resamples(result)
    title = (
        f"{result.law}: final loss after {n_steps} steps"
        + ("" if n is None else f" at N = {format_count(n)}")
        + (f"; intervals from {drawn}" if drawn else "")
    )
    table = Table(title=title)
    header = f"{format_level(lvl)} interval"
    cols = ("schedule", "final loss", header, f"gain over {baseline}", header)
    shown = [0, 1, 2, 3, 4] if drawn else [0, 1, 3]  # no bootstrap: no interval columns
    if not drawn:
        table.min_width = len(title)
    for k in shown:
        table.add_column(cols[k], justify="left" if k == 0 else "right")
    for r in rows:  # each as given; the notes say what was filled in (--json: every spec)
        cells = (
            r.spec + marks(r),
            f"{r.loss:.4f}",
            interval(r.lower, r.upper),
            f"{r.gain:+.4f}",
            interval(r.gain_lower, r.gain_upper),
        )
        table.add_row(*(cells[k] for k in shown))
    stdout_console().print(table)
    print_notes(stdout_console(), said)


curves_app.command("backtest")(backtest_command)
