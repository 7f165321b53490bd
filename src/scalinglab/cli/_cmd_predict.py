"""``scalinglab predict``: the loss of a run at (N, D) from a saved fit, with its interval.

::

    scalinglab predict --fit fit.json --params 7B --tokens 1.4T
    scalinglab predict --fit fit.json --params 1B,7B,70B --tokens 1.4T     # one tokens for all
    scalinglab predict --fit fit.json --params 7B --flops 5.9e22           # D = C/(6·N)
    scalinglab predict --fit fit.json --tokens 1.4T --flops 5.9e22         # N = C/(6·D)
    scalinglab predict --fit flops.json --flops 1e21,1e22                  # power-law:flops
    scalinglab predict --fit nu.json --params 1B --at U=10B          # a formula's U=unique
    scalinglab predict --preset hoffmann2022 --params 70B --tokens 1.4T  # a published law

The options map to the law's variables as :meth:`FitResult.predict`'s keywords do
(:func:`~scalinglab.fit._inputs.variable_keys`): ``--params`` (``--tokens``, ``--flops``)
gives whichever variable reads the params (tokens, flops) column, ``N`` or a formula's
``P``; ``--at NAME=VALUE`` any variable by its symbol or column; a variable given twice
(``--params`` and ``--at N``) is refused. So the command predicts what Python predicts at
the same point, and with ``--preset NAME`` what :meth:`Preset.predict` gives (its paper's
values: no interval).
"""

from __future__ import annotations

import shlex
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scalinglab._errors import ConfigError, check_level
from scalinglab.cli import _aliases as aliases
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli import _predict_hints as hints
from scalinglab.cli._predict_inputs import OPTIONS as _OPTIONS
from scalinglab.cli._predict_inputs import at_values, check_lengths, check_signs
from scalinglab.cli._predict_inputs import option_of as _option
from scalinglab.cli._render import stderr_console, stdout_console

if TYPE_CHECKING:  # the fit package loads NumPy: `--help` stays light
    from scalinglab.fit import FitResult
    from scalinglab.laws import Preset

__all__ = ["register"]

#: The hidden spelling of an option, and the keyword it gives (messages name it as typed).
_ALIASES = {"--compute": "flops"}


def predict_command(
    fit_path: params.FitFile = None,
    preset: Annotated[
        str | None,
        typer.Option(
            help="A published law instead of --fit: hoffmann2022, epoch2024, kaplan2020 (its "
            "paper's values: no interval)."
        ),
    ] = None,
    n: Annotated[
        str | None,
        typer.Option(
            "--params",
            metavar="N",
            help="Parameters, e.g. 7B (several: 1B,7B; bare under 10K: refused).",
        ),
    ] = None,
    d: Annotated[
        str | None,
        typer.Option(
            "--tokens",
            metavar="D",
            help="Training tokens, e.g. 1.4T (several: 1T,2T; bare under 10K: refused).",
        ),
    ] = None,
    c: Annotated[
        str | None,
        typer.Option(
            "--flops",
            metavar="C",
            help="Training compute, e.g. 5.9e22: for a law of C, or with --params instead of "
            "--tokens (D = C/(6·N)), or with --tokens instead of --params (N = C/(6·D)).",
        ),
    ] = None,
    c_compute: aliases.ComputeAsFlops = None,
    at: Annotated[
        list[str] | None,
        typer.Option(
            "--at",
            metavar="NAME=VALUE",
            help="A value of another variable of the law (its symbol or column): U=2B (repeat).",
        ),
    ] = None,
    level: params.FitLevel = None,
    as_json: params.Json = False,
    out: params.OutPredictions = None,
) -> None:
    """Loss of a run of --params trained on --tokens, from a saved fit (with its interval)
    or a published law (--preset)."""
    from scalinglab.cli import _predict_views as views
    from scalinglab.cli._law_source import law_source

    if out is not None:  # never over the fit it reads
        opt.check_output(
            out, option="--out", inputs=[("--fit", fit_path)], what="the predictions",
            example="predictions.json", kind_format=views.PREDICT_FORMAT,
        )  # fmt: skip
    typed = ("--params", "--tokens", aliases.flops_option(c_compute))  # as the user wrote
    c = aliases.flops(c, c_compute)
    given = {
        o: opt.quantities([t], option=o)
        for o, t in zip(typed, (n, d, c), strict=True)
        if t is not None
    }
    given |= at_values(at)
    check_lengths(given)
    if level is not None:
        check_level(level, option="--level")
    result, origin = law_source(fit_path, preset, command="predict")
    plan = f"--preset {preset}" if preset else f"--fit {shlex.quote(str(fit_path))}"
    symbols, shown = _law_points(result, given, origin=origin, plan=plan)
    check_signs(views.extrapolation(result), _reads(result), symbols)
    pred = _said_flops(result, result.predict(level=level, **symbols), given, symbols, shown)
    data = views.to_dict(result, pred, shown, origin, level=level)
    if as_json:  # JSON alone on stdout; a fit to simulated runs says so on stderr, as `fit`
        opt.emit_json(data, as_json=True, out=out, report=stderr_console(), what="predictions")
        if views.simulated_fit(result):
            views.simulated(stderr_console())
        views.print_caveats(stderr_console(), result, pred, shown, level=level)  # as fit's
        return
    views.print_prediction(result, pred, shown, origin, level=level)
    if out is not None:  # what --json prints
        opt.emit_json(data, as_json=False, out=out, report=stdout_console(), what="predictions")


def _law_points(
    result: FitResult | Preset, given: dict[str, Any], *, origin: str, plan: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values of each of the law's variables, by symbol (for :meth:`FitResult.predict`),
    and by the names the output shows them under, from the options ``given`` (``origin``:
    the fit's option, for the messages; ``plan``: the options that give ``scalinglab plan``
    the same law, for a hint). The options map to the variables as
    :meth:`FitResult.predict`'s keywords do (:func:`~scalinglab.fit._inputs.variable_keys`).

    Raises:
        ConfigError: A variable no option gives, or two do, or an option the law does not read.
    """
    import numpy as np

    from scalinglab.data._flops_rule import flops_of
    from scalinglab.fit._flops_inputs import (
        check_flops,
        flops_params,
        flops_tokens,
        params_of,
        per_token,
        tokens_of,
    )
    from scalinglab.fit._inputs import law_variables, names_for, variable_keys

    reads = _reads(result)
    rule = flops_of(result)  # FLOPs as the fit's runs counted them (a preset: its words)
    law = _law(result, origin)
    values: dict[str, Any] = {}
    option_of: dict[str, str] = {}  # keyword -> the option that gave it
    for option, v in given.items():
        keyword = _keyword(option)
        if keyword in option_of:
            raise ConfigError(
                f"{option_of[keyword]} and {option} both give {keyword}",
                hint=f"give one of them: {option_of[keyword]}",
            )
        option_of[keyword], values[keyword] = option, np.asarray(v, dtype=np.float64)
    keys = variable_keys(reads, values, law=law, label=option_of.__getitem__)
    symbols = {s: values[k] for s, k in keys.items()}
    shown = {k if k in _OPTIONS.values() else reads[s]: values[k] for s, k in keys.items()}
    used = set(keys.values())
    derived = flops_tokens(reads, keys, values)
    if derived is not None:  # the tokens of compute C at size N, as predict(flops=) reads them
        tokens, sized = derived
        symbols[tokens] = tokens_of(values["flops"], symbols[sized], rule)
        shown["tokens"], shown["flops"] = symbols[tokens], values["flops"]
        used.add("flops")
    derived = flops_params(reads, keys, values)
    if derived is not None:  # the params of compute C at tokens D: N = C/(6·D)
        sized, tokens = derived
        symbols[sized] = params_of(values["flops"], symbols[tokens], rule)
        shown = {"params": symbols[sized]} | shown | {"flops": values["flops"]}  # N first
        used.add("flops")
    for symbol in reads:
        if symbol not in symbols:
            option = _option(symbol, reads)
            raise ConfigError(
                f"{law} reads {law_variables(reads)}: give {option}"
                + ("=VALUE" if option.startswith("--at") else "")
                + (
                    f" (or --flops with --params: D = C/({per_token(rule)}·N))"
                    if "tokens" in names_for(symbol, reads)
                    else ""
                ),
                hint=hints.missing(result, values, reads, plan=plan),
            )
    # --flops beside --params and --tokens: refused unless it is their 6·N·D (times the fit's
    # ratio to it), as predict(flops=)
    if check_flops(reads, keys, values, law=law, label=option_of.__getitem__, rule=rule):
        used.add("flops")
        shown["flops"] = values["flops"]
    unused = [option_of[k] for k in values if k not in used]
    if unused:
        twice = next((s for s, k in keys.items() if k == "tokens"), None)
        extra = (
            f"--tokens and {option_of['flops']} both give {twice}"
            if twice is not None and option_of.get("flops") in unused
            else f"it does not read {', '.join(unused)}"
        )
        raise ConfigError(
            f"{law} reads {law_variables(reads)}; {extra}",
            hint=f"drop {', '.join(unused)}: e.g. {hints.example(reads)}",
        )
    return symbols, shown


def _said_flops(
    result: FitResult | Preset,
    pred: Any,
    given: dict[str, Any],
    symbols: dict[str, Any],
    shown: dict[str, Any],
) -> Any:
    """``pred`` with the notes ``predict(flops=)`` gives (the command predicts by the law's
    ``symbols``, which carry no ``flops``): where the fit counts FLOPs otherwise than 6·N·D,
    and where the tokens ``--flops`` gives lie far below the fitted runs' (a preset's: those
    its source's runs trained on, where it records them): a slip?"""
    from dataclasses import replace

    import numpy as np

    from scalinglab.cli import _predict_views as views
    from scalinglab.data._flops_rule import flops_of
    from scalinglab.fit import FitResult
    from scalinglab.fit._flops_inputs import flops_notes, per_token
    from scalinglab.fit._flops_slip import fit_floor, preset_floor, slip_notes

    keywords = {_keyword(o): o for o in given}
    rule, reads = flops_of(result), _reads(result)
    said = flops_notes(reads, keywords, rule)
    if {"flops", "tokens"} <= set(keywords) and "params" not in keywords and "params" in shown:
        said.append(  # the params the table shows were worked out, not given
            f"params derived from {keywords['flops']} and {keywords['tokens']}: "
            f"N = C/({per_token(rule)}·D)"
        )
    if "flops" in keywords:  # a --flops that gives far fewer tokens than the runs: a slip?
        flag = keywords["flops"]
        if isinstance(result, FitResult):
            floor = fit_floor(views.extrapolation(result), reads)
        else:  # a preset: the tokens its source's runs trained on, where it records them
            floor = preset_floor(result)
        at = {s: np.asarray(v) for s, v in symbols.items()}
        said += slip_notes(floor, reads, keywords, at, given[flag], rule, flag=flag)
    return replace(pred, notes=(*said, *pred.notes))


def _keyword(option: str) -> str:
    """The keyword of ``FitResult.predict`` an option gives (``--compute``: ``flops``)."""
    return _OPTIONS.get(option) or _ALIASES.get(option) or option.removeprefix("--at ")


def _law(result: FitResult | Preset, origin: str) -> str:
    from scalinglab.cli._predict_views import law_spec

    return f"law {law_spec(result)!r} ({origin})"


def _reads(result: FitResult | Preset) -> dict[str, str]:
    """The column each variable of the law read: a fit's own, a preset's law's defaults."""
    from scalinglab.fit import FitResult

    return dict(result.columns if isinstance(result, FitResult) else result.law.variables)


def register(app: typer.Typer) -> None:
    """Add ``predict`` to ``app``."""
    app.command("predict")(predict_command)
