"""Old names of the ladder's results, read for one release with a
:class:`DeprecationWarning` (one name per concept across the library, the JSON and the
command line):

- ``TopPrediction.interval``, now ``interval_note``: the sentence on what the interval
  covers, as :attr:`FitResult.interval_note <scalinglab.FitResult.interval_note>` (which it
  extends) and ``AccuracyPlan.interval_note`` name it; ``"interval_note"`` in the record's
  JSON, ``"interval"`` kept there one release;
- ``RungOutcome.name``, now ``rung``: the rung's name, as ``ladder status``'s and ``ladder
  plan``'s column, every ladder line and :attr:`TopPrediction.rung
  <scalinglab.execute.TopPrediction.rung>` name it; ``"rung"`` in ``ladder run --json``,
  ``ladder plan --json`` and ``ladder status --json`` (``"name"`` kept there one release).
"""

from __future__ import annotations

from typing_extensions import deprecated

__all__ = ["RungOutcomeAliases", "TopPredictionAliases"]


class TopPredictionAliases:
    """A base of :class:`~scalinglab.execute.TopPrediction` holding its deprecated name."""

    __slots__ = ()
    interval_note: str

    @property
    @deprecated(
        "TopPrediction.interval is deprecated and goes in the next release: use "
        "TopPrediction.interval_note (the interval's sentence, as FitResult.interval_note)",
        category=DeprecationWarning,
    )
    def interval(self) -> str:
        """Deprecated alias of ``interval_note`` (one release)."""
        return self.interval_note


class RungOutcomeAliases:
    """A base of :class:`~scalinglab.execute.RungOutcome` holding its deprecated name."""

    __slots__ = ()
    rung: str

    @property
    @deprecated(
        "RungOutcome.name is deprecated and goes in the next release: use RungOutcome.rung "
        "(the rung's name, as ladder status's column and TopPrediction.rung name it)",
        category=DeprecationWarning,
    )
    def name(self) -> str:
        """Deprecated alias of ``rung`` (one release)."""
        return self.rung
