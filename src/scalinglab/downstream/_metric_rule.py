"""Which of a source's scores are read as the metric asked for (``--metric``), one rule for
every reader of long scores (a long table, lm-evaluation-harness results, the run store),
and what is said of the tasks it leaves out.

lm-evaluation-harness names a score by metric and filter (``acc,none``; gsm8k's
``exact_match,strict-match`` and ``exact_match,flexible-extract``). ``--metric acc`` reads
``acc``, else a task's only filter of it (said in a note); where a task has the metric under
several filters none is chosen for the user: the task is left out, or refused when asked for,
naming them, and ``--metric exact_match,flexible-extract`` reads one.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import join_more
from scalinglab.downstream._frames import is_error

__all__ = ["Scored", "also_there", "left_out", "pick_scores", "score_names", "several_filters"]


def score_names(metric: str, names: Iterable[str]) -> tuple[str, ...]:
    """The names among a task's scores (``names``, as lm-evaluation-harness writes them:
    ``acc``, ``exact_match,strict-match``) read as ``metric``, one rule for every reader: the
    name itself (``acc``; ``acc,none`` is ``acc``); for a metric named without a filter,
    else its names under a filter. One is read (a task's only filter, with a note); several
    (gsm8k's ``exact_match,strict-match`` and ``exact_match,flexible-extract``) are none's
    to choose: the caller names them and ``--metric exact_match,flexible-extract`` reads one.
    """
    want = metric.removesuffix(",none")
    given = [n for n in dict.fromkeys(map(str, names)) if not is_error(n)]
    if want in given:
        return (want,)
    return () if "," in want else tuple(n for n in given if n.split(",")[0] == want)


def _readers(names: Sequence[str]) -> list[str]:
    """The metrics that read a task of score ``names``: each name's metric (``acc``), or the
    name itself where its metric is under several filters."""
    out = []
    for name in (n for n in names if not is_error(n)):
        base = name.split(",")[0]
        out.append(base if len(score_names(base, names)) == 1 else name)
    return list(dict.fromkeys(out))


def pick_scores(
    frame: pd.DataFrame, metric: str
) -> tuple[pd.DataFrame, list[str], dict[str, tuple[str, ...]]]:
    """The rows of long scores ``frame`` (``run``, ``task``, ``metric``, ``value``) read as
    ``metric``, by :func:`score_names` per task (one name per task, for all its runs); a
    note on the tasks read under their only filter; and the tasks whose metric is under
    several filters (task -> those names), of which no row is read."""
    names, tasks = frame["metric"].astype(str), frame["task"].astype(str)
    chosen: dict[str, str] = {}
    several: dict[str, tuple[str, ...]] = {}
    for task, group in names.groupby(tasks, sort=False):
        found = score_names(metric, group)
        if len(found) == 1:
            chosen[str(task)] = found[0]
        elif found:
            several[str(task)] = found
    picked = frame[(tasks.map(chosen) == names).to_numpy()]
    filtered = {t: m for t, m in chosen.items() if m != metric.removesuffix(",none")}
    notes = [_filter_note(metric, filtered, len(chosen))] if filtered else []
    return picked, notes, several


def _filter_note(metric: str, filtered: Mapping[str, str], n_read: int) -> str:
    """The one note on the tasks of ``filtered`` (task -> name) read under their only
    filter, of ``n_read`` tasks read: every task under one name (a long table's ``acc,none``,
    the harness's key) said once, not task by task."""
    names = list(dict.fromkeys(filtered.values()))
    if len(filtered) == 1 or len(filtered) < n_read or len(names) > 1:
        return f"{metric} of {', '.join(filtered)} read under its only filter ({', '.join(names)})"
    plain = " (lm-evaluation-harness's key, no filter)" if names[0].endswith(",none") else ""
    return f"{metric} of all {n_read} tasks read as {names[0]}{plain}"


def several_filters(
    metric: str, several: Mapping[str, Sequence[str]], source: str, *, column: str | None = None
) -> DataError:
    """The error for ``metric`` asked for where the tasks that have it have it under several
    filters only: which, and the names that read one."""
    names = next(iter(several.values()))
    return DataError(
        f"{metric} of {', '.join(several)} is under several filters ({', '.join(names)}): "
        "which one is the accuracy?",
        source=source,
        column=column,
        hint="choose one: " + " or ".join(f"--metric {n}" for n in names) + " (metric=... in "
        "Python)",
    )


def left_out(metric: str, scores: Iterable[tuple[str, str]]) -> tuple[dict[str, str], list[str]]:
    """The tasks left out for want of ``metric``, each with why (``task -> reason``, what
    :attr:`Evals.left_out <scalinglab.downstream.Evals.left_out>` holds), and the notes
    saying so, one wording for every reader (a wide table, a long one, harness results, the
    run store): those whose ``scores`` (``(task, metric)`` pairs; standard errors no
    scores) hold none :func:`score_names` reads as ``metric``, or several (its filters).
    Both empty when none is."""
    by_task: dict[str, list[str]] = {}
    for task, name in scores:  # each name once: a store holds one per run
        names = by_task.setdefault(str(task), [])
        if str(name) not in names:
            names.append(str(name))
    missing: dict[str, list[str]] = {}
    several: dict[str, tuple[str, ...]] = {}
    for task, names in by_task.items():
        found = score_names(metric, names)
        if len(found) > 1:
            several[task] = found
        elif not found and _readers(names):
            missing[task] = _readers(names)
    why = {t: f"no {metric} for {t} (--metric {found[0]} reads it)" for t, found in missing.items()}
    notes = []
    if missing:
        first = next(iter(missing.values()))
        shared = [m for m in first if all(m in found for found in missing.values())]
        reads = "it" if len(missing) == 1 else "them" if shared else next(iter(missing))
        notes.append(
            f"no {metric} for {', '.join(missing)}: left out (--metric {(shared or first)[0]} "
            f"reads {reads})"
        )
    for task, found in several.items():
        what = f"{metric} of {task} is under several filters ({', '.join(found)})"
        why[task] = f"{what}: --metric {found[0]} reads one"
        notes.append(f"{what}: left out (--metric {found[0]} reads one)")
    return why, notes


def also_there(metric: str, scores: Iterable[tuple[str, str]], read: Sequence[str]) -> list[str]:
    """The notes on the tasks ``read`` whose ``scores`` (``(task, metric)`` pairs) hold
    another metric than ``metric`` (acc_norm beside acc), as a wide table's reader says
    it: which metric was read, and the ``--metric`` that reads the other."""
    by_task: dict[str, list[str]] = {}
    for task, name in scores:
        by_task.setdefault(task, [])
        if name not in by_task[task]:
            by_task[task].append(name)
    base = metric.split(",")[0]
    groups: dict[tuple[str, ...], list[str]] = {}
    for task in read:
        others = tuple(r for r in _readers(by_task.get(task, [])) if r.split(",")[0] != base)
        if others:
            groups.setdefault(others, []).append(task)
    return [
        f"metric {metric} read for {join_more(tasks, 8)}; {', '.join(others)} "
        f"{'is' if len(others) == 1 else 'are'} there too (--metric {others[0]} reads "
        f"{'it' if len(tasks) == 1 else 'them'})"
        for others, tasks in groups.items()
    ]


@dataclass(frozen=True)
class Scored:
    """Every score a source holds, as ``run``, ``task`` and ``metric`` rows: what the note
    on the tasks left out for want of ``metric`` is said of (:func:`left_out`).

    Attributes:
        metric: The metric read as the accuracy.
        rows: One row per score: ``run`` (the model's name), ``task``, ``metric``.
    """

    metric: str
    rows: pd.DataFrame

    def left_out(
        self, removed: Collection[str] = (), read: Sequence[str] = ()
    ) -> tuple[dict[str, str], list[str]]:
        """:func:`left_out` of the scores of the models not ``removed`` (by ``--where``):
        a task only removed models have scores of is not theirs to speak of; and, of the
        tasks ``read``, a note on those that have another metric too (:func:`also_there`)."""
        rows = self.rows
        if removed:
            rows = rows[~rows["run"].astype(str).isin(list(removed))]
        pairs = list(zip(rows["task"].astype(str), rows["metric"].astype(str), strict=True))
        why, notes = left_out(self.metric, pairs)
        return why, [*also_there(self.metric, pairs, read), *notes]

    def refuse_asked(self, tasks: Sequence[str] | None, source: str) -> None:
        """Refuse a task asked for by name (``--tasks gsm8k``) that has scores here, none
        of which reads as the metric: its metrics named, and the ``--metric`` that reads it
        (not "unknown task": it is there).

        Raises:
            ConfigError: For the first such task.
        """
        if tasks is None or list(tasks) == ["all"]:
            return
        names = self.rows["metric"].astype(str)
        for task in tasks:
            have = list(dict.fromkeys(names[self.rows["task"].astype(str) == task]))
            found = score_names(self.metric, have)
            if len(found) == 1 or not _readers(have):
                continue
            if found:
                raise ConfigError(
                    f"task {task!r} in {source} has {self.metric} under several filters: "
                    f"{', '.join(found)}",
                    hint="choose one: " + " or ".join(f"--metric {n}" for n in found),
                )
            raise ConfigError(
                f"task {task!r} in {source} has no {self.metric} score; its metrics are "
                f"{join_more(_readers(have), 8)}",
                hint=f"--metric {_readers(have)[0]} reads it (metric=... in Python)",
            )
