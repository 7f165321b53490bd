"""The laws a chain may fit from loss to a task's accuracy, chosen by name, and the smaller
laws a chain with too few models is offered.

Loss-to-loss is a downstream law too, but its target is another loss: a chain's task law
(``task_law``, ``--task-law``) takes only the laws of accuracy.
"""

from __future__ import annotations

import math

from scalinglab._errors import ConfigError, did_you_mean
from scalinglab.downstream._laws import ExponentialError, Sigmoid
from scalinglab.laws import Law, get_law

__all__ = ["TASK_LAWS", "accuracy_law", "fewer_parameters"]

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
        f"unknown task law {name!r}{did_you_mean(name, TASK_LAWS)}",
        hint=f"choose one of {', '.join(TASK_LAWS)} (--task-law)",
    )


#: Catalog loss laws offered to a chain with too few models, most parameters first.
_LOSS_LAWS = ("overtraining", "power-law-plus-constant", "power-law")


def fewer_parameters(loss: Law, task: Law, models: int, *, chance_known: bool = False) -> str:
    """The hint for ``models`` too few for the loss law ``loss`` and the task law ``task``:
    the smaller laws with which they would do (both spellings), or ``"add models"`` alone
    where no law has fewer parameters or none would make them enough.

    ``chance_known``: every task's chance level is known, so the chain fits the sigmoid
    with its floor tied to it (3 parameters, as many as exp-error, so not offered instead).
    """
    laws = [get_law(name) for name in _LOSS_LAWS]
    # any known level counts the sigmoid as the chain fits it: its parameters, not their bounds
    chance = 0.0 if chance_known else math.nan
    tasks = {name: accuracy_law(name, column="loss", chance=chance) for name in TASK_LAWS}
    least_loss = min(len(law.params) for law in [loss, *laws])
    least_task = min(len(law.params) for law in [task, *tasks.values()])
    offered = [  # each with the other step's smallest law: enough models for both
        (f"--law {law.spec}", f"law={law.spec!r}", len(law.params))
        for law in laws
        if len(law.params) < len(loss.params) and len(law.params) + least_task < models
    ] + [
        (f"--task-law {name}", f"task_law={name!r}", len(law.params))
        for name, law in tasks.items()
        if len(law.params) < len(task.params) and least_loss + len(law.params) < models
    ]
    if not offered:
        return "add models"
    said = ", ".join(f"{cli} ({k} parameters)" for cli, _, k in offered)
    python = ", ".join(py for _, py, _ in offered)
    return f"add models, or use laws with fewer parameters: {said} ({python} in Python)"
