""":class:`~scalinglab.fit.FitResult`'s JSON form and its file: :meth:`to_dict`,
:meth:`to_json` and :meth:`save`, and the class methods that read them back
(:mod:`scalinglab.fit._result_json` does the work of each)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from scalinglab._json import dumps
from scalinglab._keywords import methods_checked
from scalinglab._result_names import write_result
from scalinglab.fit import _result_json as _json

if TYPE_CHECKING:
    from scalinglab.fit._result import FitResult

__all__ = ["FitResultFiles"]


@methods_checked(owner="FitResult")  # named as the class users call them on
class FitResultFiles:
    """A base of :class:`~scalinglab.fit.FitResult` holding its JSON form and its file."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The result as plain data.

        Returns:
            A JSON-ready dictionary (floats as numbers, ``inf``/NaN as strings).
        """
        return _json.to_dict(cast("FitResult", self))

    def to_json(self) -> str:
        """The result as JSON text.

        Returns:
            :meth:`to_dict` as strict JSON (no ``NaN`` token), what :meth:`save` writes.
        """
        return dumps(self.to_dict())  # strict: no NaN token (scalinglab._json)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the result as JSON (:meth:`load` reads it back).

        Args:
            path: The file to write.

        Raises:
            ConfigError: A name that says another format (``.json.gz``, ``.csv``).
        """
        write_result(path, self.to_json() + "\n", what="the fit")

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], *, source: str = "<dict>") -> FitResult:
        """The result :meth:`to_dict` made ``d`` of (its JSON, parsed); unlike :meth:`load`,
        it neither rebuilds the law nor judges the values again.

        Args:
            d: The dictionary, as :meth:`to_dict` writes it.
            source: Where ``d`` came from, as errors name it.

        Returns:
            The result.

        Raises:
            DataError: Naming ``source``, for a dictionary that is not a fit, is incomplete,
                or holds bootstrap samples of another width than its coefficients.
        """
        return _json.from_dict(cast("type[FitResult]", cls), d, source=source)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> FitResult:
        """Read a result written by :meth:`save`; it records ``path`` (:attr:`path`), and
        warns of values edited since the fit (a negative exponent) as the fit would have.

        Args:
            path: The file :meth:`save` wrote.

        Returns:
            The result, as it was saved.

        Raises:
            DataError: Naming the file, for one that is not a fit, is incomplete, names a
                law that cannot be rebuilt, or holds coefficients or bootstrap samples that
                are not the law's (one missing or extra; rows of another length).
        """
        return _json.load(cast("type[FitResult]", cls), path)
