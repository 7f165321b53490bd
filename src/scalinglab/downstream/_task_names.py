"""The common task a task's name holds, for the values built in per task (chance levels,
numbers of examples): evaluation suites name a task by suite, task and few-shot count,
``harness|hellaswag|10`` (the Open LLM Leaderboard's details) or
``leaderboard|arc:challenge|25`` (lighteval), which are ``hellaswag`` and ``arc_challenge``
here; ``leaderboard|mmlu:anatomy|5``, a subject of MMLU, is ``mmlu``'s. A column's name may end
in its unit or metric (``HellaSwag (%)``, ``piqa [acc]``, ``piqa_acc``): the task it holds
is ``hellaswag``'s, ``piqa``'s, for those values (:func:`unit_free`)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError, did_you_mean

__all__ = ["builtin_for", "says_percent", "suite_note", "suite_task", "task_base", "unit_free"]

_METRIC = r"acc(?:_norm)?|accuracy"
#: A unit or metric closing a column's name: ``(%)``, ``[%]``, `` %``, ``(acc)``, ``_acc``.
_UNIT = re.compile(rf"\s*(?:[(\[]\s*(?:%|{_METRIC})\s*[)\]]|%|[_ ](?:{_METRIC}))\s*$", re.I)
#: A percent sign closing a column's name: ``(%)``, ``[%]``, `` %``.
_PERCENT = re.compile(r"(?:[(\[]\s*%\s*[)\]]|%)\s*$")


def unit_free(name: str) -> str:
    """``name`` without the unit or metric closing it (``HellaSwag (%)``: ``HellaSwag``;
    ``piqa_acc``: ``piqa``); ``name`` itself where none does, or nothing else is left."""
    bare = _UNIT.sub("", name).strip()
    return bare or name


def says_percent(name: str) -> bool:
    """Whether a column's name says its values are percentages (``HellaSwag (%)``,
    ``piqa [%]``, ``MyTask %``)."""
    return bool(_PERCENT.search(name.strip()))


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
    (``mmlu:anatomy``), its family's (``mmlu``), else that of its name without the unit
    closing it (``hellaswag (%)``: ``hellaswag``, :func:`unit_free`); ``None`` where none
    is listed."""
    if task in table:
        return float(table[task]), task
    held = _held(task)
    if held is None:
        bare = unit_free(task).lower()
        return (float(table[bare]), bare) if bare != task and bare in table else None
    for name in dict.fromkeys(n.lower() for n in (held.replace(":", "_"), held.split(":")[0])):
        if name in table:
            return float(table[name]), name
    return None


def _holding(name: str, tasks: Sequence[str]) -> list[str]:
    """The suite names among ``tasks`` whose task is ``name`` (``hellaswag`` of
    ``harness|hellaswag|10``; ``arc_challenge`` or ``arc:challenge`` of
    ``leaderboard|arc:challenge|25``), case aside."""
    plain = name.strip().lower()
    return [
        t
        for t in tasks
        if _held(t) is not None and plain in (task_base(t).lower(), str(_held(t)).lower())
    ]


def suite_task(
    name: str,
    tasks: Sequence[str],
    *,
    source: str,
    why: str | None = None,
    named: Mapping[str, str] | None = None,
) -> str:
    """The task of ``tasks`` a name that is none of them stands for: the one suite name
    holding it (``hellaswag``: ``harness|hellaswag|10``, :func:`suite_note` says so).
    ``named``: the tasks read when asked for by name (task -> its column, ``hellaswag`` ->
    ``HellaSwag (%)``), offered too where ``name`` is none.

    Raises:
        ConfigError: No task holds it (``why``: it was left out, and why), or several do
            (``harness|hellaswag|10`` and ``leaderboard|hellaswag|10``): they are listed.
    """
    holding = _holding(name, tasks) if why is None else []
    if len(holding) == 1:
        return holding[0]
    if holding:
        raise ConfigError(
            f"task {name!r} is held by {len(holding)} tasks in {source}: " + ", ".join(holding),
            hint=f"name the one meant in full, e.g. {holding[0]!r}",
        )
    named = named or {}
    message = (
        f"unknown task {name!r} in {source}{did_you_mean(name, [*tasks, *named])}"
        if why is None  # left out for want of the metric asked for: say so
        else f"task {name!r} in {source} was left out: {why}"
    )
    by_name = ", ".join(f"{t} ({c!r})" for t, c in named.items())
    also = f"; read when asked for by name: {by_name}" if by_name else ""
    raise ConfigError(message, hint="the tasks are " + ", ".join(tasks) + also)


def suite_note(asked: Sequence[str], tasks: Sequence[str]) -> list[str]:
    """A note for each task asked for by the plain name a suite name holds, with the
    task it was read as (``asked[i]`` was read as ``tasks[i]``)."""
    return [
        f"task {a!r} read as {t!r}, the one task of the evaluations that holds it"
        for a, t in zip(asked, tasks, strict=True)
        if a != t and t in _holding(a, [t])
    ]
