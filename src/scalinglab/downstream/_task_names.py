"""The common task a task's name holds, for the values built in per task (chance levels,
numbers of examples): evaluation suites name a task by suite, task and few-shot count,
``harness|hellaswag|10`` (the Open LLM Leaderboard's details) or
``leaderboard|arc:challenge|25`` (lighteval), which are ``hellaswag`` and ``arc_challenge``
here; ``leaderboard|mmlu:anatomy|5``, a subject of MMLU, is ``mmlu``'s."""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["builtin_for", "task_base"]


def _held(task: str) -> str | None:
    """The task part of a suite's name (``arc:challenge`` of ``leaderboard|arc:challenge|25``):
    the part after the suite, before a few-shot count; ``None`` for a name without ``|``."""
    parts = [p.strip() for p in task.split("|")]
    if len(parts) == 1:
        return None
    if len(parts) > 2 and parts[-1].isdigit():  # the few-shot count
        parts = parts[:-1]
    return parts[-1]


def task_base(task: str) -> str:
    """The task a suite's name holds (``harness|hellaswag|10``: ``hellaswag``), its ``:``
    as ``_`` (``leaderboard|arc:challenge|25``: ``arc_challenge``); a name without ``|`` as
    it is."""
    held = _held(task)
    return task if held is None else held.replace(":", "_")


def builtin_for(table: Mapping[str, float], task: str) -> tuple[float, str] | None:
    """``table``'s value for ``task`` and the name it is listed under: the task's own, else
    that of the task its suite's name holds (:func:`task_base`), else, for a subtask
    (``mmlu:anatomy``), its family's (``mmlu``); ``None`` where none is listed."""
    if task in table:
        return float(table[task]), task
    held = _held(task)
    if held is None:
        return None
    for name in dict.fromkeys(n.lower() for n in (held.replace(":", "_"), held.split(":")[0])):
        if name in table:
            return float(table[name]), name
    return None
