"""``scalinglab predict``: the loss of a run at (N, D) from a saved fit, with its interval.

::

    scalinglab predict --fit fit.json --params 7B --tokens 1.4T
    scalinglab predict --fit fit.json --params 1B,7B,70B --tokens 1.4T     # one tokens for all
    scalinglab predict --fit fit.json --params 7B --flops 5.9e22           # D = C/(6·N)
    scalinglab predict --fit flops.json --flops 1e21,1e22                  # power-law:flops

The values go to :meth:`FitResult.predict` by the law's symbols (``N``, ``D``, ``C``, or a
formula's own with ``--at``), so the command predicts what Python predicts at the same point.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from scalinglab._errors import ConfigError, check_level
from scalinglab._format import format_quantity
from scalinglab._pairs import split_pair
from scalinglab.cli import _options as opt
from scalinglab.cli import _params as params
from scalinglab.cli._render import stderr_console

if TYPE_CHECKING:  # the fit package loads NumPy: `--help` stays light
    from scalinglab.fit import FitResult

__all__ = ["register"]

#: The options that give the run's coordinates, by the symbol a law reads them as.
_OPTIONS = {"N": "--params", "D": "--tokens", "C": "--flops"}
#: The name each has in the output and the JSON (as ``FitResult.predict`` takes them).
_NAMES = {"--params": "params", "--tokens": "tokens", "--flops": "flops"}


def predict_command(
    fit_path: Annotated[
        Path, typer.Option("--fit", help="A fit saved with `scalinglab fit --out`.")
    ],
    n: Annotated[
        str | None,
        typer.Option("--params", metavar="N", help="Parameters, e.g. 7B (several: 1B,7B)."),
    ] = None,
    d: Annotated[
        str | None,
        typer.Option("--tokens", metavar="D", help="Training tokens, e.g. 1.4T (several: 1T,2T)."),
    ] = None,
    c: Annotated[
        str | None,
        typer.Option(
            "--flops",
            metavar="C",
            help="Training compute, e.g. 5.9e22: for a law of C, or with --params instead of "
            "--tokens (D = C/(6·N)).",
        ),
    ] = None,
    at: Annotated[
        list[str] | None,
        typer.Option(
            "--at",
            metavar="NAME=VALUE",
            help="A value of another variable of the law (its symbol or column): U=2B (repeat).",
        ),
    ] = None,
    level: Annotated[
        float | None, typer.Option(help="Coverage of the intervals [default: the fit's].")
    ] = None,
    as_json: params.Json = False,
) -> None:
    """Loss of a run of --params trained on --tokens, from a saved fit, with its interval."""
    from scalinglab.cli import _predict_views as views
    from scalinglab.fit import FitResult

    given = {
        o: opt.quantities([t], option=o)
        for o, t in zip(_OPTIONS.values(), (n, d, c), strict=True)
        if t
    }
    given |= _at_values(at)
    _check_lengths(given)
    if level is not None:
        check_level(level, option="--level")
    result = FitResult.load(fit_path)
    origin = f"--fit {fit_path}"
    symbols, shown = _law_points(result, given, origin=origin)
    pred = result.predict(level=level, **symbols)
    notes = views.far(result, symbols, pred.interval_kind)
    if as_json:  # JSON alone on stdout; a fit to simulated runs says so on stderr, as `fit`
        opt.emit_json(
            views.to_dict(result, pred, shown, notes, origin), as_json=True, out=None, report=None
        )
        if result.simulated:
            views.simulated(stderr_console())
        return
    views.print_prediction(result, pred, shown, notes, origin)


def _law_points(
    result: FitResult, given: dict[str, Any], *, origin: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The values of each of the law's variables, by symbol (for :meth:`FitResult.predict`),
    and by the names the output shows them under, from the options ``given`` (``origin``:
    the fit's option, for the messages).

    Raises:
        ConfigError: A variable no option gives, or an option the law does not read.
    """
    import numpy as np

    reads = dict(result.columns)
    values = {o: np.asarray(v, dtype=np.float64) for o, v in given.items()}
    symbols: dict[str, Any] = {}
    shown: dict[str, Any] = {}
    used: set[str] = set()
    for symbol, column in reads.items():
        option = _OPTIONS.get(symbol) or _at_option(symbol, column, given)
        if option in values:
            symbols[symbol], shown[_NAMES.get(option, column)] = values[option], values[option]
            used.add(option)
        elif symbol == "D" and "C" not in reads and {"--flops", "--params"} <= set(values):
            # the tokens of compute C at size N, as predict(params=, flops=) reads them
            symbols["D"] = values["--flops"] / (6 * values["--params"])
            shown["tokens"], shown["flops"] = symbols["D"], values["--flops"]
            used.add("--flops")
        else:
            raise ConfigError(
                f"{_law(result, origin)} reads {_variables(reads)}: give {option}"
                + ("=VALUE" if option.startswith("--at") else "")
                + (" (or --flops with --params: D = C/(6·N))" if symbol == "D" else ""),
                hint=_hint(result, values),
            )
    unused = [o for o in given if o not in used]
    if unused:
        both = "--tokens" in used and "--flops" in unused  # C is not read: D given twice
        extra = (
            "--tokens and --flops both give D" if both else f"it does not read {', '.join(unused)}"
        )
        raise ConfigError(
            f"{_law(result, origin)} reads {_variables(reads)}; {extra}",
            hint=f"drop {', '.join(unused)}: e.g. {_example(reads)}",
        )
    return symbols, shown


def _law(result: FitResult, origin: str) -> str:
    return f"law {result.law_spec!r} ({origin})"


def _hint(result: FitResult, values: dict[str, Any]) -> str:
    """An example of the options the law needs; for a law of C given N and D, their 6·N·D
    (the fit's FLOPs may have been counted otherwise: its conventions say how)."""
    reads = dict(result.columns)
    if "C" in reads and {"--params", "--tokens"} <= set(values) and "--flops" not in values:
        c = 6 * values["--params"] * values["--tokens"]
        shown = ",".join(format_quantity(float(x), "flops") for x in c.ravel())
        return (
            f"--flops {shown} is 6·N·D of these --params and --tokens; the fit's FLOPs are "
            f"{result.conventions.flops}"
        )
    return f"e.g. {_example(reads)}"


def _variables(reads: dict[str, str]) -> str:
    """``N (params) and D (tokens)``: a law's variables in a message."""
    from scalinglab._format import join_and

    return join_and([f"{s} ({c})" for s, c in reads.items()])


def _example(reads: dict[str, str]) -> str:
    """Options that give every variable of a law, as a user would write them."""
    samples = {"N": "--params 7B", "D": "--tokens 1.4T", "C": "--flops 5.9e22"}
    return " ".join(samples.get(s, f"--at {s}=VALUE") for s in reads)


def _at_option(symbol: str, column: str, given: dict[str, Any]) -> str:
    """``--at NAME`` as given for a variable outside N, D, C (by its symbol or column)."""
    return next((o for o in given if o in (f"--at {symbol}", f"--at {column}")), f"--at {symbol}")


def _at_values(texts: list[str] | None) -> dict[str, tuple[float, ...]]:
    """``--at NAME=VALUE[,VALUE...]``: option ``--at NAME`` -> its values."""
    out: dict[str, tuple[float, ...]] = {}
    for text in texts or ():
        pair = split_pair(text)
        if pair is None:
            raise ConfigError(
                f"--at {text!r} is not NAME=VALUE", hint="write it as --at U=2B (U a law symbol)"
            )
        name, value = pair
        if f"--at {name}" in out:
            raise ConfigError(f"--at gives {name} twice", hint=f"give --at {name}=A,B for several")
        out[f"--at {name}"] = opt.quantities([value], option=f"--at {name}")
    return out


def _check_lengths(given: dict[str, tuple[float, ...]]) -> None:
    """Several values per option pair up; one value stands for every point."""
    many = [(o, len(v)) for o, v in given.items() if len(v) > 1]
    other = next(((o, k) for o, k in many if k != many[0][1]), None)
    if other is not None:
        (a, k), (b, m) = many[0], other
        raise ConfigError(
            f"{a} has {k} values and {b} has {m}: several values pair up point by point",
            hint="give one value (it holds for every point) or as many as the other, e.g. "
            "--params 1B,7B --tokens 20B,140B",
        )


def register(app: typer.Typer) -> None:
    """Add ``predict`` to ``app``."""
    app.command("predict")(predict_command)
