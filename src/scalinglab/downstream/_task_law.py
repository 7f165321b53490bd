"""The laws a chain may fit from loss to a task's accuracy, chosen by name.

Loss-to-loss is a downstream law too, but its target is another loss: a chain's task law
(``task_law``, ``--task-law``) takes only the laws of accuracy.
"""

from __future__ import annotations

import math

from scalinglab._errors import ConfigError
from scalinglab.downstream._laws import ExponentialError, Sigmoid

__all__ = ["TASK_LAWS", "accuracy_law"]

#: Laws of a task's accuracy against loss, by name.
TASK_LAWS = ("sigmoid", "exp-error")


def accuracy_law(name: str, *, column: str, chance: float = math.nan) -> Sigmoid | ExponentialError:
    """A law of a task's accuracy against loss by name.

    Args:
        name: One of :data:`TASK_LAWS` (``"gadre"`` is ``"exp-error"``).
        column: The loss column the law reads.
        chance: The task's chance level (the sigmoid's floor), or NaN to fit it.

    Raises:
        ConfigError: ``"loss-to-loss"`` (a law of a loss, not of an accuracy) or an
            unknown name.
    """
    if name == "loss-to-loss":
        raise ConfigError(
            "task law 'loss-to-loss' maps a loss to another loss, not to a task's accuracy",
            hint=f"choose one of {', '.join(TASK_LAWS)} (--task-law); a loss against another "
            "loss is fitted by `scalinglab loss2loss fit` (fit_loss_to_loss)",
        )
    if name == "sigmoid":
        return Sigmoid(column=column, chance=chance)
    if name in ("exp-error", "gadre"):
        return ExponentialError(column=column)
    raise ConfigError(
        f"unknown task law {name!r}", hint=f"choose one of {', '.join(TASK_LAWS)} (--task-law)"
    )
