"""The earlier rounds' chain, recreated in this process for comparison with the defaults.

Each is a context manager that swaps one function of the chain's loss link for the round's
own and puts the default back on exit; :func:`unchanged` is the default itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import numpy as np

from scalinglab import get_law
from scalinglab.data import RunTable
from scalinglab.downstream import _loss_link as link
from scalinglab.downstream._loss_link import chain_delta
from scalinglab.downstream._refit import Step, fit_step, scale_inputs
from scalinglab.laws import Law
from scalinglab.validate import choose_law


@contextmanager
def first_link(delta: float | None) -> Iterator[None]:
    """The chain's loss law at a fixed Huber ``delta`` (the third round's ``1e-3``), or with
    ``None`` at the default (``1.345 x`` the residuals' robust scale)."""
    kept = link.fit_loss
    if delta is not None:
        fixed_delta = delta

        def fixed(
            law: Law,
            data: dict[str, np.ndarray],
            loss: np.ndarray,
            weights: np.ndarray | None,
            *,
            delta: float | None = None,  # the chain's delta: not this round's
            progress: Callable[[int, int], None] | None = None,
        ) -> tuple[Step, float]:
            step = fit_step(
                law, data, loss, space="log", delta=fixed_delta, weights=weights,
                progress=progress,
            )  # fmt: skip
            return step, fixed_delta

        link.fit_loss = fixed
    try:
        yield
    finally:
        link.fit_loss = kept


@contextmanager
def choice_at_1e3() -> Iterator[None]:
    """Law auto as in the fourth round: the candidates scored at ``fit``'s ``delta = 1e-3``,
    the chosen law then fitted at its chain delta (the fifth round scores each at its own)."""
    kept = link.loss_law

    def old(table: RunTable, law: str | Law, *, seed: int) -> tuple[Law, float, str]:
        if not (isinstance(law, str) and law == "auto"):
            return kept(table, law, seed=seed)
        choice = choose_law(table, y="loss", seed=seed)
        chosen = get_law(choice.chosen)
        data = scale_inputs(chosen, table["params"], table["tokens"])
        return chosen, chain_delta(chosen, data, table["loss"]), f"law auto: {choice.reason}"

    link.loss_law = old
    try:
        yield
    finally:
        link.loss_law = kept


@contextmanager
def unchanged() -> Iterator[None]:
    yield
