"""What ``--where status=VALUE`` says when it selects no run by the status shown: a run
stored with that status but shown with another (a ladder rung stored ``pending`` by the
driver that stopped it is shown ``interrupted``) is named, with the ``--where`` that
selects it. ``runs``, ``runs rm`` and a fit of the store say it by this one rule, and
``runs --status VALUE`` in a note. ``runs --status VALUE`` that lists no run says so, with
the store's runs counted by status and the ``--status`` that lists each
(:func:`none_shown_line`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from scalinglab._errors import ConfigError
from scalinglab._format import format_counted, join_more
from scalinglab.data._run_states import counted
from scalinglab.store._record import SHOWN_ONLY, StoredRun
from scalinglab.store._rung_status import SHOWN_STATUSES

__all__ = [
    "none_shown_line", "shown_only_error", "shown_otherwise_error", "shown_otherwise_note",
    "stored_otherwise",
]  # fmt: skip

#: Why a run stored one way is shown another (:mod:`scalinglab.store._rung_status`).
_WHY = {
    "interrupted": "a ladder rung stopped before it finished, which a rerun resumes",
    "finishing": "a ladder rung trained but not yet recorded",
}


def stored_otherwise(
    runs: Sequence[StoredRun], statuses: Mapping[str, str], value: str
) -> dict[str, list[str]]:
    """The names of ``runs`` stored with status ``value`` but shown with another, by the
    status shown (``{"interrupted": ["w64"]}``); ``statuses``: each shown, by ``run_id``."""
    out: dict[str, list[str]] = {}
    for run in runs:
        shown = statuses.get(run.run_id, run.status)
        if run.status == value and shown != value:
            out.setdefault(shown, []).append(run.name or run.run_id)
    return out


def none_shown_line(
    value: str | None, runs: Sequence[StoredRun], statuses: Mapping[str, str], *, store: str
) -> str:
    """What ``runs --status VALUE`` says in place of an empty table: that no run of the
    store is shown ``value``, its runs counted by the status each is shown with (the first
    three named), and the ``--status`` that lists each; it printed the table's head alone.

    Args:
        value: The status ``--status`` asked for; ``None`` for plain ``runs`` (said of an
            empty store alone).
        runs: Every run of the store, in the order ``runs`` lists them.
        statuses: Each run's status as shown, by ``run_id``.
        store: The store's path.
    """
    said = f"no run in {store} has status {value}"
    if not runs:
        empty = f"{said}: it holds no run" if value else f"{store} holds no run"
        return f"{empty} (`scalinglab ingest` or `scalinglab ladder run` fills it)"
    by_status: dict[str, list[str]] = {s: [] for s in SHOWN_STATUSES}
    for run in runs:
        by_status.setdefault(statuses.get(run.run_id, run.status), []).append(
            run.name or run.run_id
        )
    held = {s: names for s, names in by_status.items() if names}
    options = [f"--status {s}" for s in held]
    listed = ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else options[0]
    them = "it" if len(runs) == 1 else "them"
    lists = "lists" if len(options) == 1 else "list"
    return (
        f"{said}; its {format_counted(len(runs), 'run')}: {counted(held)}. {listed} {lists} {them}"
    )


def shown_otherwise_error(
    value: str, groups: Mapping[str, Sequence[str]], *, store: str, among: str
) -> ConfigError:
    """The error for ``--where status=VALUE`` that selects no run shown ``value``, though
    the runs of ``groups`` (:func:`stored_otherwise`) are stored so.

    Args:
        value: The status ``--where`` asked for.
        groups: Names of the runs stored ``value``, by the status each is shown with.
        store: The store's path.
        among: `` among the N runs selected`` where an earlier ``--where`` narrowed them.
    """
    said, selects = _said(value, groups, option="--where status=")
    return ConfigError(
        f"--where status={value}: no run{among} in {store} is shown {value!r}: {said}",
        hint=f"{selects}: --where status= selects by the status `scalinglab runs` shows",
    )


def shown_otherwise_note(value: str, groups: Mapping[str, Sequence[str]]) -> str:
    """The note of ``runs --status VALUE`` where the runs of ``groups``
    (:func:`stored_otherwise`) are stored ``value`` but shown, and so selected, otherwise."""
    said, selects = _said(value, groups, option="--status ")
    return (
        f"--status {value}: {said}; {selects} (--status selects by the status "
        "`scalinglab runs` shows)"
    )


def _said(value: str, groups: Mapping[str, Sequence[str]], *, option: str) -> tuple[str, str]:
    """Which runs are stored ``value`` and shown otherwise, and which ``option`` selects them."""
    said, selects = [], []
    for shown, names in groups.items():
        one = len(names) == 1
        why = f" ({_WHY[shown]})" if shown in _WHY else ""
        said.append(
            f"{join_more(list(names), 3)} {'is' if one else 'are'} stored {value!r} and shown "
            f"{shown!r}{why}"
        )
        selects.append(f"{option}{shown} selects {'it' if one else 'them'}")
    return "; ".join(said), "; ".join(selects)


def shown_only_error(value: str, *, store: str, among: str, shown: bool) -> ConfigError:
    """The error for ``--where status=VALUE`` of a status only shown, never stored
    (:data:`SHOWN_ONLY`), that selects no run; ``shown``: whether it selected by the
    status shown."""
    kept_as = "shown" if shown else "stored"
    lists = f"; `scalinglab runs --store {store} --status {value}` lists those shown"
    return ConfigError(
        f"--where status={value}: no run{among} in {store} is {kept_as} {value!r}",
        hint=SHOWN_ONLY[value] + ("" if shown else lists),
    )
