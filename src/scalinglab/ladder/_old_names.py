"""Old names of ladder results, read for one release with a :class:`DeprecationWarning`
(one name per concept across the library, the JSON and the command line):

- ``TrainProgress.elapsed_s``, now ``wall_s``: the rung's wall-clock training time so far,
  summed over resumed segments, as its :class:`~scalinglab.ladder.RungResult`'s ``wall_s``
  (``result.json``, the store's column, ``ladder status --json``) names the whole.
"""

from __future__ import annotations

from typing_extensions import deprecated

__all__ = ["TrainProgressAliases"]


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
