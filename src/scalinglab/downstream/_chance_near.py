"""A task with no chance level whose name is a likely slip of a task that has one built in
(``winogrnade`` for ``winogrande``): its floor is then fitted rather than tied to chance,
which moves its verdict and predictions, and nothing else would say why."""

from __future__ import annotations

import math
from collections.abc import Mapping

from scalinglab._errors import closest_name
from scalinglab._format import format_g, join_more
from scalinglab.downstream._task_names import unit_free

__all__ = ["near_known_note"]


def near_known_note(levels: Mapping[str, float], known: Mapping[str, float]) -> list[str]:
    """A note naming the tasks of ``levels`` left without a level (NaN) whose name is close
    to one of ``known`` (the built-in levels), each with that task and its level; ``[]``
    where none is.

    Args:
        levels: Task -> chance level as read (NaN: none given, none built in).
        known: The built-in levels, task -> chance.
    """
    said = []
    for task, level in levels.items():
        if math.isfinite(level) or "|" in task:  # a suite's name is read by what it holds
            continue
        near = closest_name(unit_free(task), list(known))  # 'HellaSwg (%)' is hellaswg's
        if near is not None:  # not the task itself: a task known built in has its level
            said.append(f"task {task!r} (is it {near}, chance {format_g(known[near])}?)")
    if not said:
        return []
    its = "its floor is" if len(said) == 1 else "their floors are"
    return [
        f"no chance level known for {join_more(said, sep='; ')}: {its} fitted, not tied to "
        "chance; if it is the task named, rename it so, or give its level with --chance "
        "(chance= in Python)"
    ]
