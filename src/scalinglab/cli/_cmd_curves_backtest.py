"""``scalinglab curves backtest``: fit a curve law on some curves, predict the others'
logged points, and score them (mean and max absolute relative error, ARE, per held-out curve)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from scalinglab._defaults import MAX_ITER
from scalinglab._errors import ConfigError
from scalinglab._format import format_are
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params_
from scalinglab.cli._curves_input import CURVES, LAW, MAP, SCHEDULE, STORE, WARMUP, read_for_fit
from scalinglab.cli._curves_input import level as checked_level
from scalinglab.cli._curves_notes import data_line, fit_summary
from scalinglab.cli._fit_views import raise_unconverged
from scalinglab.cli._render import (
    FitProgress,
    print_notes,
    print_warnings,
    stderr_console,
    stdout_console,
)

__all__ = ["FORMAT", "backtest_command"]

_OTHERS = "another --law, or more curves to fit on (--train)"  # what else a backtest may try

#: The "format" of what --json prints and --out saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.curves_backtest/1"  # CurveBacktest.to_dict's (imported there: NumPy)


def backtest_command(
    train: Annotated[
        str,
        typer.Option(
            help="Comma-separated runs to fit on; every other curve is held out and predicted."
        ),
    ],
    curves: Annotated[list[Path] | None, CURVES] = None,
    store: Annotated[Path | None, STORE] = None,
    law: Annotated[str, LAW] = "multipower",
    max_iter: params_.MaxIter = None,
    schedule: Annotated[str | None, SCHEDULE] = None,
    warmup: Annotated[int | None, WARMUP] = None,
    mapping: Annotated[list[str] | None, MAP] = None,
    where: params_.Where = None,
    keep_diverged: params_.KeepDiverged = False,
    plot: Annotated[
        Path | None,
        typer.Option(
            help="Write a figure: curves with fit and predictions, residuals (.png .svg .pdf)."
        ),
    ] = None,
    bootstrap: Annotated[
        int,
        typer.Option(
            min=0,
            help="Resamples of whole curves for the --plot's bands (0: none); the table "
            "scores the point predictions.",
        ),
    ] = 0,
    level: Annotated[
        float,
        typer.Option(
            callback=lambda value: checked_level(value),
            help="Coverage of the --plot's bands (needs --bootstrap and --plot).",
        ),
    ] = 0.9,
    seed: Annotated[
        int, typer.Option(help="Seed of the --bootstrap resamples (needs --bootstrap and --plot).")
    ] = 0,
    as_json: params_.Json = False,
    out: params_.OutBacktest = None,
) -> None:
    """Fit on some curves (--train), predict the others, report relative errors; exit 1,
    once all is printed and saved, where the fit did not converge (as curves fit)."""
    max_iter = MAX_ITER if max_iter is None else max_iter
    # the flags alone decide these: refused before the curves package loads (SciPy, seconds)
    if bootstrap and plot is None:
        raise ConfigError(
            "--bootstrap draws the bands of --plot, and no --plot was given",
            hint="add --plot backtest.png, or drop --bootstrap (the errors do not use it)",
        )
    banded = [o for o, v in (("--level", level != 0.9), ("--seed", seed != 0)) if v]
    if banded and not bootstrap:  # they shape the bands alone, as on `curves fit`
        raise ConfigError(
            f"{banded[0]} shapes the --plot's bands of --bootstrap resamples, and no "
            "--bootstrap was given",
            hint=f"add --bootstrap 100 --plot backtest.png, or drop {banded[0]}",
        )

    columns = opt.parse_pairs(mapping, option="--map", example="loss=val_loss")
    pairs = opt.where_pairs(where)  # a malformed --where is refused before any work
    read = [("CURVES", curves), ("--store", store)]
    if plot is not None:  # before the curves are read: --plot must not be one of them
        opt.check_output(plot, option="--plot", suffixes=opt.PLOT_FORMATS, inputs=read,
                         outputs=[("--out", out)], kind="figure")  # fmt: skip
    if out is not None:
        opt.check_output(out, option="--out", inputs=read, what="the backtest",
                         example="backtest.json", kind_format=FORMAT)  # fmt: skip
    from scalinglab.curves import backtest_curves

    items, kept, left, source = read_for_fit(curves, store, schedule=schedule, warmup=warmup,
                                             columns=columns, keep_diverged=keep_diverged,
                                             where=pairs)  # fmt: skip
    names = [t.strip() for t in train.split(",") if t.strip()]
    if not names:
        raise ConfigError(
            f"--train {train!r} names no run to fit on",
            hint=f"name some of the curves, comma-separated: {', '.join(c.run for c in items)}",
        )
    from scalinglab.curves._backtest import not_read

    # --where may have left a training curve out: say so (one left out as diverged: the
    # backtest's own error names why)
    asked = [n for n in names if n not in left and not any(r.endswith(f"/{n}") for r in left)]
    if pairs and (error := not_read(asked, items, pairs)) is not None:
        raise error
    err = stderr_console()  # a bar for the fit and its --bootstrap, as curves fit draws
    with FitProgress(err, enabled=not as_json and err.is_terminal) as progress:
        bt = backtest_curves(
            items,
            train=names,
            law=law,
            bootstrap=bootstrap,
            level=level,
            seed=seed,
            max_iter=max_iter,
            left_out=left,
            source=source.said,
            progress=progress,
        )
    # the curves were read with it; the rows skipped, noted as backtest_curves(path) does
    bt = replace(bt, fit=replace(bt.fit, where=dict(pairs), notes=(*kept, *bt.fit.notes)))
    if plot is not None:
        from scalinglab.curves._plot import plot_curves

        opt.write(
            plot, "--plot", lambda: plot_curves(bt.fit, items, plot, held_out=bt.held_out_runs)
        )
    # --json and --out; its notes: the fit's, then what reading the held-out curves assumed
    data = bt.to_dict()
    said, n = data["notes"], len(bt.held_out_runs)
    if as_json:
        print_warnings(stderr_console(), bt.warnings)
        print_notes(stderr_console(), said)
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="backtest")
        if plot is not None:
            opt.wrote(stderr_console(), "figure", plot)
        raise_unconverged(bt.fit, max_iter=max_iter, others=_OTHERS)  # as curves fit: exit 1
        return
    table = Table(title=f"{bt.fit.law} fitted on {', '.join(bt.fit.runs)} ({bt.fit.status})")
    table.add_column("held-out run")
    # the loss backtest's labels: ARE, each held-out curve's mean and max over its points
    table.add_column("mean ARE", justify="right")
    table.add_column("max ARE", justify="right")
    for run, m, w in zip(bt.held_out_runs, bt.mean_are, bt.max_are, strict=True):
        table.add_row(run, format_are(m), format_are(w))
    table.add_row(
        "all: mean / largest", format_are(sum(bt.mean_are) / n), format_are(max(bt.max_are))
    )
    # Luo et al.'s "worst" error: the mean over held-out runs of each one's largest
    table.add_row("all: mean of max ARE", "", format_are(sum(bt.max_are) / n))
    console = stdout_console()
    data_line(console, bt.fit)
    console.print(table)
    console.print(fit_summary(bt.fit))  # as `curves fit` says it
    print_warnings(console, bt.warnings)
    print_notes(console, said)
    if plot is not None:
        opt.wrote(stdout_console(), "figure", plot)
    if out is not None:  # what --json prints
        opt.emit_json(data, as_json=False, out=out, report=console, what="backtest")
    # errors scored from a fit that is no optimum: said, and exit 1, as curves fit and
    # backtest (whose laws all failed) exit; the table and files are there to look at
    raise_unconverged(bt.fit, max_iter=max_iter, others=_OTHERS)
