"""What a comparison keeps beside its laws: the baselines scored on its split and the
rolling-origin backtest of its winner, which ``scalinglab backtest`` runs and ``--out``
saves whole (``Comparison.load(path).rolling``), or why it holds none.

A comparison :func:`~scalinglab.validate.compare` makes holds neither (it runs neither);
one loaded from a file ``backtest --out`` wrote before the file kept them (their summaries
only, at its top level) holds neither either, and asking for them says so, naming the file.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError

if TYPE_CHECKING:
    from scalinglab.validate._backtest import Backtest
    from scalinglab.validate._rolling import Rolling

__all__ = [
    "NOT_RUN",
    "NO_ROLLING_OPTION",
    "NO_WINNER",
    "ComparisonParts",
    "kept_rolling",
    "written_before",
]

#: Why a comparison holds no rolling-origin backtest, by what made it.
NOT_RUN = "compare() runs none (scalinglab.rolling_backtest does)"
NO_ROLLING_OPTION = "`scalinglab backtest` ran with --no-rolling"
NO_WINNER = "no law's fit converged, so there was no winner to backtest"

_HINT = (
    "run `scalinglab backtest RUNS ... --out FILE` without --no-rolling, which keeps the "
    "rolling steps in FILE; or in Python: scalinglab.rolling_backtest(runs, "
    "law=cmp.winner.law, holdout=cmp.split)"
)


def written_before(source: str) -> str:
    """Why a comparison read from ``source``, a file written before ``backtest --out`` kept
    its rolling steps and baselines whole, holds neither."""
    return (
        f"{source} was written by `scalinglab backtest --out` before the file kept them "
        'whole (it holds their summaries only, under "rolling" and "baselines" at its top '
        "level)"
    )


class ComparisonParts:
    """A base of :class:`~scalinglab.validate.Comparison`: its baselines and rolling-origin
    backtest, read through properties that say why a comparison holds none."""

    __slots__ = ()
    _baselines: tuple[Backtest, ...] | None  # None: a file written before they were kept
    _rolling: Rolling | str  # the rolling-origin backtest, or why there is none

    @property
    def baselines(self) -> tuple[Backtest, ...]:
        """The baselines scored on the comparison's split (``--baseline``), in the order
        given; ``()`` where none was asked for.

        Raises:
            ConfigError: For a comparison loaded from a file written before the file kept
                them (its ``"baselines"`` are summaries only).
        """
        if self._baselines is None:
            why = self._rolling if isinstance(self._rolling, str) else ""
            raise ConfigError(
                f"Comparison.baselines: this comparison holds no baselines whole: {why}",
                hint="re-run `scalinglab backtest RUNS ... --baseline METHOD --out FILE`; or "
                "in Python: scalinglab.validate.baseline_backtest(runs, method=..., "
                "holdout=cmp.split)",
            )
        return self._baselines

    @property
    def rolling(self) -> Rolling:
        """The rolling-origin backtest of the winner (``scalinglab backtest``'s rolling
        table: ``rolling.steps``, the per-cut errors).

        Raises:
            ConfigError: Saying why the comparison holds none: it was made by
                :func:`~scalinglab.validate.compare`, run with ``--no-rolling``, had no
                step with runs enough or no winner, or was loaded from a file written
                before the file kept the steps whole.
        """
        if isinstance(self._rolling, str):
            rerun = self._rolling in (NOT_RUN, NO_ROLLING_OPTION) or "written by" in self._rolling
            raise ConfigError(
                "Comparison.rolling: this comparison holds no rolling-origin backtest: "
                f"{self._rolling}",
                # too few runs per step, or no winner: the same runs again give none either
                hint=_HINT if rerun else "add runs at more scales; the same runs give none again",
            )
        return self._rolling

    @property
    def has_rolling(self) -> bool:
        """Whether :attr:`rolling` holds a rolling-origin backtest (it raises where not)."""
        return not isinstance(self._rolling, str)


def kept_rolling(c: ComparisonParts) -> Rolling | str:
    """What ``c`` holds of a rolling-origin backtest: the backtest, or why there is none
    (what a saved file keeps, :mod:`._saved`)."""
    return c._rolling
