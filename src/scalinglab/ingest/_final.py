"""Which point of a curve is a run's "final" value: the last, the lowest, or a smoothed end."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from scalinglab._errors import ConfigError, closest_name, meant

__all__ = ["FINAL_KINDS", "FinalRule", "final_values", "is_sorted", "lowest_values"]

#: The rules ``--final`` names (``mean`` takes ``:K``).
FINAL_KINDS = ("last", "min", "mean")

_HINT = "use --final last, --final min, or --final mean:K (mean of the last K points)"


@dataclass(frozen=True)
class FinalRule:
    """How a curve becomes one number.

    Attributes:
        kind: ``"last"`` (value at the highest step), ``"min"`` (best value) or ``"mean"``
            (mean of the last ``k`` logged points: smooths a noisy end of curve).
        k: Points averaged by ``"mean"``.
    """

    kind: str = "last"
    k: int = 10

    def __post_init__(self) -> None:
        if self.kind not in FINAL_KINDS:
            raise ConfigError(f"unknown final-value rule {self.kind!r}", hint=_HINT)
        if self.k < 1:
            raise ConfigError(f"--final mean:K needs K >= 1, got {self.k}", hint=_HINT)

    @classmethod
    def parse(cls, text: str | FinalRule) -> FinalRule:
        """A rule from its text.

        Args:
            text: ``"last"``, ``"min"``, ``"mean"`` (k = 10) or ``"mean:5"``; a rule is
                returned as it is.

        Returns:
            The rule.

        Raises:
            ConfigError: For a count given to a rule other than ``mean``, or one that is
                not a whole number.
        """
        if isinstance(text, FinalRule):
            return text
        kind, _, k = str(text).strip().lower().partition(":")
        # mean5, mean-5, mean=5, mena:5: the count given, but not as mean:K
        fused = re.fullmatch(r"([a-z]+)\s*[-=_,;]?\s*(\d+)", kind) if not k else None
        word, count = (fused.group(1), fused.group(2)) if fused else (kind, k)
        slipped = fused is not None or (count.isdigit() and word != "mean")
        if slipped and closest_name(word, ("mean",)) == "mean":
            said = meant(f"mean:{int(count)}")
            raise ConfigError(f"unknown final-value rule {text!r}{said}", hint=_HINT)
        if k:
            if kind != "mean":
                raise ConfigError(f"only 'mean' takes a point count, not {text!r}", hint=_HINT)
            try:
                return cls("mean", int(k))
            except ValueError:
                raise ConfigError(f"{text!r}: {k!r} is not a whole number", hint=_HINT) from None
        return cls(kind)

    def describe(self, metric: str) -> str:
        """The rule in words, as the summary states it.

        Args:
            metric: The metric the rule reads, as the words name it.

        Returns:
            E.g. ``"mean of the last 10 logged values of 'loss'"``.
        """
        if self.kind == "last":
            return f"last logged value of {metric!r}"
        if self.kind == "min":
            return f"minimum of {metric!r} over the curve"
        return f"mean of the last {self.k} logged values of {metric!r}"

    def __str__(self) -> str:
        return f"mean:{self.k}" if self.kind == "mean" else self.kind


def final_values(
    runs: np.ndarray,
    steps: np.ndarray,
    values: np.ndarray,
    n_runs: int,
    rule: FinalRule,
    *,
    presorted: bool = False,
) -> np.ndarray:
    """One value per run from long-form points, vectorised over all runs.

    Args:
        runs: Run index of each point (0 … ``n_runs``-1).
        steps: Step of each point.
        values: The metric; NaN points are skipped.
        n_runs: Number of runs.
        rule: The rule.
        presorted: The points are known to be ordered by run, then step.

    Returns:
        ``(n_runs,)`` float64, NaN for a run with no finite point.
    """
    runs, steps, values = _finite(runs, steps, values)
    out = np.full(n_runs, np.nan)
    if len(values) == 0:
        return out
    if rule.kind == "min":
        np.fmin.at(out, runs, values)  # fmin: NaN (no value yet) loses to any number
        return out
    runs, values = _by_run_then_step(runs, steps, values, presorted=presorted)
    ends = np.flatnonzero(np.r_[runs[1:] != runs[:-1], True])
    if rule.kind == "last":
        out[runs[ends]] = values[ends]
        return out
    # mean of the last k: each point's distance from the end of its run's curve
    end_of_point = np.repeat(ends, np.diff(np.r_[-1, ends]))
    tail = end_of_point - np.arange(len(values)) < rule.k
    sums = np.bincount(runs[tail], weights=values[tail], minlength=n_runs)
    counts = np.bincount(runs[tail], minlength=n_runs)
    has = counts > 0
    out[has] = sums[has] / counts[has]
    return out


def lowest_values(
    runs: np.ndarray,
    steps: np.ndarray,
    values: np.ndarray,
    n_runs: int,
    rule: FinalRule,
    *,
    presorted: bool = False,
) -> np.ndarray:
    """The lowest value ``rule`` takes anywhere on each curve, to hold a final value against
    its own kind: the lowest point (``last``, ``min``), or the lowest mean of ``k``
    consecutive points (``mean``; of all the points of a curve of fewer). A mean of the last
    ``k`` held against the lowest single point would call any falling curve high once ``k``
    reaches back to its first, high points.

    Args:
        runs: Run index of each point (0 … ``n_runs``-1).
        steps: Step of each point.
        values: The metric; NaN points are skipped.
        n_runs: Number of runs.
        rule: The rule the final values were taken by.
        presorted: The points are known to be ordered by run, then step.

    Returns:
        ``(n_runs,)`` float64, NaN for a run with no finite point.
    """
    if rule.kind != "mean":
        return final_values(runs, steps, values, n_runs, FinalRule("min"), presorted=presorted)
    runs, steps, values = _finite(runs, steps, values)
    out = np.full(n_runs, np.nan)
    if len(values) == 0:
        return out
    runs, values = _by_run_then_step(runs, steps, values, presorted=presorted)
    starts = np.flatnonzero(np.r_[True, runs[1:] != runs[:-1]])
    lengths = np.diff(np.r_[starts, len(values)])
    width = np.repeat(np.minimum(rule.k, lengths), lengths)  # each point's run's window
    position = np.arange(len(values)) - np.repeat(starts, lengths)  # from its run's start
    ends = np.flatnonzero(position + 1 >= width)  # points that close a whole window
    sums = np.r_[0.0, np.cumsum(values)]
    means = (sums[ends + 1] - sums[ends + 1 - width[ends]]) / width[ends]
    np.fmin.at(out, runs[ends], means)
    return out


def _finite(
    runs: np.ndarray, steps: np.ndarray, values: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The points whose value is finite (NaN points are skipped)."""
    keep = np.isfinite(values)
    if keep.all():
        return runs, steps, values
    return runs[keep], steps[keep], values[keep]


def _by_run_then_step(
    runs: np.ndarray, steps: np.ndarray, values: np.ndarray, *, presorted: bool
) -> tuple[np.ndarray, np.ndarray]:
    """``runs`` and ``values`` ordered by run, then step: the end of each curve comes last."""
    if presorted or is_sorted(runs, steps):
        return runs, values
    order = np.lexsort((steps, runs))
    return runs[order], values[order]


def is_sorted(runs: np.ndarray, steps: np.ndarray) -> bool:
    """Whether points are ordered by run, then by step."""
    if len(runs) < 2:
        return True
    same = runs[1:] == runs[:-1]
    return bool(np.all(runs[1:] >= runs[:-1]) and np.all(~same | (steps[1:] >= steps[:-1])))
