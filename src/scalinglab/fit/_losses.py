"""Robust losses on residuals, with the first two derivatives the solver needs.

``huber`` with ``delta = 1e-3`` on log-loss residuals, summed over runs, is the default: it
is what Hoffmann et al. 2022 and the Epoch replication (Besiroglu et al. 2024) minimise.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from scalinglab._defaults import HUBER_DELTA
from scalinglab._errors import ConfigError, did_you_mean
from scalinglab._format import format_g

__all__ = ["LOSSES", "RobustLoss", "get_loss", "is_loss_name", "loss_said", "unused_delta"]

Array = NDArray[np.float64]
LossName = Literal["huber", "soft_l1", "squared"]
LOSSES: tuple[LossName, ...] = ("huber", "soft_l1", "squared")
#: Other spellings :func:`get_loss` reads.
_ALIASES = {"l2": "squared", "least_squares": "squared", "linear": "squared", "soft-l1": "soft_l1"}


@dataclass(frozen=True)
class RobustLoss:
    """A loss ``rho(r)`` on residuals, summed over runs.

    Attributes:
        name: ``"huber"`` (quadratic within ``delta``, linear beyond), ``"soft_l1"``
            (``2 delta^2 (sqrt(1 + (r/delta)^2) - 1)``, smooth everywhere), or ``"squared"``
            (``r^2 / 2``, plain least squares).
        delta: Scale where the robust losses turn from quadratic to linear.
    """

    name: LossName = "huber"
    delta: float = HUBER_DELTA

    def __post_init__(self) -> None:
        if self.name not in LOSSES:
            raise ConfigError(
                f"unknown robust loss {self.name!r}{did_you_mean(self.name, LOSSES)}",
                hint=f"choose one of {', '.join(LOSSES)} (--robust-loss NAME; robust_loss=NAME)",
            )
        delta: object = self.delta  # delta="a" from Python: no number to compare
        real = isinstance(delta, numbers.Real) and not isinstance(delta, bool)
        if not (real and float(self.delta) > 0 and np.isfinite(self.delta)):
            raise ConfigError(
                f"the robust loss's scale delta must be a positive number, got {self.delta!r}",
                hint="pass a positive number: the residual where the loss turns from "
                "quadratic to linear (--delta; delta= in Python)",
            )

    def rho(self, r: Array) -> Array:
        """The loss of each residual.

        Args:
            r: The residuals.

        Returns:
            ``rho(r)``, of ``r``'s shape.
        """
        d = self.delta
        if self.name == "huber":
            c = np.clip(r, -d, d)  # rho'(r); rho = c (r - c/2) inside and beyond delta
            return c * (r - 0.5 * c)
        if self.name == "soft_l1":
            return 2.0 * d * d * (np.sqrt(1.0 + (r / d) ** 2) - 1.0)
        return 0.5 * r * r

    def total(self, r: Array, weights: Array | float = 1.0) -> Array:
        """``sum_p w_p rho(r_p)`` over the last axis; overwrites ``r`` (saves two passes).

        Args:
            r: The residuals, ``(..., P)``; overwritten.
            weights: Each residual's weight ``w_p`` (``1.0``: all equal).

        Returns:
            The weighted sum, of shape ``(...)``.
        """
        if self.name == "huber":
            c = np.clip(r, -self.delta, self.delta)
            r -= 0.5 * c
            r *= c
        else:
            r = self.rho(r)
        if not isinstance(weights, float):
            r *= weights
        total: Array = r.sum(axis=-1)
        return total

    def derivatives(self, r: Array) -> tuple[Array, Array, Array]:
        """``rho(r)``, ``rho'(r)`` and ``rho''(r)``.

        Args:
            r: The residuals.

        Returns:
            ``(rho, rho', rho'')``, each of ``r``'s shape.
        """
        d = self.delta
        if self.name == "huber":
            c = np.clip(r, -d, d)
            return c * (r - 0.5 * c), c, (np.abs(r) <= d).astype(np.float64)
        if self.name == "soft_l1":
            s = np.sqrt(1.0 + (r / d) ** 2)
            return 2.0 * d * d * (s - 1.0), 2.0 * r / s, 2.0 / s**3
        return 0.5 * r * r, r, np.ones_like(r)


def get_loss(robust_loss: str | RobustLoss, *, delta: float = HUBER_DELTA) -> RobustLoss:
    """A :class:`RobustLoss` from its name (``"huber"``, ``"soft_l1"``, ``"squared"``/``"l2"``).

    Args:
        robust_loss: The name, or a robust loss (returned as it is).
        delta: Its scale, for a name.

    Returns:
        The robust loss.
    """
    if isinstance(robust_loss, RobustLoss):
        return robust_loss
    name = _ALIASES.get(robust_loss, robust_loss)
    return RobustLoss(name, delta)  # type: ignore[arg-type]


def is_loss_name(name: str) -> bool:
    """Whether :func:`get_loss` reads ``name`` (a robust loss, not a column of losses)."""
    return name in LOSSES or name in _ALIASES


def unused_delta(loss: RobustLoss, *, default: float = HUBER_DELTA) -> list[str]:
    """The note of a ``delta`` given (other than ``default``, the caller's) with a loss that
    has no scale (``squared``), which fits as if it were not given; none otherwise.

    Args:
        loss: The loss fitted, with the delta given.
        default: The delta the caller takes when none is given.
    """
    if loss.name != "squared" or loss.delta == default:
        return []
    return [
        f"delta {format_g(loss.delta)} (--delta) has no effect with the squared loss, which has no scale"
    ]


def loss_said(name: str, delta: float, *, symbol: str = "δ") -> str:
    """A loss as text says it: ``huber, δ=0.001``, or ``squared`` alone (no scale to name).

    Args:
        name: The loss's name.
        delta: Its scale.
        symbol: How the scale is named (``"delta"`` in Python's text).
    """
    return name if name == "squared" else f"{name}, {symbol}={format_g(delta)}"
