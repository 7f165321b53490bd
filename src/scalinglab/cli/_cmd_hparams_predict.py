"""``scalinglab hparams predict``: lr* and B* at (N, D) from a saved hparams fit or a
published preset, each with its interval; or a preset's critical batch at a loss.

::

    scalinglab hparams predict --params 7B --tokens 1.4T --fit hp.json --out hp_pred.json
    scalinglab hparams predict --params 7B --tokens 1.4T --preset steplaw2025
    scalinglab hparams predict --params 1B --flops 1e21 --fit hp.json  # D = C/(6·N)
    scalinglab hparams predict --preset kaplan2020 --loss 2.5      # critical batch, no lr
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

import typer

from scalinglab._errors import ConfigError, check_level
from scalinglab._no_intervals import asked
from scalinglab.cli import _aliases as aliases
from scalinglab.cli import _hparams_options as hpo
from scalinglab.cli import _hparams_views as views
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params_
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._sources import source_dict

__all__ = ["FORMAT", "predict_command"]

#: The "format" of what --json prints and --out saves (:data:`scalinglab._formats.KINDS`).
FORMAT = "scalinglab.hparams_predict/1"


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
            "(default: by the fit's FLOPs convention; 6·N·D for a preset); with --params "
            "instead of --tokens, D = C/(6·N) by that count.",
        ),
    ] = None,
    flops_compute: aliases.ComputeAsFlops = None,
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
    level: params_.FitLevel = None,
    as_json: params_.Json = False,
    out: params_.OutPredictions = None,
) -> None:
    """lr* (peak) and B* at (N, D), each with an interval, the loss there, and how flat it is.

    With --preset kaplan2020: the critical batch (tokens) at a loss, and no learning rate.
    """
    from scalinglab.hparams._critical import CRITICAL_BATCH_PRESETS, critical_batch_at

    if out is not None:  # before any work, never over a fit it reads (--fit, --loss FIT)
        read = [("--fit", fit_path), ("--loss", None if loss is None else Path(loss))]
        opt.check_output(out, option="--out", inputs=read, what="the predictions",
                         example="hp_pred.json", kind_format=FORMAT)  # fmt: skip
    flag = aliases.flops_option(flops_compute)  # the messages name the spelling typed
    flops = aliases.flops(flops, flops_compute)
    n, d, c = (
        None if text is None else _one(option, text)
        for option, text in (("--params", params), ("--tokens", tokens), (flag, flops))
    )
    pred: Any
    if level is not None and fit_path is None and preset is not None:  # no interval there
        raise ConfigError(
            f"--level sets the coverage of a fit's intervals; preset {preset} has none",
            hint="drop --level, or predict from a fit: --fit hp.json (hparams fit --out)",
        )
    if preset is not None and preset in CRITICAL_BATCH_PRESETS:
        if c is not None:  # the critical batch is read at a loss, not at a compute
            raise ConfigError(f"--preset {preset} takes no {flag}", hint=f"drop {flag}")
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
        if n is None and d is None and c is None:  # the library names what a law misses
            raise ConfigError(
                "give --params and --tokens",
                hint="e.g. --params 7B --tokens 1.4T; or --flops alone for laws of C alone "
                "(--preset deepseek2024), --params alone for laws of N alone (porian2024)",
            )
        if preset is not None:
            from scalinglab.hparams import get_hparam_preset

            source = get_hparam_preset(preset)
            pred = _spelled(flag, source.predict, params=n, tokens=d, flops=c, seq_len=seq_len)
        else:
            from scalinglab.hparams import HparamFit

            assert fit_path is not None
            source = HparamFit.load(fit_path, option="--fit")
            if level is not None:
                level = check_level(level, option="--level")
            pred = _spelled(flag, source.predict, params=n, tokens=d, flops=c, seq_len=seq_len,
                            level=level)  # fmt: skip
    # what the numbers were read from, as `predict --json` says it
    block = source_dict(source, f"--fit {fit_path}")
    data = {"format": FORMAT, "source": block, **pred.to_dict()}
    if as_json:  # JSON alone on stdout; "wrote ...", and the text's caveats, on stderr
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="predictions")
        views.print_caveats(stderr_console(), pred)
        return
    if preset in CRITICAL_BATCH_PRESETS:
        views.print_critical_batch(stdout_console(), pred)
    else:
        views.print_prediction(
            stdout_console(), pred, requested=asked(getattr(source, "settings", {}))
        )
    if out is not None:  # what --json prints
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="predictions")


def _one(option: str, text: str) -> float:
    """The one value of ``option``: a list (``1B,7B``, as ``predict`` takes) is refused
    by name, since the table and the JSON (:data:`FORMAT`) hold one point's prediction."""
    values = opt.quantities([text], option=option)
    if len(values) > 1:
        raise ConfigError(
            f"{option} {text!r} gives {len(values)} values; hparams predict takes one point "
            "(one value each of --params, --tokens, --flops)",
            hint=f"run it once per point ({option} {text.split(',')[0].strip()}, then "
            f"{option} {text.split(',')[1].strip()}, ...), or in Python call .predict() once "
            "per point",
        )
    return values[0]


def _spelled(flag: str, predict: Callable[..., Any], **at: Any) -> Any:
    """``predict(**at)`` with its messages (an error, the notes and warnings) naming the
    compute option as typed, ``flag`` (``--compute``, the hidden alias), where the library
    names ``--flops``; a note naming the compute given as Python does (``flops=1e3``: the
    tokens it gives, far below the sweep's, a slip?) names it as typed (``--flops 1e3``)."""
    from scalinglab.fit._flops_slip import said_flops

    try:
        pred = predict(**at)
    except ConfigError as err:
        if flag == "--flops":
            raise
        said = aliases.spelled(err.message, flag)
        raise ConfigError(said, hint=aliases.spelled(err.hint, flag)) from err
    c = at.get("flops")
    python, typed = ("", "") if c is None else (said_flops("flops=", c), said_flops(flag, c))
    return replace(
        pred,
        notes=tuple(aliases.spelled(n, flag).replace(python, typed) for n in pred.notes),
        warnings=tuple(aliases.spelled(w, flag) for w in pred.warnings),
    )
