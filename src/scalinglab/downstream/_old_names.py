"""Old names of downstream results, read for one release with a :class:`DeprecationWarning`
(one name per concept across the library, the JSON and the command line):

- ``DownstreamBacktest.held_out``, now ``held_out_runs``: the held-out models' run names,
  ``"held_out_runs"`` in its JSON (``"held_out"`` kept there one release), where a
  hyperparameter backtest's ``held_out`` and a curve backtest's ``"held_out"`` are scored
  rows.
- ``DownstreamBacktest.description``, now ``holdout_description``: the hold-out in words, as
  ``HparamBacktest.holdout_description`` and ``backtest --json``'s ``"holdout_description"``
  name it (``"holdout_description"`` in its JSON too).
"""

from __future__ import annotations

from typing_extensions import deprecated

__all__ = ["DownstreamBacktestAliases"]


class DownstreamBacktestAliases:
    """A base of :class:`~scalinglab.downstream.DownstreamBacktest` holding its deprecated
    name."""

    __slots__ = ()
    held_out_runs: tuple[str, ...]
    holdout_description: str

    @property
    @deprecated(
        "DownstreamBacktest.held_out is deprecated and goes in the next release: use "
        'DownstreamBacktest.held_out_runs (the held-out models\' run names, "held_out_runs" '
        "in its JSON; held_out elsewhere names scored rows)",
        category=DeprecationWarning,
    )
    def held_out(self) -> tuple[str, ...]:
        """Deprecated alias of ``held_out_runs`` (one release)."""
        return self.held_out_runs

    @property
    @deprecated(
        "DownstreamBacktest.description is deprecated and goes in the next release: use "
        "DownstreamBacktest.holdout_description (the hold-out in words, as "
        'HparamBacktest.holdout_description and backtest --json\'s "holdout_description")',
        category=DeprecationWarning,
    )
    def description(self) -> str:
        """Deprecated alias of ``holdout_description`` (one release)."""
        return self.holdout_description
