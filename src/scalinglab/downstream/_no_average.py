"""The refusal of a plan (or a prediction) for ``average`` from a chain that has none: not a
typo of a task's name, but a chain whose tasks are too few, or too few of them predictable,
to average."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError

if TYPE_CHECKING:
    from scalinglab.downstream._result import DownstreamFit

__all__ = ["no_average"]


def no_average(chain: DownstreamFit) -> ConfigError:
    """Why ``chain`` has no ``average``, and how a chain gets one: an average is taken over
    two or more tasks, by default its predictable ones (``--average-of`` names them)."""
    tasks = list(chain.tasks)
    fine = [t for t, f in chain.tasks.items() if f.predictable]
    has = f"{len(tasks)} task{'' if len(tasks) == 1 else 's'} ({', '.join(tasks)})"
    if len(tasks) > 1:
        has += f", {len(fine)} of them predictable" + (f" ({', '.join(fine)})" if fine else "")
    return ConfigError(
        f"the chain has no average: an average is taken over two or more tasks, by default "
        f"its predictable ones, and this chain has {has}",
        hint="fit the chain on several tasks (downstream fit --tasks hellaswag,piqa,arc_easy; "
        "tasks= in Python), or name the tasks to average (--average-of, average_of=; with "
        "--average-law exp-error, average_law='exp-error', their mean accuracy is fitted as "
        "one target, so each need not be predictable alone)",
    )
