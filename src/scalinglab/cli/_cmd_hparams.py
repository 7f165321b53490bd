"""``scalinglab hparams``: optimal learning rate and batch from sweeps, and published presets.

::

    scalinglab hparams fit sweep.csv --y "smooth loss" --seq-len 2048 --out hp.json
    scalinglab hparams predict --params 7B --tokens 1.4T --fit hp.json
    scalinglab hparams predict --params 7B --tokens 1.4T --preset steplaw2025
    scalinglab hparams predict --preset kaplan2020 --loss 2.5      # critical batch, no lr
    scalinglab hparams backtest sweep.csv --holdout largest:1 --seq-len 2048
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._defaults import HPARAMS_BOOTSTRAP
from scalinglab._errors import ConfigError, check_level
from scalinglab.cli import _hparams_options as hpo
from scalinglab.cli import _hparams_views as views
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._render import FitProgress, stderr_console, stdout_console
from scalinglab.cli._sources import source_dict

__all__ = ["register"]

hparams_app = typer.Typer(
    help="Optimal learning rate and batch: fit laws to sweeps, predict, backtest, presets.",
    no_args_is_help=True,
    add_completion=False,
)


def register(app: typer.Typer) -> None:
    """Add the ``hparams`` sub-app to ``app``."""
    app.add_typer(hparams_app, name="hparams")


@hparams_app.command("fit")
def fit_command(
    sweep: Annotated[Path, hpo.SWEEP],
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
    where: params.Where = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            metavar="COLUMN",
            help="Columns whose values make a cell (repeat) [default: params, tokens].",
        ),
    ] = None,
    include_unbracketed: Annotated[
        bool, typer.Option(help="Fit laws to unbracketed cells too.")
    ] = False,
    bootstrap: Annotated[
        int, typer.Option(min=0, help="Resamples of runs within cells.")
    ] = HPARAMS_BOOTSTRAP,
    level: params.Level = 0.9,
    seed: Annotated[int, typer.Option(help="Seed of the bootstrap.")] = 0,
    weighting: Annotated[str, hpo.WEIGHTING] = "regret",
    surface: Annotated[str, hpo.SURFACE] = "cubic",
    as_json: params.Json = False,
) -> None:
    """Locate each cell's optimum on a smooth surface, then fit lr* and B* laws across cells."""
    from scalinglab.hparams import fit_hparams

    conditions = opt.where_pairs(where)  # a malformed --where is refused before any work
    if out is not None:
        read, fmt = [("SWEEP", sweep)], "scalinglab.hparams/1"
        opt.check_output(out, option="--out", inputs=read, example="hp.json", kind_format=fmt)
    err = stderr_console()  # a bar as `fit` draws it: on a terminal's stderr, not with --json
    with FitProgress(err, enabled=err.is_terminal and not as_json) as progress:
        hp = fit_hparams(
            sweep,
            law=law,
            lr_law=lr_law,
            batch_law=batch_law,
            y=opt.loss_column(y),
            lr=lr,
            batch=batch,
            batch_unit=batch_unit,
            seq_len=seq_len,
            by=tuple(by or ("params", "tokens")),
            columns=opt.map_pairs(
                mapping, example="tokens=train_tokens", also=hpo.MAPPED, beside=_y_loss(y)
            ),
            where=conditions,
            include_unbracketed=include_unbracketed,
            bootstrap=bootstrap,
            level=level,
            seed=seed,
            weighting=weighting,
            surface=surface,
            progress=progress,
        )
    if out is not None:
        opt.write(out, "--out", lambda: hp.save(out))
    if as_json:
        text = opt.dumps(hp.to_dict() | {"cells": [c.to_dict() for c in hp.cells]})
        sys.stdout.write(text + "\n")
        if out is not None:  # stdout holds the JSON alone
            opt.wrote(stderr_console(), "fit", out)
        return
    views.print_fit(stdout_console(), hp)
    if out is not None:
        opt.wrote(stderr_console(), "fit", out)


@hparams_app.command("predict")
def predict_command(
    params: Annotated[
        str | None,
        typer.Option(
            metavar="N",
            help="Parameters, counted as the fit's sweep or the preset counts them (the "
            "presets: non-embedding): 7B.",
        ),
    ] = None,
    tokens: Annotated[str | None, typer.Option(metavar="D", help="Training tokens: 1.4T.")] = None,
    flops: Annotated[
        str | None,
        typer.Option(
            metavar="C",
            help="Training FLOPs, counted as the fit's sweep or the preset counts them "
            "(default: by the fit's FLOPs convention; 6·N·D for a preset).",
        ),
    ] = None,
    fit_path: Annotated[
        Path | None, typer.Option("--fit", help="A fit from `hparams fit --out`.")
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            help="A published rule: steplaw2025, deepseek2024, porian2024 (lr* and B* at N, D); "
            "kaplan2020 (critical batch at --loss; no lr)."
        ),
    ] = None,
    loss: Annotated[
        str | None,
        typer.Option(
            metavar="LOSS|FIT|PRESET",
            help="kaplan2020: the loss (nats/token), or a loss fit (`scalinglab fit --out`) or "
            "loss-law preset (kaplan2020, hoffmann2022) to predict it at --params, --tokens.",
        ),
    ] = None,
    seq_len: Annotated[int | None, hpo.SEQ] = None,
    level: params.FitLevel = None,
    as_json: params.Json = False,
) -> None:
    """lr* (peak) and B* at (N, D), each with an interval, the loss there, and how flat it is.

    With --preset kaplan2020: the critical batch (tokens) at a loss, and no learning rate.
    """
    from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS, critical_batch_at

    n = None if params is None else opt.quantity("--params", params)
    d = None if tokens is None else opt.quantity("--tokens", tokens)
    c = None if flops is None else opt.quantity("--flops", flops)
    pred: Any
    if level is not None and fit_path is None and preset is not None:  # no interval there
        raise ConfigError(
            f"--level sets the coverage of a fit's intervals; preset {preset} has none",
            hint="drop --level, or predict from a fit: --fit hp.json (hparams fit --out)",
        )
    if preset is not None and preset in CRITICAL_BATCH_PRESETS:
        if c is not None:  # the critical batch is read at a loss, not at a compute
            raise ConfigError(f"--preset {preset} takes no --flops", hint="drop --flops")
        if fit_path is not None or loss is None:
            raise ConfigError(
                f"--preset {preset} gives the critical batch at a loss: give --loss"
                + (", not --fit" if fit_path is not None else ""),
                hint="--loss 2.5, or --loss fit.json / --loss hoffmann2022 with --params, --tokens",
            )
        pred = critical_batch_at(preset, loss=loss, params=n, tokens=d, seq_len=seq_len)
        source: Any = CRITICAL_BATCH_PRESETS[preset]
    else:
        if loss is not None:
            raise ConfigError(
                "--loss is for --preset kaplan2020 (a critical batch at a loss)",
                hint="lr* and B* at (N, D) need no loss: drop --loss",
            )
        if (fit_path is None) == (preset is None):
            raise ConfigError(
                "give exactly one of --fit and --preset", hint="e.g. --preset steplaw2025"
            )
        if n is None or d is None:
            raise ConfigError("give --params and --tokens", hint="e.g. --params 7B --tokens 1.4T")
        if preset is not None:
            from scalinglab.hparams import get_hparam_preset

            source = get_hparam_preset(preset)
            pred = source.predict(params=n, tokens=d, flops=c, seq_len=seq_len)
        else:
            from scalinglab.hparams import HparamFit

            assert fit_path is not None
            source = HparamFit.load(fit_path)
            if level is not None:
                level = check_level(level, option="--level")
            pred = source.predict(params=n, tokens=d, flops=c, seq_len=seq_len, level=level)
    if as_json:  # what the numbers were read from, as `predict --json` says it
        block = source_dict(source, f"--fit {fit_path}")
        text = opt.dumps({"format": "scalinglab.hparams_predict/1", "source": block,
                          **pred.to_dict()})  # fmt: skip
        sys.stdout.write(text + "\n")
        return
    if preset in CRITICAL_BATCH_PRESETS:
        views.print_critical_batch(stdout_console(), pred)
    else:
        views.print_prediction(stdout_console(), pred)


@hparams_app.command("backtest")
def backtest_command(
    sweep: Annotated[Path, hpo.SWEEP],
    holdout: Annotated[
        str, typer.Option(metavar="RULE", help="'largest:K', 'size:N' (size:537M) or 'params>=N'.")
    ] = "largest:1",
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
    where: params.Where = None,
    weighting: Annotated[str, hpo.WEIGHTING] = "regret",
    surface: Annotated[str, hpo.SURFACE] = "cubic",
    as_json: params.Json = False,
) -> None:
    """Hold out the largest cells, predict their optimum; ratio to the located one and loss regret."""
    from scalinglab.hparams import backtest_hparams

    err = stderr_console()  # a bar as `backtest` draws it: on a terminal, not with --json
    with FitProgress(err, enabled=err.is_terminal and not as_json) as progress:
        bt = backtest_hparams(
            sweep,
            holdout=holdout,
            law=law,
            lr_law=lr_law,
            batch_law=batch_law,
            presets=tuple(preset or ("steplaw2025", "deepseek2024")),
            y=opt.loss_column(y),
            lr=lr,
            batch=batch,
            batch_unit=batch_unit,
            seq_len=seq_len,
            columns=opt.map_pairs(
                mapping, example="tokens=train_tokens", also=hpo.MAPPED, beside=_y_loss(y)
            ),
            where=opt.where_pairs(where),
            weighting=weighting,
            surface=surface,
            progress=progress,
        )
    if as_json:
        data = {
            "format": "scalinglab.hparams_backtest/1",
            "holdout": bt.holdout,
            "where": dict(bt.where),
            "train_cells": list(bt.train_cells),
            "notes": list(bt.notes),
            "law_choice": bt.law_choice.to_dict() if bt.law_choice else None,
            "summary": {m: bt.summary(m) for m in bt.methods},
            "scores": [s.__dict__ for s in bt.scores],
        }
        text = opt.dumps(data)
        sys.stdout.write(text + "\n")
        return
    views.print_backtest(stdout_console(), bt)


def _y_loss(y: str) -> dict[str, str]:
    """What ``--y`` maps, beside ``--map``: the loss read from its column (``--y
    smooth_loss --map raw_loss=loss`` loses no loss column)."""
    return {"loss": opt.loss_column(y)}
