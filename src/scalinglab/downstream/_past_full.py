"""Accuracy past 100% from a chain fitted before a sigmoid's ceiling was held at 100%: a
task with no chance level known had its floor ``b`` fitted beside ``a <= 1`` (boxed bounds
each), so its ceiling ``a + b`` may lie above 100%. A chain fitted now holds ``a + b <= 1``
(:mod:`~._sigmoid`); a saved one still loads and predicts as it did, and its predictions
there say so by that cause, not as a loss past the law's domain: a point above 1 is refused
with it, and an interval whose draws were capped at 1 says how many were.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from scalinglab._format import format_g
from scalinglab.downstream._task import TaskFit
from scalinglab.fit._objective import Array

__all__ = ["capped_notes", "outside_reason"]

#: What a chain saved with such a ceiling is to do: a refit holds it at or below 100%.
_REFIT = (
    "a chain fitted before scalinglab held that ceiling at or below 100%: refit the chain "
    "to hold it there, or give the task's chance level (--chance, chance= in Python) to tie "
    "its floor to it"
)


def _above(coefs: Mapping[str, float]) -> float | None:
    """A sigmoid's fitted ceiling ``a + b`` where it lies above 100% (a chain fitted before
    it was held there), else ``None``."""
    if "b" not in coefs or "a" not in coefs:  # b tied to chance: a <= 1 - chance
        return None
    top = coefs["a"] + coefs["b"]
    return top if top > 1 else None


def outside_reason(task: TaskFit, point: float, loss: float) -> str:
    """Why ``task``'s law gives no accuracy at ``loss``, where it gives ``point`` outside
    [0, 1]: its ceiling above 100% (an older chain's), where that let it past 1; else a loss
    past its domain."""
    step = task.step
    assert step is not None  # a predictable task's
    said = f"the {step.law.name} law gives accuracy {point:.3f} at loss {loss:.3f}"
    top = _above(step.coefs) if point > 1 else None
    if top is None:  # Gadre et al.'s error law has no floor at 0
        return f"{said}, outside [0, 1]: this loss is beyond the law's domain"
    return (
        f"{said}, above 100%: no chance level is known for the task, so its floor b was "
        f"fitted and its ceiling a + b = {format_g(top, 3)} lies above 100%, as it could in "
        f"{_REFIT}"
    )


def capped_notes(task: TaskFit, upper: float, draws: Array | None) -> tuple[str, ...]:
    """The note that ``task``'s interval ends at 1 (``upper``) because its draws past 100%,
    where its ceiling lies, were capped there; ``()`` otherwise."""
    top = None if task.step is None else _above(task.step.coefs)
    if top is None or draws is None or not upper >= 1.0:
        return ()
    finite = draws[np.isfinite(draws)]
    share = float(np.mean(finite >= 1.0)) if len(finite) else 0.0
    return (
        f"{task.task}: the interval's upper end is 1: {share:.0%} of its draws reached 100% "
        f"and were capped there, its sigmoid's ceiling a + b = {format_g(top, 3)} lying above "
        f"100% (no chance level is known for the task), as it could in {_REFIT}",
    )
