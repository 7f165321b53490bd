"""One run's loss curve with its schedule (:class:`Curve`), as the curve readers
(:mod:`._data`) return it and the curve fits take it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from scalinglab.curves import _repr
from scalinglab.curves._schedules import Schedule

__all__ = ["Curve", "CurveList"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Curve:
    """One run's logged loss curve and the schedule it was trained with.

    Attributes:
        run: The run's name.
        step: Logged 0-based steps ``(n,)``, increasing.
        loss: Loss at each logged step.
        schedule: The learning rate of every step of the run.
        params: Model size ``N``, or ``nan`` when unknown.
        source: Where it was read from.
        rows: Row of each point in the source (for messages).
        corpus: The run's training data as its text columns name it (``{"dataset":
            "c4"}``: those :func:`~scalinglab.data._training_data.corpus_columns` finds its
            file has), so a fit of curves of several corpora can say it pooled them.
    """

    run: str
    step: IntArray
    loss: Array
    schedule: Schedule
    params: float = float("nan")
    source: str = ""
    rows: tuple[int, ...] = field(default=())
    corpus: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.curve(self)

    def __len__(self) -> int:
        return len(self.step)


class CurveList(list[Curve]):
    """The curves a reader returns (:func:`~scalinglab.curves.read_lr_curves`): a list,
    indexed, sliced and iterated as one and taken wherever curves are, whose repr is one
    short line (how many, the first names, their points and sizes), not every curve's."""

    __slots__ = ()

    def __repr__(self) -> str:
        return _repr.curve_list(self)
