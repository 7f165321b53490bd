"""What ``HparamFit.predict`` and a preset return: lr* and B* at one (N, D)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scalinglab._deprecated import AsDictAlias
from scalinglab._json import json_ready
from scalinglab.hparams import _repr
from scalinglab.hparams._interval import Interval

__all__ = ["HparamPrediction"]

#: The estimates whose ``*_interval`` is also written flat, as ``*_lower`` and ``*_upper``.
_ESTIMATES = ("lr", "batch", "loss")


@dataclass(frozen=True)
class HparamPrediction(AsDictAlias):
    """Optimal peak learning rate and batch at one (N, D), with intervals and flatness.

    Attributes:
        params, tokens, flops: Where it was predicted.
        lr: Optimal peak learning rate.
        lr_interval: Its interval (each ``*_interval`` an
            :class:`~scalinglab.hparams.Interval`: ``.lower``, ``.upper``; a pair given is
            made one).
        batch: Optimal batch in ``batch_unit``; ``batch_sequences`` and ``batch_tokens``
            the same in sequences of ``seq_len`` and in tokens.
        batch_interval: Its interval.
        batch_unit: ``"tokens"``, or ``"sequences"`` where no ``seq_len`` was known.
        seq_len: Tokens per sequence, when known (``None`` otherwise).
        loss: Predicted loss at the optimum (``nan`` without a loss law, or where the loss*
            law the cells do not identify leaves it free: a warning says so).
        loss_interval: A prediction interval of ``loss``, the law's bootstrap spread
            combined with the scatter of the cells' minima about it
            (:attr:`HparamLaw.residual_scale`).
        penalty: Relative loss penalty predicted for ``"lr x2"``, ``"lr /2"``, ``"batch x2"``
            and ``"batch /2"`` (the median over the fitted cells' surfaces, see
            :meth:`HparamFit.penalty`; ``lr x2`` costs more than ``lr /2`` on a cubic one).
        level: Coverage of the intervals.
        rule: Which fit or preset chose the numbers.
        conventions: A preset's conventions (which N, peak or final lr, batch unit...).
        warnings: What makes the numbers less trustworthy than their intervals say: a point
            more than :data:`~scalinglab.fit._diagnostics.FAR` decade beyond the fitted
            cells, and laws whose forms were chosen on those cells alone; a point off their
            design (another D than every cell's, off their curve of N and D), and a law
            whose value there the cells leave free.
        notes: How to read the numbers: what the loss interval holds, what lr* is
            conditional on.
    """

    params: float
    tokens: float
    flops: float
    lr: float
    lr_interval: Interval
    batch: float
    batch_interval: Interval
    batch_unit: str
    seq_len: int | None
    loss: float
    loss_interval: Interval
    penalty: Mapping[str, float]
    level: float
    rule: str
    conventions: str = ""
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def __post_init__(self) -> None:  # a pair given: its Interval (``.lower``, ``.upper``)
        for name in ("lr_interval", "batch_interval", "loss_interval"):
            object.__setattr__(self, name, Interval(*getattr(self, name)))

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.prediction(self)

    @property
    def batch_sequences(self) -> float:
        """The batch in sequences (``nan`` without a sequence length)."""
        if self.batch_unit == "sequences":
            return self.batch
        return self.batch / self.seq_len if self.seq_len else math.nan

    @property
    def batch_tokens(self) -> float:
        """The batch in tokens (``nan`` for a batch in sequences without a sequence length)."""
        if self.batch_unit == "tokens":
            return self.batch
        return self.batch * self.seq_len if self.seq_len else math.nan

    @json_ready
    def to_dict(self) -> dict[str, object]:
        """JSON-ready fields, each estimate as a plan's are: ``lr``, ``lr_lower``,
        ``lr_upper`` (so ``batch_*`` and ``loss_*``) with ``level``. The old lists
        ``lr_interval``, ``batch_interval`` and ``loss_interval`` ``[lower, upper]`` are
        written beside them for one release.

        Returns:
            The dictionary, ready for ``json.dumps``.
        """
        out: dict[str, object] = {}
        for k in self.__dataclass_fields__:
            out[k] = getattr(self, k)
            if k in _ESTIMATES:  # the flat bounds beside the value, as plan --json writes
                out[f"{k}_lower"], out[f"{k}_upper"] = getattr(self, f"{k}_interval")
        out["penalty"] = dict(self.penalty)
        out["batch_sequences"] = self.batch_sequences
        out["batch_tokens"] = self.batch_tokens
        out["warnings"] = list(self.warnings)
        out["notes"] = list(self.notes)
        return out
