""":class:`~scalinglab.curves.CurveFit`'s old name ``params`` (now ``coefs``: ``params``
means model size everywhere else), kept for one release."""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import deprecated

__all__ = ["CurveFitAliases"]


class CurveFitAliases:
    """A base of :class:`~scalinglab.curves.CurveFit` holding its deprecated read-only names."""

    __slots__ = ()
    coefs: Mapping[str, float]

    @property
    @deprecated(
        "CurveFit.params is deprecated and goes in the next release: use CurveFit.coefs "
        "(the law's fitted values; 'params' means model size everywhere else)",
        category=DeprecationWarning,
    )
    def params(self) -> Mapping[str, float]:
        """Deprecated alias of :attr:`coefs` (one release)."""
        return self.coefs
