"""``flops=`` at a prediction of a law of N and D: the tokens it gives with ``params=``
(``D = C/(6·N·r(N))``), or a check that it says the model ``params=`` and ``tokens=`` say.

``r(N)`` is the fit's :class:`~scalinglab.data._flops_rule.FlopsConvention`: 1 for C = 6·N·D,
or the fitted runs' ratio to it where their flops were counted otherwise (exact counts: a
constant, or ``1 + k·N^p``), so that ``flops=`` means what the runs' flops column meant. ``FitResult.predict`` and ``scalinglab
predict`` read ``flops`` by these functions alike.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_quantity
from scalinglab.data._flops_rule import PLAIN_6ND, FlopsConvention
from scalinglab.fit._inputs import law_variables, names_for

__all__ = [
    "FLOPS_TOLERANCE",
    "check_flops",
    "flops_notes",
    "flops_params",
    "flops_tokens",
    "params_of",
    "per_token",
    "tokens_of",
]

#: ``flops=`` beside ``params=`` and ``tokens=`` may differ from their 6·N·D by this much
#: (rounding: 6e23 for 70B x 1.4T, 5.88e23) and no more.
FLOPS_TOLERANCE = 0.05


def _keyword(name: str) -> str:
    return f"{name}="


def per_token(rule: FlopsConvention) -> str:
    """FLOPs per parameter and token in words: ``6``, ``1.33·6``, ``6·(1 + 2e8·N^-1)``."""
    return rule.per_token()


def tokens_of(flops: Any, params: Any, rule: FlopsConvention) -> Any:
    """The tokens ``D = C/(6·N·r(N))`` of compute ``flops`` at size ``params``."""
    return rule.tokens(flops, params)


def flops_tokens(
    columns: Mapping[str, str], keys: Mapping[str, str], given: Collection[str]
) -> tuple[str, str] | None:
    """``(tokens symbol, params symbol)`` when the tokens come from ``flops`` as
    ``D = C/(6·N·r(N))`` (:func:`tokens_of`): the symbol that stands for tokens is not given
    (``keys``, from :func:`~scalinglab.fit._inputs.variable_keys`), the one for params is,
    and ``flops`` is given; else ``None``."""
    tokens = next((s for s in columns if s not in keys and "tokens" in names_for(s, columns)), None)
    sized = next((s for s in keys if "params" in names_for(s, columns)), None)
    if tokens is None or sized is None or "flops" not in given:
        return None
    return tokens, sized


def flops_params(
    columns: Mapping[str, str], keys: Mapping[str, str], given: Collection[str]
) -> tuple[str, str] | None:
    """``(params symbol, tokens symbol)`` when the params come from ``flops`` as
    ``N = C/(6·D·r)`` (:func:`params_of`): the symbol for params is not given, the one for
    tokens is, and ``flops`` is given; else ``None``."""
    sized = next((s for s in columns if s not in keys and "params" in names_for(s, columns)), None)
    tokens = next((s for s in keys if "tokens" in names_for(s, columns)), None)
    if sized is None or tokens is None or "flops" not in given:
        return None
    return sized, tokens


def params_of(flops: Any, tokens: Any, rule: FlopsConvention) -> Any:
    """The params ``N = C/(6·D·r)`` of compute ``flops`` at ``tokens``, for a fit whose
    FLOPs are a constant ``r`` times 6·N·D (1: C = 6·N·D).

    Raises:
        ConfigError: For a ratio that varies with N (``1 + k·N^p``), which N does not solve
            in closed form: give the params instead.
    """
    if rule.coef:
        raise ConfigError(
            f"the fit counts FLOPs as {rule.formula()}, which gives no params for --flops and "
            "--tokens in closed form",
            hint="give --params with --flops (D = C/(r·6·N)), or --params and --tokens",
        )
    return flops / (6.0 * tokens * rule.base)


def check_flops(
    columns: Mapping[str, str],
    keys: Mapping[str, str],
    values: Mapping[str, Any],
    *,
    law: str,
    label: Callable[[str], str] = _keyword,
    rule: FlopsConvention = PLAIN_6ND,
) -> bool:
    """Refuse ``flops`` beside the params and tokens a law of N and D reads when it is not
    their C = 6·N·D·r(N) within :data:`FLOPS_TOLERANCE` (another model than the prediction is
    for): one rule for ``predict`` and ``scalinglab predict`` (:func:`flops_tokens`: D from C).

    Args:
        columns: Symbol -> column of the fit.
        keys: The given name of each symbol (:func:`~scalinglab.fit._inputs.variable_keys`).
        values: The values given, by name (``params``, ``tokens``, ``flops``).
        law: The law as the messages name it (``law 'chinchilla'``).
        label: How a name was given, for the messages (``flops=``; ``--flops``).
        rule: How the fit counts FLOPs (``r(N)``: its ratio to 6·N·D).

    Returns:
        Whether ``flops`` was checked against the params and tokens given, and agrees: the
        same model, which the law reads by its N and D.

    Raises:
        ConfigError: Naming the FLOPs given and the 6·N·D·r(N) of the params and tokens.
    """
    if "flops" not in values or "flops" in keys.values():
        return False
    sized = next((s for s in keys if "params" in names_for(s, columns)), None)
    tokens = next((s for s in keys if "tokens" in names_for(s, columns)), None)
    if sized is None or tokens is None:
        return False
    n, d = (np.asarray(values[keys[s]], dtype=np.float64) for s in (sized, tokens))
    flops = np.asarray(values["flops"], dtype=np.float64)
    with np.errstate(all="ignore"):
        c = 6.0 * n * d * rule.ratio(n)
        ratio = np.broadcast_arrays(flops / c, c, flops)
    off = ~(np.abs(ratio[0] - 1.0) <= FLOPS_TOLERANCE)
    if not off.any():
        return True
    i = int(np.flatnonzero(off.reshape(-1))[0])
    given, six = float(ratio[2].reshape(-1)[i]), float(ratio[1].reshape(-1)[i])
    flag = label("flops")
    said = flag + ("" if flag.endswith("=") else " ") + format_quantity(given, "flops")
    n_is, d_is = label(keys[sized]), label(keys[tokens])
    k = per_token(rule)
    counted = "" if rule.is_6nd else ", as the fit counts FLOPs"
    raise ConfigError(
        f"{law} reads {law_variables(columns)}; {said} is not {k}·N·D of the {n_is} and {d_is} "
        f"given ({format_quantity(six, 'flops')}, within {FLOPS_TOLERANCE:.0%}{counted}): "
        f"{d_is} and {flag} both give {tokens}, and disagree",
        hint=f"drop {flag} (the law reads {tokens} from {d_is}), or drop {d_is} for "
        f"{tokens} = C/({k}·{sized}) from {flag}",
    )


def flops_notes(
    columns: Mapping[str, str], given: Collection[str], rule: FlopsConvention
) -> list[str]:
    """The line that says how ``flops`` given to a law of N and D was counted, where the
    fit counts FLOPs otherwise than 6·N·D (``plan``'s words); none where it is 6·N·D."""
    names = {k for s in columns for k in names_for(s, columns)}
    of_nd = any("params" in names_for(s, columns) for s in columns) and any(
        "tokens" in names_for(s, columns) for s in columns
    )
    if rule.is_6nd or "flops" not in given or "flops" in names or not of_nd:
        return []
    return [f"FLOPs counted as: {rule.planned()}"]
