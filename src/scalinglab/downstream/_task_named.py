"""Columns named as a common task that a wide table's reading leaves unread.

A wide evaluation table's tasks are its ``acc_<task>`` columns; a column named as the task
itself (``HellaSwag``, ``piqa_acc``, ``MMLU (%)``) is read only when asked for by name
(``tasks="hellaswag"``, ``--tasks hellaswag``). Without that, such a column was passed over
in silence (or the table refused as holding "no task scores"): here it is named, with the
call that reads it. Only names of tasks with a built-in chance level count
(:data:`~scalinglab.downstream._chance.KNOWN_CHANCE`): any other column may be anything.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from scalinglab._errors import DataError
from scalinglab._format import join_more
from scalinglab.downstream._chance import KNOWN_CHANCE
from scalinglab.downstream._task_names import unit_free

__all__ = ["named_tasks", "unread_tasks", "unread_tasks_note"]


def _named(columns: Sequence[str], read: Collection[str]) -> dict[str, str]:
    """Task -> column, for each of ``columns`` not in ``read`` whose name, its unit aside and
    regardless of case, is a task with a built-in chance level (the first column of each)."""
    found: dict[str, str] = {}
    for column in columns:
        task = unit_free(column).lower()
        if column not in read and task in KNOWN_CHANCE:
            found.setdefault(task, column)
    return found


def named_tasks(columns: Sequence[str], read: Collection[str]) -> dict[str, str]:
    """Task -> column, for the columns of ``columns`` not in ``read`` named as a task with a
    built-in chance level (``HellaSwag (%)``: hellaswag), which are read when asked for by
    name: the tasks a did-you-mean offers beside the ``acc_<task>`` ones."""
    return _named(columns, read)


def _ask(tasks: Sequence[str]) -> str:
    listed = ",".join(tasks)
    return f"--tasks {listed} (tasks='{listed}' in Python)"


def unread_tasks_note(columns: Sequence[str], chosen: dict[str, str]) -> list[str]:
    """The note naming the columns of ``columns`` named as a task but not read (``chosen``:
    task -> column, the ``acc_<task>`` columns read), with every task in the call that reads
    them too; none where there are none."""
    found = _named(columns, set(chosen.values()))
    found = {t: c for t, c in found.items() if t not in chosen}
    if not found:
        return []
    shown = join_more([repr(c) for c in found.values()])
    return [
        f"{'column' if len(found) == 1 else 'columns'} {shown} named as "
        f"{'a task is' if len(found) == 1 else 'tasks are'} not read: a wide table's tasks are its "
        f"acc_<task> columns, and a task's own column is read when asked for by name: "
        + _ask([*chosen, *found])
    ]


def unread_tasks(columns: Sequence[str], source: str, metric: str) -> DataError | None:
    """The refusal of a table without ``metric``'s ``<metric>_<task>`` columns that holds
    columns named as tasks (``HellaSwag``, ``piqa_acc``), naming them and the call that
    reads them; ``None`` where it holds none."""
    found = _named(columns, ())
    if not found:
        return None
    shown = join_more([repr(c) for c in found.values()])
    return DataError(
        f"no task columns of metric {metric!r} ({metric}_<task>), but "
        f"{'column' if len(found) == 1 else 'columns'} {shown} "
        f"{'is named as a task' if len(found) == 1 else 'are named as tasks'}",
        source=source,
        hint=f"read {'it' if len(found) == 1 else 'them'} by name: {_ask(list(found))}",
    )
