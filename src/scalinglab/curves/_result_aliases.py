""":class:`~scalinglab.curves.CurveFit`'s old names, kept for one release: ``params`` (now
``coefs``: ``params`` means model size everywhere else) and ``max_steps`` (now ``max_iter``,
the solver's iteration cap: ``steps`` means training steps everywhere else)."""

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

    max_iter: int | None

    @property
    @deprecated(
        "CurveFit.max_steps is deprecated and goes in the next release: use CurveFit.max_iter "
        "(the solver's iteration cap; 'steps' means training steps everywhere else)",
        category=DeprecationWarning,
    )
    def max_steps(self) -> int | None:
        """Deprecated alias of :attr:`max_iter` (one release)."""
        return self.max_iter
