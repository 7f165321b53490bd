""":class:`~scalinglab.fit.FitResult`'s old names, kept for one release: ``params`` (now
``coefs``: ``params`` means model size everywhere else) and ``loss`` (now ``robust_loss``:
``loss`` means a measured loss everywhere else)."""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import deprecated

__all__ = ["FitResultAliases"]


class FitResultAliases:
    """A base of :class:`~scalinglab.fit.FitResult` holding its deprecated read-only names."""

    __slots__ = ()
    coefs: Mapping[str, float]
    robust_loss: str

    @property
    @deprecated(
        "FitResult.params is deprecated and goes in the next release: use FitResult.coefs "
        "(the law's fitted values; 'params' means model size everywhere else)",
        category=DeprecationWarning,
    )
    def params(self) -> Mapping[str, float]:
        """Deprecated alias of :attr:`coefs` (one release)."""
        return self.coefs

    @property
    @deprecated(
        "FitResult.loss is deprecated and goes in the next release: use "
        "FitResult.robust_loss (the robust loss of the fit; 'loss' names a measured loss "
        "everywhere else)",
        category=DeprecationWarning,
    )
    def loss(self) -> str:
        """Deprecated alias of :attr:`robust_loss` (one release)."""
        return self.robust_loss
