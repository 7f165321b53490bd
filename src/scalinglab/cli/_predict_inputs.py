"""What ``scalinglab predict`` reads off its options before it predicts: ``--at NAME=VALUE``
pairs, values that pair up point by point, the option that gives each of a law's variables,
and values of 0 or below where the law is undefined."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab._pairs import split_pair
from scalinglab.cli import _options as opt

__all__ = ["OPTIONS", "at_values", "check_lengths", "check_signs", "option_of"]

#: The options that give a run's coordinates, and the keyword of ``FitResult.predict``
#: each is (``--at NAME`` is ``NAME``): a law's variable that reads (or stands for) the
#: params column takes --params, whatever its symbol.
OPTIONS = {"--params": "params", "--tokens": "tokens", "--flops": "flops"}


def option_of(symbol: str, reads: Mapping[str, str]) -> str:
    """The option that gives ``symbol``: --params (--tokens, --flops) for a variable that
    reads or stands for that column, else ``--at SYMBOL``."""
    from scalinglab.fit._inputs import names_for

    names = names_for(symbol, reads)
    return next((o for o, k in OPTIONS.items() if k in names), f"--at {symbol}")


def at_values(texts: list[str] | None) -> dict[str, tuple[float, ...]]:
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
        # 0 or below: a variable can be fitted there (U from -1 to 4); check_signs decides
        out[f"--at {name}"] = opt.quantities([value], option=f"--at {name}", positive=False)
    return out


def check_signs(extrapolation: Any, reads: Mapping[str, str], symbols: dict[str, Any]) -> None:
    """Refuse a value of 0 or below for a variable the fit's runs held above 0 (any, for a
    preset: ``extrapolation`` None): its law (``N**-alpha``) and its distance in decades
    are undefined there."""
    import numpy as np

    ex = extrapolation  # a fit's (None for a preset: no runs known)
    for symbol, values in symbols.items():
        low = None if ex is None else ex.floor.get(symbol)
        if (low is not None and low <= 0) or not np.any(np.asarray(values) <= 0):
            continue
        bad = float(np.min(values))
        ran = (
            ""
            if ex is None or low is None
            else f" (from {format_g(low)} to {format_g(ex.reach[symbol])})"
        )
        raise ConfigError(
            f"{option_of(symbol, reads)} must be a positive, finite number, got {format_g(bad)}: the "
            f"fit's runs held {symbol} above 0{ran}",
            hint=f"predict at {symbol} > 0, where the law was fitted",
        )


def check_lengths(given: dict[str, tuple[float, ...]]) -> None:
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
