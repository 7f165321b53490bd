"""``save`` and ``load`` of the validation results (:class:`Backtest`, :class:`Comparison`,
:class:`Rolling`, :class:`IsoFLOPResult`, :class:`EnvelopeResult`): one pair of methods, the
file of each kind written and read by :mod:`scalinglab.validate._saved`."""

from __future__ import annotations

import os
from typing import TypeVar

__all__ = ["Savable"]

_R = TypeVar("_R", bound="Savable")


class Savable:
    """A result that writes itself to a JSON file and reads itself back, whole: the loaded
    result gives the same :meth:`to_dict`, ``repr`` and predictions as the one saved."""

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the result as JSON, with all that :meth:`load` needs to rebuild it (the
        runs of its split, the fits, the bootstrap lines), beyond what ``to_dict`` holds.

        Args:
            path: The file to write (missing folders are made).

        Raises:
            ConfigError: A name that says another format (``.json.gz``, ``.csv``).
        """
        from scalinglab.validate._saved import save

        save(self, path)

    @classmethod
    def load(cls: type[_R], path: str | os.PathLike[str]) -> _R:
        """Read a result of this class that :meth:`save` wrote.

        Args:
            path: The file :meth:`save` wrote.

        Returns:
            The result, as it was saved.

        Raises:
            DataError: Naming the file, for one that is missing or not JSON, one of
                another kind (it says which ``load`` reads it), one a newer scalinglab
                wrote, or one with a missing or malformed field.
        """
        from scalinglab.validate._saved import load

        return load(cls, path)
