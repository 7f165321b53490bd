"""The chance levels a chance file or a ``chance=`` mapping gives for no task evaluated: a
typo there (``hellswag``) leaves its task at its built-in level, or none, so it is said,
with the task it most likely meant."""

from __future__ import annotations

from collections.abc import Mapping

from scalinglab._errors import closest_name, meant
from scalinglab._format import join_more
from scalinglab.downstream._task_names import unit_free

__all__ = ["given_name", "unused_note"]


def given_name(given: Mapping[str, float], task: str) -> str | None:
    """The name under which ``given`` (a chance file's or mapping's levels) holds ``task``'s
    level: ``task`` itself, else the one name alike but for case (``MyTask`` for the task
    ``mytask``, as a task column is read by its name lower-cased), else the one alike but
    for case and the unit closing a column's name (``hellaswag`` for the task
    ``hellaswag (%)``); ``None`` for none, or for several alike (none of them named
    exactly)."""
    if task in given:
        return task
    for key in (str.lower, lambda name: unit_free(name).lower()):
        alike = [name for name in given if key(name) == key(task)]
        if alike:
            return alike[0] if len(alike) == 1 else None
    return None


def unused_note(given: Mapping[str, float], tasks: Mapping[str, str], source: str) -> list[str]:
    """A note naming the levels of ``given`` read for none of ``tasks`` (task -> column),
    each with the task it most likely meant. A ``chance=`` mapping's are all named; a
    file's, which may list every task of a suite, only those near a task it gives no
    level, or all of them where it gives none any."""
    used = {name for t in tasks if (name := given_name(given, t)) is not None}
    unused = [name for name in given if name not in used]
    if not unused:
        return []
    if source != "chance=" and used:  # a suite's file: only a likely typo is worth a note
        bare = [t for t in tasks if given_name(given, t) is None]
        unused = [name for name in unused if closest_name(name, bare) is not None]
        if not unused:
            return []
    bare = [t for t in tasks if given_name(given, t) is None] or list(tasks)
    said = []
    for name in unused:
        near = closest_name(name, bare)
        said.append(f"{name!r}" + (f" ({meant(near, hint=True)})" if near is not None else ""))
    where = "in chance=" if source == "chance=" else f"of {source}"
    return [
        f"chance levels {where} for no task evaluated, not read: {join_more(said, sep='; ')}; "
        f"the tasks are {', '.join(tasks)}"
    ]
