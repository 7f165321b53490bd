"""The best fit's compute-optimal path of a chain's loss law: ``(N*(C), D*(C))`` and its loss.

The path is ``scalinglab plan``'s (:func:`scalinglab.plan._allocation.optimum`: Chinchilla's
closed form, else the numeric search along each iso-FLOP line), with budgets counted as plan
counts them (:func:`scalinglab.plan._source.planned_flops`: ``C = 6·N·D·r(N)`` as the chain's
runs counted FLOPs, 6·N·D where they have none), so a target accuracy's plan and a target
loss's follow the same optimum. A law of compute alone, ``L(C)``,
has no split: its ``N`` and ``D`` are NaN, and the chain is read at an even split
(``N = D``), any split of ``C`` giving it the same loss and distance.
"""

from __future__ import annotations

import math

import numpy as np

from scalinglab.data._flops_rule import FlopsConvention
from scalinglab.downstream._step import Step
from scalinglab.fit._objective import Array
from scalinglab.plan._allocation import optimum
from scalinglab.plan._search import planning_symbols
from scalinglab.plan._source import compute_symbol

__all__ = ["Path"]


class Path:
    """``step``'s best fit along ``log C``: each point found once, kept (the inversion of a
    band asks for the same points again)."""

    def __init__(self, step: Step, *, flops: FlopsConvention) -> None:
        """The path of ``step``'s best fit.

        Args:
            step: The chain's loss law, fitted.
            flops: How a budget counts compute (:func:`~scalinglab.plan._source.planned_flops`).
        """
        self.law, self.theta, self.flops = step.law, step.theta, flops
        self.alone = compute_symbol(step.law)
        self.symbols = (self.alone, "") if self.alone else planning_symbols(step.law)
        self._known: dict[float, tuple[float, float, float]] = {}  # log C -> N, D, loss

    def loss(self, log_c: Array) -> Array:
        """The compute-optimal loss at each ``log C`` (for :func:`bisect_compute`)."""
        self.prefetch(log_c)
        return np.array([self._known[x][2] for x in log_c.tolist()])

    def prefetch(self, log_c: Array) -> None:
        """Find the points ``log_c`` not known yet, in one vectorized search."""
        xs = np.array([x for x in np.ravel(log_c).tolist() if x not in self._known])
        if not len(xs):
            return
        if self.alone is not None:
            loss = self.law.evaluate(self.theta, {self.alone: np.exp(xs)})
            nan = np.full(len(xs), math.nan)
            n, d = nan, nan
        else:
            rows = np.repeat(self.theta[None, :], len(xs), axis=0)
            opt, _ = optimum(self.law, rows, xs, self.flops)
            n, d, loss = np.exp(opt.log_n), np.exp(opt.log_d), opt.loss
        for k, x in enumerate(xs.tolist()):
            self._known[x] = (float(n[k]), float(d[k]), float(np.ravel(loss)[k]))

    def at(self, log_c: float) -> tuple[float, float, float]:
        """``(N*, D*, loss)`` at ``log C`` (NaN ``N*``, ``D*`` for a law of compute alone)."""
        self.prefetch(np.array([log_c]))
        return self._known[log_c]

    def model(self, log_c: float) -> tuple[float, float]:
        """The ``(params, tokens)`` the chain is read at: ``(N*, D*)``, or an even split of
        ``C`` for a law of compute alone."""
        n, d, _ = self.at(log_c)
        if self.alone is None:
            return n, d
        even = math.sqrt(math.exp(log_c) / 6.0)
        return even, even

    def symbols_at(self, log_c: float) -> dict[str, float]:
        """The point by the law's symbols (``N``, ``D``; ``C`` for a law of compute alone)."""
        if self.alone is not None:
            return {self.alone: math.exp(log_c)}
        n, d, _ = self.at(log_c)
        return {self.symbols[0]: n, self.symbols[1]: d}
