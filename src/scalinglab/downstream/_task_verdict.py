"""Why a fitted task cannot be predicted: it did not converge, its law is flat across the
fitted runs, or its accuracy falls as loss falls (which no task law fits); and why one is
not fitted: its scores at chance, or all one score (:func:`unfitted_why`)."""

from __future__ import annotations

import math

import numpy as np

from scalinglab._format import format_g
from scalinglab.downstream._refit import Step
from scalinglab.fit._objective import Array
from scalinglab.fit._prediction import noise_scale

__all__ = ["as_accuracy", "unfitted_why", "verdict"]


def unfitted_why(seen: Array, chance: float, margin: float) -> str:
    """Why a task whose best score beats chance (or, none known, its worst) by less than
    ``margin`` is not fitted. Without a chance level nothing says the scores are at chance:
    every model's one score is said as that (``best 0.250 vs the worst run`` read as two
    numbers), scores that differ by their spread."""
    best, worst = f"{np.max(seen):.3f}", f"{np.min(seen):.3f}"
    if math.isfinite(chance):
        return f"at chance in every fitted run: best {best} vs chance {chance:.3f}"
    if best == worst:
        return f"every model scores {best}: nothing to fit"
    return (
        f"flat in every fitted run: best {best} vs worst {worst}, within {format_g(margin, 3)} "
        "(no chance level is known to compare them with)"
    )


def verdict(step: Step, loss: Array, margin: float, *, scores: Array | None = None) -> str:
    """Why a fitted task cannot be predicted, or ``""`` (``scores``: the accuracies fitted,
    at ``loss``, which say whether accuracy falls as loss falls)."""
    if step.status != "converged":
        return "the fit did not converge"
    falls = "" if scores is None else _falling(step, loss, scores, margin)
    if falls:
        return falls
    ends = step.evaluate(step.theta, {"L": np.array([loss.min(), loss.max()])})
    span = as_accuracy(step, ends)
    rise = float(span[0] - span[1])
    if rise < 2 * step.noise:
        return (
            f"flat: the fit moves {100 * rise:.1f} points across the fitted runs, under "
            f"twice their noise ({100 * step.noise:.1f} points)"
        )
    if rise < margin:
        return (
            f"flat: the fit moves {100 * rise:.1f} points across the fitted runs, under the "
            f"{100 * margin:.0f} points a task must move to be read"
        )
    return ""


def _falling(step: Step, loss: Array, acc: Array, margin: float) -> str:
    """Why a task whose accuracy falls as loss falls cannot be fitted, or ``""``: both task
    laws rise as loss falls, so their best fit is flat there and the flat verdict would
    blame the noise. A line through the runs decides, at the flat verdict's thresholds (a
    fall of the margin and twice the noise about the line); the runs at both ends say it."""
    if len(acc) < 3 or np.ptp(loss) <= 0:
        return ""
    slope, intercept = np.polyfit(loss, acc, 1)
    fall = float(slope * np.ptp(loss))  # the line at the highest loss less at the lowest
    if fall < margin or fall < 2 * noise_scale(acc - (slope * loss + intercept), 2):
        return ""
    return (
        f"accuracy falls as loss falls ({acc[np.argmax(loss)]:.3f} at the highest fitted "
        f"loss, {acc[np.argmin(loss)]:.3f} at the lowest), which the {step.law.name} law, "
        "rising as loss falls, cannot fit: check that the column is an accuracy (higher is "
        "better), not an error rate"
    )


def as_accuracy(step: Step, values: Array) -> Array:
    """Accuracy from the values of ``step``'s law (``1 - error`` for a law of error)."""
    out = np.asarray(values, dtype=np.float64)
    return 1.0 - out if getattr(step.law, "target", "") == "error" else out
