"""The values of a law's variables for models of a given size and data: (N, D) to its inputs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from scalinglab._errors import ConfigError
from scalinglab.laws._base import Law

__all__ = ["scale_inputs"]


def scale_inputs(
    law: Law, params: ArrayLike, tokens: ArrayLike, *, role: str = "law", hint: str = ""
) -> dict[str, NDArray[np.float64]]:
    """The values of ``law``'s variables for models of ``params`` trained on ``tokens``:
    ``params``, ``tokens``, and ``flops = 6·N·D`` for a law of compute.

    Args:
        law: The law to evaluate.
        params: Model sizes (N).
        tokens: Training tokens (D), the same shape.
        role: What the law is to the caller, for the error ("the loss law", "a chain's
            first step").
        hint: What to do instead, for the error.

    Raises:
        ConfigError: The law reads a column other than params, tokens and flops.
    """
    n, d = np.asarray(params, dtype=np.float64), np.asarray(tokens, dtype=np.float64)
    known = {"params": n, "tokens": d, "flops": 6.0 * n * d}
    out = {}
    for symbol, column in law.variables.items():
        if column not in known:
            raise ConfigError(
                f"{role} {law.name!r} reads the column {column!r}; only params, tokens and "
                "flops are known from a model's size and data",
                hint=hint or "use a law of params, tokens or flops (N, D or C)",
            )
        out[symbol] = known[column]
    return out
