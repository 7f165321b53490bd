"""``scalinglab hparams``: optimal learning rate and batch from sweeps, and published presets.

::

    scalinglab hparams fit sweep.csv --y "smooth loss" --seq-len 2048 --out hp.json
    scalinglab hparams predict --params 7B --tokens 1.4T --fit hp.json
    scalinglab hparams predict --params 7B --tokens 1.4T --preset steplaw2025
    scalinglab hparams predict --preset kaplan2020 --loss 2.5      # critical batch, no lr
    scalinglab hparams backtest sweep.csv --holdout top-scales:1 --seq-len 2048
    scalinglab hparams fit --store runs.duckdb --y "smooth loss" --seq-len 2048
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._defaults import HPARAMS_BOOTSTRAP, HPARAMS_HOLDOUT
from scalinglab._no_intervals import asked
from scalinglab.cli import _hparams_options as hpo
from scalinglab.cli import _hparams_views as views
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._cmd_hparams_predict import predict_command
from scalinglab.cli._level_unused import GivenLevel, given_level, no_effect
from scalinglab.cli._render import FitProgress, print_notes, stderr_console, stdout_console
from scalinglab.cli._store_input import one_input, store_runs, sweep_columns

__all__ = ["register"]

#: The "format" of what backtest --json prints and --out saves (:data:`scalinglab._formats.KINDS`).
BACKTEST_FORMAT = "scalinglab.hparams_backtest/1"

hparams_app = typer.Typer(
    help="Optimal learning rate and batch: fit laws to sweeps, predict, backtest "
    "(the published presets: scalinglab laws).",
    no_args_is_help=True,
    add_completion=False,
)


def register(app: typer.Typer) -> None:
    """Add the ``hparams`` sub-app to ``app``."""
    app.add_typer(hparams_app, name="hparams")


@hparams_app.command("fit")
def fit_command(
    sweep: Annotated[Path | None, hpo.SWEEP] = None,
    store: Annotated[Path | None, hpo.STORE] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the fit as JSON (for predict, plan).")
    ] = None,
    law: Annotated[str, hpo.LAW] = "auto",
    lr_law: Annotated[str | None, hpo.LR_LAW] = None,
    batch_law: Annotated[str | None, hpo.BATCH_LAW] = None,
    y: Annotated[str, hpo.Y] = "loss",
    lr: Annotated[str | None, hpo.LR] = None,
    batch: Annotated[str | None, hpo.BATCH] = None,
    batch_unit: Annotated[str | None, hpo.UNIT] = None,
    seq_len: Annotated[int | None, hpo.SEQ] = None,
    mapping: params.Mapping = None,
    where: Annotated[list[str] | None, hpo.WHERE] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            metavar="COLUMN",
            help="Columns whose values make a cell (repeat) [default: params, tokens].",
        ),
    ] = None,
    include_unbracketed: Annotated[bool, hpo.INCLUDE] = False,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples of runs within cells.")
    ] = HPARAMS_BOOTSTRAP,
    level: GivenLevel = None,
    seed: params.Seed = 0,
    weighting: Annotated[str, hpo.WEIGHTING] = "regret",
    robust_loss: Annotated[str | None, hpo.ROBUST_LOSS] = None,
    delta: params.Delta = 0.1,  # fit_hparams' (fit: 1e-3): residuals of log lr* and B*
    surface: Annotated[str, hpo.SURFACE] = "cubic",
    as_json: params.Json = False,
) -> None:
    """Locate each cell's optimum on a smooth surface, then fit lr* and B* laws across cells."""
    from scalinglab.hparams import fit_hparams

    conditions = opt.where_pairs(where)  # a malformed --where is refused before any work
    one_input(sweep, store, argument="SWEEP", command="hparams fit")
    if out is not None:
        read, fmt = [("SWEEP", sweep), ("--store", store)], "scalinglab.hparams/1"
        opt.check_output(out, option="--out", inputs=read, example="hp.json", kind_format=fmt,
                         what="the fit")  # fmt: skip
    source = _sweep(sweep, store, mapping, lr=lr, batch=batch, y=y, where=conditions)
    err = stderr_console()  # a bar as `fit` draws it: on a terminal's stderr, not with --json
    with FitProgress(err, enabled=err.is_terminal and not as_json) as progress:
        hp = fit_hparams(
            source.runs,
            law=law,
            lr_law=lr_law,
            batch_law=batch_law,
            y=source.y,
            lr=source.lr,
            batch=source.batch,
            batch_unit=batch_unit,
            seq_len=seq_len,
            by=tuple(by or ("params", "tokens")),
            columns=source.columns,
            where=source.where,
            include_unbracketed=include_unbracketed,
            bootstrap=bootstrap,
            level=given_level(level),
            seed=seed,
            weighting=weighting,
            robust_loss=robust_loss,
            delta=delta,
            surface=surface,
            progress=progress,
        )
    if out is not None:
        opt.write(out, "--out", lambda: hp.save(out))
    if as_json:
        text = opt.dumps(hp.to_dict() | {"cells": [c.to_dict() for c in hp.cells]})
        sys.stdout.write(text + "\n")
        # a --level that set no interval: said, as fit --json says it
        print_notes(
            stderr_console(),
            []
            if hp.has_intervals
            else no_effect(level, drawn=0, requested=asked(hp.settings), ask=HPARAMS_BOOTSTRAP),
        )
        views.print_caveats(stderr_console(), hp)  # the text's note: and warning: lines
        if out is not None:  # stdout holds the JSON alone
            opt.wrote(stderr_console(), "fit", out)
        return
    console = stdout_console()
    views.print_fit(console, hp, level=level)
    if out is not None:  # on stdout after the table, as fit, curves fit and downstream fit say it
        opt.wrote(console, "fit", out)


hparams_app.command("predict")(predict_command)


@hparams_app.command("backtest")
def backtest_command(
    sweep: Annotated[Path | None, hpo.SWEEP] = None,
    store: Annotated[Path | None, hpo.STORE] = None,
    holdout: Annotated[
        str,
        typer.Option(
            metavar="RULE",
            help="Cells to hold out: top-scales:K (the cells of the K largest model sizes), "
            "size:N (size:537M), or a rule on the cells' params, tokens or flops as backtest "
            "takes it ('params>=500M', 'flops>=1e20', top-decile, top:10%; joined by &). "
            "largest:K, the old name of top-scales:K here, warns.",
        ),
    ] = HPARAMS_HOLDOUT,
    law: Annotated[str, hpo.LAW] = "auto",
    lr_law: Annotated[str | None, hpo.LR_LAW] = None,
    batch_law: Annotated[str | None, hpo.BATCH_LAW] = None,
    preset: Annotated[
        list[str] | None,
        typer.Option(help="Presets to compare (repeat) [default: steplaw2025, deepseek2024]."),
    ] = None,
    y: Annotated[str, hpo.Y] = "loss",
    lr: Annotated[str | None, hpo.LR] = None,
    batch: Annotated[str | None, hpo.BATCH] = None,
    batch_unit: Annotated[str | None, hpo.UNIT] = None,
    seq_len: Annotated[int | None, hpo.SEQ] = None,
    mapping: params.Mapping = None,
    where: Annotated[list[str] | None, hpo.WHERE] = None,
    include_unbracketed: Annotated[bool, hpo.INCLUDE] = False,
    weighting: Annotated[str, hpo.WEIGHTING] = "regret",
    surface: Annotated[str, hpo.SURFACE] = "cubic",
    as_json: params.Json = False,
    out: params.OutBacktest = None,
) -> None:
    """Hold out cells (--holdout), fit the rest, predict their optimum: ratio and loss regret."""
    from scalinglab.hparams import backtest_hparams

    holdout = hpo.holdout_rule(holdout)  # a bad K refused, an old largest:K warned, first
    conditions = opt.where_pairs(where)
    one_input(sweep, store, argument="SWEEP", command="hparams backtest")
    if out is not None:  # before any work, never over the sweep it reads
        opt.check_output(out, option="--out", inputs=[("SWEEP", sweep), ("--store", store)],
                         what="the backtest", example="hp_backtest.json",
                         kind_format=BACKTEST_FORMAT)  # fmt: skip
    source = _sweep(sweep, store, mapping, lr=lr, batch=batch, y=y, where=conditions)
    err = stderr_console()  # a bar as `backtest` draws it: on a terminal, not with --json
    with FitProgress(err, enabled=err.is_terminal and not as_json) as progress:
        bt = backtest_hparams(
            source.runs,
            holdout=holdout,
            law=law,
            lr_law=lr_law,
            batch_law=batch_law,
            presets=tuple(preset or ("steplaw2025", "deepseek2024")),
            y=source.y,
            lr=source.lr,
            batch=source.batch,
            batch_unit=batch_unit,
            seq_len=seq_len,
            columns=source.columns,
            where=source.where,
            include_unbracketed=include_unbracketed,
            weighting=weighting,
            surface=surface,
            progress=progress,
        )
    data = bt.to_dict()  # --json and --out
    if as_json:  # JSON alone on stdout; "wrote ...", and the text's caveats, on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="backtest")
        views.print_caveats(stderr_console(), bt)
        return
    views.print_backtest(stdout_console(), bt)
    if out is not None:  # what --json prints
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="backtest")


def _sweep(
    sweep: Path | None,
    store: Path | None,
    mapping: list[str] | None,
    *,
    lr: str | None,
    batch: str | None,
    y: str,
    where: list[tuple[str, str]],
) -> SweepSource:
    """What ``fit_hparams`` reads: the SWEEP file with ``--map`` and ``--where``, or the runs
    of ``--store`` selected by ``--where`` as ``fit --store`` selects them, ``--map``'s
    ``lr=``, ``batch=`` and ``loss=`` naming the stored columns read as each."""
    loss = opt.loss_column(y)
    if store is None:
        columns = opt.map_pairs(
            mapping, example="tokens=train_tokens", also=hpo.MAPPED, beside={"loss": loss}, y=y
        )
        return SweepSource(sweep, lr, batch, loss, columns, where)
    pairs = opt.parse_pairs(mapping, option="--map", example="lr=learning_rate")
    lr, batch, loss = sweep_columns(pairs, store=store, lr=lr, batch=batch, y=loss)
    return SweepSource(store_runs(store, where=where, sweep=True), lr, batch, loss, None, [])


@dataclass(frozen=True)
class SweepSource:
    """The sweep's runs (a file, or a store's run table) and the options that read them."""

    runs: Any
    lr: str | None
    batch: str | None
    y: str
    columns: dict[str, str] | None
    where: list[tuple[str, str]]
