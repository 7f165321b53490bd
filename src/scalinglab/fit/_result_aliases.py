""":class:`~scalinglab.fit.FitResult`'s old names, kept for one release: ``params`` (now
``coefs``: ``params`` means model size everywhere else) and ``loss`` (now ``robust_loss``:
``loss`` means a measured loss everywhere else); and
:class:`~scalinglab.fit.SolveResult`'s ``steps`` (now ``n_iter``, the Newton iterations
each problem took, counted against ``max_iter``: ``steps`` means training steps everywhere
else)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray
from typing_extensions import deprecated

__all__ = ["FitResultAliases", "SolveResultAliases"]


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


class SolveResultAliases:
    """A base of :class:`~scalinglab.fit.SolveResult` holding its deprecated read-only name."""

    __slots__ = ()
    n_iter: NDArray[np.int64]

    @property
    @deprecated(
        "SolveResult.steps is deprecated and goes in the next release: use "
        "SolveResult.n_iter (the Newton iterations each problem took, capped by max_iter; "
        "'steps' means training steps everywhere else)",
        category=DeprecationWarning,
    )
    def steps(self) -> NDArray[np.int64]:
        """Deprecated alias of :attr:`n_iter` (one release)."""
        return self.n_iter
