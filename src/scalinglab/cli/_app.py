"""The Typer app: ``scalinglab --version``, ``laws``, and every command registered on it.

Each command parses its options, calls the library, and hands the result to a view. Errors
are raised, never printed here: :func:`scalinglab.cli.main` is the one place that turns a
:class:`scalinglab.ScalingLabError` into a message and an exit code.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _views as views
from scalinglab.cli._render import stderr_console, stdout_console
from scalinglab.cli._root import new_app

__all__ = ["app", "stderr_console", "stdout_console"]

app = new_app()


def laws_command(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="[NAME]",
            help="One law in full (chinchilla, power-law:flops, bnsl-2, a preset's name or a "
            "formula): its parameters with bounds and starts, the columns it reads, what its "
            "exponents mean; or a hyperparameter preset (steplaw2025): its lr* and B* rules.",
            show_default=False,
        ),
    ] = None,
    as_json: params.Json = False,
) -> None:
    """The law catalog with formulas and citations, and the published presets: of the loss
    (--preset) and of lr and batch (hparams predict --preset); with NAME, that law or preset
    in full."""
    from scalinglab.cli import _hparams_presets_view as hp

    if name is not None:
        from scalinglab.cli import _law_help
        from scalinglab.laws import PRESETS

        rule = None if name.strip().lower() in PRESETS else hp.find(name)
        if rule is not None:  # steplaw2025: lr* and B*, no loss law (kaplan2020: the loss law's)
            if as_json:
                sys.stdout.write(opt.dumps({"format": hp.FORMAT, **hp.preset_dict(rule)}) + "\n")
            else:
                hp.print_preset(stdout_console(), rule)
            return
        law, preset = _law_help.lookup(name)
        if as_json:
            sys.stdout.write(opt.dumps(_law_help.law_dict(law, preset)) + "\n")
        else:
            _law_help.print_law(stdout_console(), law, preset)
            also = None if preset is None else hp.find(preset.name)
            if also is not None:  # kaplan2020 names a critical batch too
                stdout_console().print(f"{also.name} is also a hyperparameter preset: "
                                       f"{hp.preset_dict(also)['use']}", markup=False, soft_wrap=True)  # fmt: skip
        return
    if as_json:
        sys.stdout.write(
            opt.dumps(views.laws_dict() | {"hparams_presets": hp.presets_dict()}) + "\n"
        )
        return
    views.print_laws(stdout_console())


def _register_laws(app: typer.Typer) -> None:
    app.command("laws")(laws_command)


# -- the commands, in the order --help lists them ------------------------------------------
# Each ``_cmd_*`` module defines ``register(app)``; add one import and one entry here.
from scalinglab.cli import (  # noqa: E402
    _cmd_backtest,
    _cmd_curves,
    _cmd_downstream,
    _cmd_fit,
    _cmd_hparams,
    _cmd_ingest,
    _cmd_isoflop,
    _cmd_ladder,
    _cmd_plan,
    _cmd_predict,
    _cmd_report,
    _cmd_store,
)

for _register in (
    _cmd_fit.register,
    _cmd_plan.register,
    _cmd_predict.register,
    _register_laws,
    _cmd_store.register,
    _cmd_report.register,
    _cmd_backtest.register,
    _cmd_isoflop.register,
    _cmd_ingest.register,
    _cmd_ladder.register,
    _cmd_hparams.register,
    _cmd_downstream.register,
    _cmd_curves.register,
):
    _register(app)
