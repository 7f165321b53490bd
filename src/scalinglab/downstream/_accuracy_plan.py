"""What :func:`~scalinglab.downstream.plan_for_accuracy` returns: the compute, size and
tokens at which a task's expected accuracy reaches a target, each with its interval
(:mod:`._plan` says how they are found)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from typing_extensions import deprecated

from scalinglab._json import json_ready
from scalinglab.data._flops import SIX_ND
from scalinglab.downstream import _repr

__all__ = ["AccuracyPlan"]


@dataclass(frozen=True)
class AccuracyPlan:
    """The compute, size and tokens at which a task's expected accuracy reaches a target.

    Each quantity is ``(value, lower, upper)``. The value is the best fit's: the compute at
    which the chain's point prediction, along the loss law's compute-optimal ``(N*, D*)``,
    reaches the target. ``flops``'s interval at ``level`` is the inverse of one model's
    prediction band along that path (what :meth:`DownstreamFit.predict` gives at
    ``(N*(C), D*(C))``): from the compute where the band's upper bound reaches the target to
    where its lower bound does. An end never reached within ``[1e6, 1e50]`` FLOPs is 0 or
    ``inf``, with a note. ``params``, ``tokens`` and ``loss`` are the best fit's path at
    those ends (its compute-optimal ``N*``, ``D*`` and loss there: an interval of the same
    models, not the spread of the laws' parameters); at an end of 0, 0 and an infinite loss,
    at ``inf``, infinite ``N*`` and ``D*`` and the path's loss at 1e50 FLOPs, where it has
    levelled off. NaN bounds without a bootstrap, or where the best fit never reaches the
    target. A loss law of compute alone, ``L(C)``, plans no ``params`` nor ``tokens`` (NaN).

    Attributes:
        task: The task planned for (``"average"`` for the tasks' mean).
        target: The accuracy to reach.
        level: Coverage of the intervals.
        loss: ``(value, lower, upper)`` of the loss on the path at that compute.
        flops: ``(value, lower, upper)`` of the compute needed.
        params: ``(value, lower, upper)`` of the compute-optimal ``N*`` there.
        tokens: ``(value, lower, upper)`` of the compute-optimal ``D*`` there.
        notes: Why there is no number (the best fit's loss law never reaches the loss
            needed), an end of the interval never reached or a bound crossing back, an upper
            end past what the loss law's backtests measured; each names the task.
        distance: How far the best fit's ``(N*, D*)`` lies outside the chain's fitted models,
            in decades (:meth:`DownstreamFit.distance`; 0 inside, NaN when not known or not
            reached).
        below: Whether that distance is down, below the smallest fitted models, rather than
            beyond the largest (as a loss plan's :attr:`Allocation.below
            <scalinglab.plan.Allocation.below>`).
        flops_interval_kind: What the compute interval is, as :attr:`Allocation
            <scalinglab.plan.Allocation.flops_interval_kind>` says it:
            ``"backtest-calibrated"`` (the band holds the loss law's measured extrapolation
            error), ``"bootstrap"`` (it was not measured), ``"none"`` without an interval.
        loss_interval_kind: What the loss interval is: ``"path-at-compute-ends"``, the
            best fit's compute-optimal path's loss at the compute interval's two ends (not
            one model's prediction interval, as in a loss plan's allocation); ``"none"``
            without an interval.
        allocation_interval_kind: The same for ``params`` and ``tokens``: the path's
            ``N*`` and ``D*`` at the compute interval's ends, not the spread of the
            resamples' own optima (``"parameters"``) that a loss plan's allocation shows
            under the same keys (:attr:`Allocation.allocation_interval_kind
            <scalinglab.plan.Allocation.allocation_interval_kind>`).
        flops_rule: How ``flops`` counts compute, in a loss plan's words (``C = 6·N·D``, or
            the chain's models' count: :attr:`DownstreamFit.flops_convention`).
    """

    task: str
    target: float
    level: float
    loss: tuple[float, float, float]
    flops: tuple[float, float, float]
    params: tuple[float, float, float]
    tokens: tuple[float, float, float]
    notes: tuple[str, ...] = ()
    distance: float = math.nan
    below: bool = False
    flops_interval_kind: str = "none"
    loss_interval_kind: str = "none"
    allocation_interval_kind: str = "none"
    flops_rule: str = SIX_ND

    def __repr__(self) -> str:  # one line: each number to 5 significant figures
        return _repr.accuracy_plan(self)

    @property
    @deprecated(
        "AccuracyPlan.note is deprecated and goes in the next release: use AccuracyPlan.notes "
        "(a tuple, as a loss plan's Allocation.notes)",
        category=DeprecationWarning,
    )
    def note(self) -> str:
        """Deprecated: :attr:`notes` joined by ``"; "`` (one release)."""
        return "; ".join(self.notes)

    @property
    def interval_note(self) -> str:
        """What the intervals are, in words (``""`` without intervals)."""
        if self.flops_interval_kind == "none":
            return ""
        return (
            f"one model's prediction interval ({self.flops_interval_kind}, as downstream "
            "predict gives it) inverted along the best fit's compute-optimal (N, D): from the "
            "compute where its upper bound reaches the target to where its lower bound does; "
            "loss, params and tokens are the best fit's compute-optimal path's at those ends "
            "(not the spread of the bootstrap fits' optima that a loss plan shows)"
        )

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready, in the keys of a loss plan's allocation: ``params``, ``params_lower``...,
        ``notes`` a list (as a loss plan's), and what each interval is (``*_interval_kind``, in a
        loss plan's words: ``params_lower`` is not the same interval there, and the kinds say
        so); ``interval_note`` says that in words.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        out: dict[str, object] = {"task": self.task, "target": self.target, "level": self.level}
        for name in ("loss", "flops", "params", "tokens"):
            value, lower, upper = getattr(self, name)
            out |= {name: value, f"{name}_lower": lower, f"{name}_upper": upper}
        # the keys of a loss plan's distance, notes and interval kinds
        return out | {
            "distance": self.distance,
            "below": self.below,
            "notes": list(self.notes),
            "loss_interval_kind": self.loss_interval_kind,
            "flops_interval_kind": self.flops_interval_kind,
            "allocation_interval_kind": self.allocation_interval_kind,
            "flops_rule": self.flops_rule,
            "interval_note": self.interval_note,
        }
