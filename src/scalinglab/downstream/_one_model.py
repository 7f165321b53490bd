"""One model's size and tokens as a chain reads them (a number or ``"7B"``): a chain
predicts one model a call."""

from __future__ import annotations

import math

from scalinglab._errors import ConfigError
from scalinglab._format import format_g
from scalinglab.data._units import as_quantities

__all__ = ["one_model", "one_size"]


def one_size(params: object, tokens: object) -> tuple[float, float]:
    """One model's ``params`` and ``tokens`` (numbers or ``"7B"``), each positive and
    finite: a :class:`ConfigError` naming them otherwise."""
    n, d = one_model(params, "params"), one_model(tokens, "tokens")
    if not (n > 0 and d > 0 and math.isfinite(n * d)):
        raise ConfigError(
            f"params and tokens must be positive and finite, got params={format_g(n)}, tokens={format_g(d)}",
            hint="give one model's size and training tokens, e.g. params=1.4e9, tokens=28e9 "
            "(or '1.4B', '28B')",
        )
    return n, d


def one_model(value: object, name: str) -> float:
    """One size or token count (a number or ``"7B"``): a chain predicts one model a call."""
    q = as_quantities(value, name)
    if q.size != 1:
        raise ConfigError(
            f"{name} must be one number, got {q.size}: a chain predicts one model at a time",
            hint="call predict once per model, as downstream predict --params 1B,7B does: "
            "[chain.predict(params=n, tokens=d) for n, d in zip(params, tokens)]",
        )
    return float(q.reshape(-1)[0])
