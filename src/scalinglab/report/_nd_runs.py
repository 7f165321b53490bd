"""The runs of a fit of model size and tokens as its figures draw them: which of the law's
symbols those are, the columns they were read from, and each run's compute.

Which symbols are the model size and the tokens is decided by the columns they read
(:func:`~scalinglab.fit._withheld.params_tokens`), the rule planning plans by, not by
their names: a formula in ``P`` and ``T`` reading params and tokens is drawn as one in
``N`` and ``D``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError
from scalinglab.fit._withheld import params_tokens

if TYPE_CHECKING:
    from scalinglab.data import RunTable
    from scalinglab.fit import FitResult

__all__ = ["nd_columns", "nd_symbols", "run_compute"]


def nd_symbols(result: FitResult) -> tuple[str, str]:
    """The symbols of the fit's law that read params and tokens (``N``, ``D``; ``P``, ``T``
    in a formula).

    Raises:
        ConfigError: If the law does not read both.
    """
    pair = params_tokens(result.law)
    if pair is None:
        raise ConfigError(
            f"law {result.law_spec} does not read both params and tokens: no figure against "
            "model size and tokens can be drawn",
            hint="fit a law of params and tokens, such as 'chinchilla'",
        )
    return pair


def nd_columns(result: FitResult) -> tuple[str, str]:
    """The run-table columns the model size and the tokens were read from (``--x N=nonemb``:
    ``nonemb``), those of :func:`nd_symbols`."""
    n, d = nd_symbols(result)
    return result.columns[n], result.columns[d]


def run_compute(result: FitResult, runs: RunTable) -> NDArray[np.float64]:
    """Each run's compute: its ``flops`` column, else ``6·N·D``."""
    if runs.has("flops"):
        return np.asarray(runs["flops"], dtype=np.float64)
    n, d = nd_columns(result)
    return np.asarray(6.0 * runs[n] * runs[d], dtype=np.float64)
