"""Old names of ladder results, read for one release with a :class:`DeprecationWarning`
(one name per concept across the library, the JSON and the command line):

- ``TrainProgress.elapsed_s``, now ``wall_s``: the rung's wall-clock training time so far,
  summed over resumed segments, as its :class:`~scalinglab.ladder.RungResult`'s ``wall_s``
  (``result.json``, the store's column, ``ladder status --json``) names the whole;
- ``RungResult.eval_loss``, now ``loss``: the rung's final held-out loss, the value the
  store records as the run's ``loss`` and ``ladder run --json``, ``ladder status --json``
  and ``runs --json`` give as ``"loss"`` (and ``RungOutcome.loss``), beside ``train_loss``
  as in the store; ``"loss"`` in ``result.json`` (``"eval_loss"`` kept there one release,
  and an older file's ``"eval_loss"`` read). A curve point's ``eval_loss`` and a progress
  report's are readings at one step, as the store's curve column is, and keep the name.
"""

from __future__ import annotations

from typing_extensions import deprecated

__all__ = ["RungResultAliases", "TrainProgressAliases"]


class TrainProgressAliases:
    """A base of :class:`~scalinglab.ladder.TrainProgress` holding its deprecated name."""

    __slots__ = ()
    wall_s: float

    @property
    @deprecated(
        "TrainProgress.elapsed_s is deprecated and goes in the next release: use "
        "TrainProgress.wall_s (wall-clock seconds, as RungResult.wall_s)",
        category=DeprecationWarning,
    )
    def elapsed_s(self) -> float:
        """Deprecated alias of ``wall_s`` (one release)."""
        return self.wall_s


class RungResultAliases:
    """A base of :class:`~scalinglab.ladder.RungResult` holding its deprecated name."""

    __slots__ = ()
    loss: float

    @property
    @deprecated(
        "RungResult.eval_loss is deprecated and goes in the next release: use "
        "RungResult.loss (the final held-out loss, the store's loss of the run)",
        category=DeprecationWarning,
    )
    def eval_loss(self) -> float:
        """Deprecated alias of ``loss`` (one release)."""
        return self.loss
