"""What a plan gives: :class:`Allocation`, the compute-optimal model size and data of a
budget (or the compute of a target loss), each quantity an :class:`Estimate` with its
interval, and what each interval is."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from typing_extensions import deprecated

from scalinglab import _repr
from scalinglab._deprecated import AsDictAlias, old_fields
from scalinglab._json import json_ready

__all__ = ["Allocation", "AllocationSpan", "Estimate"]

#: How a planning step marks a warning among the notes it gives (:attr:`Allocation.warnings`).
_WARNING = "warning: "


@dataclass(frozen=True)
class Estimate:
    """A point value with an interval.

    Attributes:
        value: From the point estimate of the law's parameters.
        lower: Lower end of the interval (over the bootstrap samples, unless an allocation's
            ``*_interval_kind`` says otherwise); NaN without samples.
        upper: Upper end; ``inf`` where a target loss is out of reach (the notes say why).

    In a notebook ``float(e)`` and ``f"{e:.3g}"`` give the value (a format spec formats
    :attr:`value`; ``f"{e}"`` is the one-line repr with the interval). There is no
    arithmetic: ``e / 1e9`` raises, since an interval does not divide as its value does;
    write ``float(e) / 1e9``, or divide ``value``, ``lower`` and ``upper`` each.
    """

    value: float
    lower: float
    upper: float

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.estimate(self)

    def __float__(self) -> float:
        return float(self.value)

    def __format__(self, spec: str) -> str:
        return format(float(self.value), spec) if spec else repr(self)


@dataclass(frozen=True)
class AllocationSpan:
    """An allocation's interval its runs do not pin down, or pin down at the edge only: the
    record its warning or note is worded from (:mod:`._pinned`), so lines of several
    budgets are said as one.

    Attributes:
        at: Where it is planned, as its line names it (``"1e23"``, ``"target loss 2"``).
        quantity: ``"tokens/param"`` or ``"N*"``.
        lower: The interval's lower end.
        upper: Its upper end (``inf``: unbounded).
        decades: The decades it spans (``inf``: an end at 0 or ∞).
        inner: At the edge: the decades at its ends' seed-to-seed error inward; else NaN.
        outer: The same outward; else NaN.
        resamples: The resamples the interval is taken over (0: not counted).
        edge: Whether it is at the edge of two decades (a note), not beyond (a warning).
    """

    at: str
    quantity: str
    lower: float
    upper: float
    decades: float
    inner: float = math.nan
    outer: float = math.nan
    resamples: int = 0
    edge: bool = False


@old_fields(loss_interval="loss_interval_kind")
@dataclass(frozen=True)
class Allocation(AsDictAlias):
    """The compute-optimal model size and data for a budget, with intervals.

    A law of compute alone, ``L(C)``, plans ``flops`` and ``loss`` only: ``params``,
    ``tokens`` and ``tokens_per_param`` are NaN (the law does not determine them), ``method``
    is :data:`COMPUTE_ALONE` and the notes say why.

    Attributes:
        flops: Training compute ``C``.
        params: Compute-optimal parameter count ``N``.
        tokens: Compute-optimal training tokens ``D = C/(6N)``.
        tokens_per_param: ``D/N``.
        loss: The law's loss at ``(N, D)`` (at ``C`` for a law of compute alone).
        level: Coverage of the intervals.
        method: How the optimum was found: :data:`CLOSED_FORM`, :data:`NUMERIC`, or
            :data:`COMPUTE_ALONE`.
        flops_rule: How compute relates to ``N`` and ``D``.
        unreachable: Fraction of bootstrap samples for which a target loss is out of reach
            (only set by :func:`compute_for_loss`).
        notes: Anything the numbers need read with them (optima at the search edge, samples
            left out, samples that never reach a target, a row far beyond the data).
        warnings: Reasons not to trust the numbers, one line each (intervals from too few
            resamples for the level, a fit that did not converge): a note given as
            ``"warning: ..."`` is kept here, without the prefix, not among the notes.
        distance: Decades outside the fitted runs at ``(N*, D*)``, beyond the largest or
            below the smallest (the largest of N, D and N·D; 0 inside them); NaN for a
            preset, whose data are not known here.
        below: Whether that distance is down, below the smallest fitted runs, rather than
            beyond the largest (as :attr:`Prediction.below <scalinglab.fit.Prediction.below>`
            says of a prediction's); ``None`` where no distance is measured (a preset).
        loss_interval_kind: What the loss interval is: for a budget planned from a fit with a
            bootstrap, the fit's prediction interval for one run at ``(N*, D*)``
            (:meth:`FitResult.predict`: ``"backtest-calibrated"`` where the fit measured its
            extrapolation error, else ``"bootstrap"``); otherwise ``"parameters"``, the
            percentiles of each resample's loss at its own optimum (the law's mean, without
            run-to-run noise or extrapolation error); ``"none"`` without intervals (a preset, a
            fit without bootstrap) and for a target loss, which is given, not predicted (as
            a budget's ``flops_interval_kind`` is).
        flops_interval_kind: What the compute interval is: for a target loss planned from a
            fit with a bootstrap, the fit's prediction interval for one run at the
            compute-optimal ``(N*(C), D*(C))``, inverted (:func:`compute_for_loss`: from the
            compute where its lower bound reaches the target to where its upper bound does),
            of the kind :meth:`FitResult.predict` gives (``"backtest-calibrated"`` or
            ``"bootstrap"``); ``"none"`` without an interval (a budget given, a preset, a fit
            without bootstrap).
        allocation_interval_kind: What the intervals of ``params``, ``tokens`` and
            ``tokens_per_param`` are: ``"bootstrap-optima"``, the percentiles of each
            resample's own optimum (the spread of the law's parameters, as a
            ``"parameters"`` loss interval is); ``"none"`` without them (a preset, a fit without bootstrap, a law of
            compute alone). An accuracy plan's, in the same words, is
            ``"path-at-compute-ends"`` (:class:`scalinglab.downstream.AccuracyPlan`).
        spans: The intervals behind a warning that the runs do not pin the allocation down
            (or a note that they do at the edge only), as records: where several budgets
            are said together, their lines are one.
        query: What was given: ``"flops"``, a budget (:func:`optimal_allocation`), or
            ``"target_loss"`` (:func:`compute_for_loss`), as ``plan --json``'s ``query``
            names it; its row of the table says ``(given)``.
    """

    flops: Estimate
    params: Estimate
    tokens: Estimate
    tokens_per_param: Estimate
    loss: Estimate
    level: float
    method: str
    flops_rule: str
    unreachable: float = 0.0
    notes: tuple[str, ...] = ()
    distance: float = math.nan
    below: bool | None = None
    loss_interval_kind: str = "parameters"
    flops_interval_kind: str = "none"
    allocation_interval_kind: str = "bootstrap-optima"
    warnings: tuple[str, ...] = ()
    spans: tuple[AllocationSpan, ...] = ()
    query: str = "flops"

    def __post_init__(self) -> None:
        # the planning steps say a warning among their notes ("warning: ..."): every
        # allocation, however built or replaced, keeps it in warnings, once
        said = [n.removeprefix(_WARNING) for n in self.notes if n.startswith(_WARNING)]
        if said:
            notes = tuple(n for n in self.notes if not n.startswith(_WARNING))
            object.__setattr__(self, "notes", notes)
            object.__setattr__(self, "warnings", tuple(dict.fromkeys([*self.warnings, *said])))

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.allocation(self)

    def _repr_html_(self) -> str:
        """The allocation as a notebook shows it: the table ``scalinglab plan`` prints (the
        same rows, :func:`scalinglab.plan._text.allocation_text`), then its method, FLOP
        rule, warnings and notes, every word escaped."""
        from scalinglab.plan._html_view import render_allocation_html

        return render_allocation_html(self)

    @property
    @deprecated(
        "Allocation.loss_interval is deprecated and goes in the next release: use "
        "Allocation.loss_interval_kind (HparamPrediction.loss_interval holds bounds)",
        category=DeprecationWarning,
    )
    def loss_interval(self) -> str:
        """Deprecated alias of :attr:`loss_interval_kind` (one release)."""
        return self.loss_interval_kind

    @json_ready
    def to_dict(self) -> dict[str, Any]:
        """The allocation as its JSON holds it: flat keys ``params``, ``params_lower``,
        ``params_upper``, ..., ``notes`` a list, and every non-finite number a string
        (``"nan"``, ``"inf"``), so ``json.dumps`` writes strict JSON.

        For numbers, read the attributes (``a.params.upper``, ``float(a.params)``), or
        ``float()`` each value (``float("nan")`` is NaN): a table built from these
        dictionaries holds a column with any ``"nan"`` as text, not floats.

        Returns:
            The flat dictionary, ready for ``json.dumps``.
        """
        out: dict[str, Any] = {}
        for name in ("flops", "params", "tokens", "tokens_per_param", "loss"):
            estimate: Estimate = getattr(self, name)
            out[name] = estimate.value
            out[f"{name}_lower"] = estimate.lower
            out[f"{name}_upper"] = estimate.upper
        out["level"] = self.level
        out["method"] = self.method
        out["flops_rule"] = self.flops_rule
        out["unreachable"] = self.unreachable
        out["notes"] = list(self.notes)
        out["warnings"] = list(self.warnings)
        out["distance"] = self.distance
        out["below"] = self.below
        out["loss_interval_kind"] = self.loss_interval_kind
        out["flops_interval_kind"] = self.flops_interval_kind
        out["allocation_interval_kind"] = self.allocation_interval_kind
        return out
