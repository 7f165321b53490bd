"""Old names of the ladder's results, read for one release with a
:class:`DeprecationWarning` (one name per concept across the library, the JSON and the
command line):

- ``TopPrediction.interval``, now ``interval_note``: the sentence on what the interval
  covers, as :attr:`FitResult.interval_note <scalinglab.FitResult.interval_note>` (which it
  extends) and ``AccuracyPlan.interval_note`` name it; ``"interval_note"`` in the record's
  JSON, ``"interval"`` kept there one release.
"""

from __future__ import annotations

from typing_extensions import deprecated

__all__ = ["TopPredictionAliases"]


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
