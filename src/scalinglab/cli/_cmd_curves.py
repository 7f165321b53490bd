"""``scalinglab curves``: fit loss-curve laws, predict schedules, compare them, backtest.

::

    scalinglab curves fit CURVES --law multipower --out curve.json
    scalinglab curves predict --fit curve.json --schedule "wsd:decay=0.2,steps=24000"
    scalinglab curves predict --fit curve.json --schedule-file lr.csv
    scalinglab curves compare --fit curve.json --steps 24000 --schedules cosine,wsd:0.1,wsd:0.2
    scalinglab curves backtest CURVES --train cosine_24000,constant_24000,wsdcon_9

Each takes ``--json`` (JSON alone on stdout) and ``--out PATH`` (the same saved). ``fit
--from-curves`` and ``report --curves`` are in :mod:`._cmd_curves_use`; ``predict``,
``compare`` and ``backtest`` in :mod:`._cmd_curves_predict`, :mod:`._cmd_curves_compare` and
:mod:`._cmd_curves_backtest`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from scalinglab._defaults import CURVE_BOOTSTRAP, HUBER_DELTA
from scalinglab.cli import _curves_notes as notes
from scalinglab.cli import _old_flags as old_flags
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params_
from scalinglab.cli._cmd_curves_backtest import backtest_command
from scalinglab.cli._cmd_curves_compare import compare_command
from scalinglab.cli._cmd_curves_predict import predict_command
from scalinglab.cli._cmd_curves_use import runs_from_curves, write_report
from scalinglab.cli._curves_input import (
    CURVES,
    LAW,
    MAP,
    SCHEDULE,
    STORE,
    WARMUP,
    emit,
    read_for_fit,
)
from scalinglab.cli._fit_views import raise_unconverged
from scalinglab.cli._level_unused import GivenLevel, given_level
from scalinglab.cli._render import (
    FitProgress,
    print_notes,
    print_warnings,
    stderr_console,
    stdout_console,
)
from scalinglab.cli._rows_table import rich_table

__all__ = ["register", "runs_from_curves", "write_report"]

curves_app = typer.Typer(
    help="Loss-curve laws across learning-rate schedules: fit, predict, compare, backtest.",
    no_args_is_help=True,
)


_OTHERS = "another --robust-loss, or another --law"  # what else a curve fit may try


def register(app: typer.Typer) -> None:
    """Add the ``curves`` command group to ``app``."""
    app.add_typer(curves_app, name="curves")


@curves_app.command("fit")
def fit_command(
    curves: Annotated[list[Path] | None, CURVES] = None,
    store: Annotated[Path | None, STORE] = None,
    law: Annotated[str, LAW] = "multipower",
    robust_loss: params_.RobustLossName = None,
    delta: params_.Delta = HUBER_DELTA,
    max_iter: params_.MaxIter = None,
    old_max_iter: old_flags.OldMaxIter = None,
    schedule: Annotated[str | None, SCHEDULE] = None,
    warmup: Annotated[int | None, WARMUP] = None,
    mapping: Annotated[list[str] | None, MAP] = None,
    where: params_.Where = None,
    keep_diverged: params_.KeepDiverged = False,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples behind the intervals (0: a point fit alone).")
    ] = CURVE_BOOTSTRAP,
    level: GivenLevel = None,
    seed: Annotated[int, typer.Option(help="Seed of the resampling.")] = 0,
    out: Annotated[Path | None, typer.Option(help="Write the fit as JSON.")] = None,
    as_json: params_.Json = False,
) -> None:
    """Fit a curve law jointly to whole loss curves (shared parameters)."""
    max_iter = old_flags.max_iter(max_iter, old_max_iter)  # --max-steps: its old spelling
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
    items, kept, left, source = read_for_fit(curves, store, schedule=schedule, warmup=warmup,
                                             columns=columns, keep_diverged=keep_diverged,
                                             where=pairs)  # fmt: skip
    from scalinglab.curves import fit_curves
    from scalinglab.curves._rows import coef_table, fit_title

    err = stderr_console()
    with FitProgress(err, enabled=not as_json and err.is_terminal) as progress:
        result = fit_curves(items, law=law, robust_loss=robust_loss, delta=delta,
                            bootstrap=bootstrap, level=given_level(level), seed=seed,
                            max_iter=max_iter, progress=progress, left_out=left,
                            source=source.said)  # fmt: skip
    # the curves were read with it; the rows skipped, noted as fit_curves(path) notes them
    result = replace(result, where=dict(pairs), notes=(*kept, *result.notes))
    if as_json:  # the fit as 'curves fit --out' writes it
        if out is not None:
            opt.write(out, "--out", lambda: result.save(out))
        emit(result.to_dict())
        print_warnings(stderr_console(), result.warnings)
        print_notes(
            stderr_console(), notes.fit_notes(result, level=level, fitted=level is not None)
        )
        if out is not None:  # stdout holds the JSON alone
            opt.wrote(stderr_console(), "fit", out)
        raise_unconverged(result, max_iter=max_iter, others=_OTHERS)  # as fit: exit 1
        return
    console = stdout_console()
    notes.data_line(console, result)
    title = fit_title(result, len(items))
    drawn = result.samples is not None  # no bootstrap: no interval column (as fit shows it)
    if not drawn:  # two narrow columns: the title a line above, as fit's law line, and the
        console.print(title, markup=False, soft_wrap=True)  # table its own width and title
        title = "fitted coefficients"
    table = rich_table(coef_table(result, title=title), title_justify="center" if drawn else "left")
    console.print(table)
    console.print(notes.fit_summary(result))
    print_warnings(console, result.warnings)
    print_notes(console, notes.fit_notes(result, level=level, fitted=True))
    if out is not None:
        opt.write(out, "--out", lambda: result.save(out))
        opt.wrote(console, "fit", out)
    raise_unconverged(result, max_iter=max_iter, others=_OTHERS)  # after the files, as fit


curves_app.command("predict")(predict_command)


curves_app.command("compare")(compare_command)
curves_app.command("backtest")(backtest_command)
