"""The refusal of a ``top-scales:K`` hold-out that leaves no model size to fit on.

A hyperparameter backtest fits its laws to the cells of the model sizes it keeps: ``K`` must
leave one. Where the sweep has several sizes the message lists them (the K a rule can take);
where it has one, no size can be held out at all, and the hint names the hold-out by budget
(``'tokens>=30B'``, the cells' largest) that such a sweep can make.
"""

from __future__ import annotations

import math
from typing import NoReturn

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_count
from scalinglab.hparams._cell_label import cell_label
from scalinglab.validate._rules import rule_said

__all__ = ["one_size", "too_few_sizes"]


def too_few_sizes(holdout: str, sizes: np.ndarray, tokens: np.ndarray | None) -> NoReturn:
    """Refuse a ``top-scales:K`` that leaves no model size to fit on, naming the sizes there
    are; of a sweep at one model size, pointing to a hold-out by budget, which it can make.

    Raises:
        ConfigError: Always.
    """
    said = rule_said("--holdout", holdout)
    have = ", ".join(cell_label({"params": s})[2:] for s in sizes)
    if len(sizes) > 1:
        raise ConfigError(
            f"{said}: K must be between 1 and {len(sizes) - 1}: the cells have "
            f"{len(sizes)} model sizes ({have}), and one at least must be left to fit on",
            hint=f"e.g. --holdout top-scales:1, or size:{have.rsplit(', ', 1)[-1]} (holdout= in "
            "Python)",
        )
    why, hint = one_size(sizes, tokens)
    raise ConfigError(f"{said}: {why}", hint=hint)


def one_size(sizes: np.ndarray, tokens: np.ndarray | None) -> tuple[str, str]:
    """Why the cells of one model size ``sizes`` (its one value) cannot hold out their
    largest sizes, and the hint: the hold-out by budget they can make (the report of such a
    sweep says both where its default hold-out would have been)."""
    have = ", ".join(cell_label({"params": s})[2:] for s in sizes)
    # a rule the sweep can take: its largest budget held out (a sweep of one budget too
    # refuses it, by the rule's own message: it holds out every cell)
    largest = "N" if tokens is None else format_count(_rounded_down(float(np.max(tokens))))
    return (
        f"every cell is of one model size ({have}), so holding out the largest model sizes "
        "would leave none to fit the laws on",
        f"hold out cells by their training tokens instead: --holdout 'tokens>={largest}'"
        f"{'' if tokens is None else ' (the largest budget)'}; or add sweeps at other model "
        "sizes",
    )


def _rounded_down(x: float) -> float:
    """``x`` cut to three significant figures, never above it: ``tokens>=`` that number
    still holds out the cell of budget ``x`` (28,437,500,000 reads 28.4B, not 28.5B)."""
    scale = 10.0 ** (math.floor(math.log10(x)) - 2)
    return math.floor(x / scale * (1 + 1e-12)) * scale
