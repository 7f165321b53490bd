""":class:`~scalinglab.fit.FitResult`'s views derived from its fields alone: whether it
converged (and is trusted), how many runs it fitted, and its coefficients as a vector."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

__all__ = ["FitResultViews"]


class FitResultViews:
    """A base of :class:`~scalinglab.fit.FitResult` holding its derived read-only views."""

    __slots__ = ()
    coefs: Mapping[str, float]
    runs: tuple[str, ...]
    status: str
    warnings: tuple[str, ...]

    @property
    def trusted(self) -> bool:
        """Converged, and no diagnostic says otherwise."""
        return self.ok and not self.warnings

    @property
    def n_runs(self) -> int:
        return len(self.runs)

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(self.coefs)

    @property
    def theta(self) -> NDArray[np.float64]:
        """Best-fit values as a vector in :attr:`param_names` order."""
        return np.array(list(self.coefs.values()), dtype=np.float64)

    @property
    def ok(self) -> bool:
        return self.status == "converged"
