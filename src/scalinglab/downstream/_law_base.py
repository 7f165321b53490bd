"""The base of the downstream laws: a law of a chain's step (:mod:`._laws`)."""

from __future__ import annotations

from abc import abstractmethod

import numpy as np

from scalinglab.laws import Law

Array = np.ndarray


class _DownstreamLaw(Law):
    """A law of a chain's step: it also evaluates each resample at its own losses."""

    @abstractmethod
    def rows(self, theta: Array, x: Array) -> Array:
        """Each row of natural values at its own losses.

        Args:
            theta: Natural parameter values ``(R, K)``.
            x: The losses ``(R, m)``: row ``r`` is evaluated at ``x[r]``.

        Returns:
            ``(R, m)``: row ``r``'s law at ``x[r]``.
        """
