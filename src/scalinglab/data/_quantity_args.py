"""Python arguments of counts and points, read as the options that take them read text:
a whole count of steps (``24K``), a prediction's ``(N, D, C)``, and ``tokens_per_step``
(``0.5M``, ``"0.5M tokens"``, ``"0.5M tokens/step"``), by the parser ``--tokens-per-step``
reads with (:func:`~scalinglab.data._units.read_worded`), its errors worded alike."""

from __future__ import annotations

import math

from scalinglab._checks import check_number
from scalinglab._errors import ConfigError, meant
from scalinglab._format import format_g
from scalinglab.data._unit_words import STEP_TOKENS_HINT
from scalinglab.data._units import as_quantity, parse_cell, read_worded

__all__ = ["prediction_point", "step_tokens", "under_one_token", "whole_quantity"]


def step_tokens(value: object, *, name: str = "tokens_per_step") -> float:
    """The tokens of one step from a Python argument: a number, or text as
    ``--tokens-per-step`` reads it (``"0.5M"``, ``"0.5M tokens"``, ``"0.5M tokens/step"``),
    with its errors (``tokens_per_step='0.5M params' is a count of params, not tokens``).

    Raises:
        ConfigError: Naming ``name``, for text that is no number or names another
            quantity, or a value that is not positive and finite.
    """
    if not isinstance(value, str):  # a number, or a kind of none: "must be a number"
        number = check_number(name, value, above=0.0, what="a number of tokens",
                              example=f"{name}=2**19 or '0.5M tokens' (batch size × sequence "
                              "length)")  # fmt: skip
        return under_one_token(f"{name}={format_g(number)}", number)
    given = f"{name}={value!r}"
    read = read_worded(value, "tokens", given=given, per_step=True)
    if read is None:
        raise ConfigError(f"{given} is not a number", hint=STEP_TOKENS_HINT)
    if not (math.isfinite(read) and read > 0):
        raise ConfigError(
            f"{name} must be a positive, finite number, got {value!r}", hint=STEP_TOKENS_HINT
        )
    return under_one_token(given, read)


def under_one_token(given: str, read: float) -> float:
    """``read``, the tokens of one step (``given`` as the caller wrote it), refused under 1:
    a step trains on at least one token, so ``0.5`` is ``0.5M`` with its unit left off (it
    was read, with a warning that the derived token column looked like millions)."""
    if read >= 1:
        return read
    raise ConfigError(
        f"{given} is under one token per step: a unit left off?",
        hint=f"{meant(f'{format_g(read)}M', aside=f'({format_g(read * 1e6)} tokens)', hint=True)} "
        f"{STEP_TOKENS_HINT}",
    )


def whole_quantity(
    value: object, name: str, *, example: str = "24K", least: int | None = None
) -> int:
    """A whole count (of steps) written as people write it: ``24000``, ``24K``, ``2.5K``;
    ``least``: the fewest it may be (``None``: any).

    Raises:
        ConfigError: Naming ``name``, for a value that is not a number or not a whole one
            (``1.2345K`` is 1234.5 steps: refused, not rounded), or under ``least``.
    """
    parsed = None if isinstance(value, bool) else parse_cell(value)
    given = f"{name}={str(value).strip()}"
    if parsed is None or not math.isfinite(parsed[0]):
        raise ConfigError(f"{given} is not a number", hint=f"pass e.g. {name}={example}")
    v = parsed[0]
    # 1.1K is 1100.0000000000002 in floats: whole within rounding, not a fraction of a step
    if abs(v - round(v)) > 1e-9 * max(1.0, abs(v)):
        shown = f"{given} ({format_g(v)})" if parsed[1] else given  # 24.0005K (24000.5)
        raise ConfigError(
            f"{shown} is not a whole number of steps",
            hint=f"pass a whole count, e.g. {name}={example}",
        )
    if least is not None and round(v) < least:  # steps=-5: no run, whatever its warm-up
        raise ConfigError(
            f"{given} must be {least} or more (a count of steps)",
            hint=f"pass e.g. {name}={example}",
        )
    return round(v)


def prediction_point(
    params: float | str, tokens: float | str, flops: float | str | None
) -> tuple[float, float, float]:
    """``(N, D, C)`` where a prediction is asked: numbers or ``"7B"``, ``C = 6·N·D`` unless
    given (a hyperparameter fit's and a preset's ``predict`` alike).

    Raises:
        ConfigError: A value that is not one positive, finite number.
    """
    n = as_quantity(params, "params")
    d = as_quantity(tokens, "tokens", example="1.4T")
    return n, d, 6.0 * n * d if flops is None else as_quantity(flops, "flops", example="1e23")
