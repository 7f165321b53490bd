"""Evaluated models named by a checkpoint path, joined to the run the path names: one rule
for ``downstream`` (a run table) and ``ingest`` (the stored runs).

The harness names a model by what it loaded (``pretrained=/ckpts/org/m-1b/step-5000``); the
run table names the run (``org/m-1b``). A path is joined to the one run whose name is a
part of it. Two checkpoints of one run are often both evaluated (every N steps); the chain
pairs each run's accuracy with its final loss and tokens, so the later checkpoint is kept,
by the step number in the part of the path after the run's name (``step-10000`` over
``step-5000``), and a model named as the run itself over any checkpoint of it. Where the
paths do not tell which step is later (no number after the run's name, or the same one)
both are refused by name: the harness's date says which evaluation ran later, not which
checkpoint is, so the merge rule of files does not apply here.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from scalinglab._errors import DataError
from scalinglab._format import format_counted, join_more

__all__ = ["PathJoin", "join_paths", "match_path"]


def _parts(model: str) -> list[str]:
    return [p for p in model.replace("\\", "/").split("/") if p]


def match_path(model: str, names: Sequence[str]) -> str | None:
    """The one name of ``names`` that is a part of the path ``model`` (a checkpoint the
    harness read, ``/ckpts/org/m-1b/step-5000``: ``org/m-1b``), else ``None`` (no path,
    no such name, or several)."""
    parts = _parts(model)
    spans = {"/".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)}
    hits = {n for n in names if n in spans and n != model}
    return next(iter(hits)) if len(parts) > 1 and len(hits) == 1 else None


def _step(model: str, run: str) -> int | None:
    """The checkpoint's step: the last number in the path after the run's name
    (``/ckpts/org/m-1b/step-5000``: 5000); ``None`` for the run itself or no number."""
    parts, span = _parts(model), _parts(run)
    ends = [i + len(span) for i in range(len(parts)) if parts[i : i + len(span)] == span]
    numbers = re.findall(r"\d+", "/".join(parts[ends[-1] :])) if ends else []
    return int(numbers[-1]) if numbers else None


@dataclass(frozen=True)
class PathJoin:
    """How evaluated models were joined to runs.

    Attributes:
        runs: Each model kept that a path names, and its run.
        dropped: Models left out: earlier checkpoints of a run whose later one is kept.
        missing: Models neither a run's name nor a path naming one.
        notes: What was decided: the paths joined, the checkpoints left out.
    """

    runs: dict[str, str]
    dropped: tuple[str, ...]
    missing: tuple[str, ...]
    notes: tuple[str, ...]


def join_paths(models: Collection[str], known: Collection[str], *, source: str) -> PathJoin:
    """Join ``models`` (evaluated models' names) to ``known`` (the runs' names): a model
    that is not a run's name is joined by its path (:func:`match_path`); of several models
    of one run the latest checkpoint is kept (the module's rule), with a note.

    Raises:
        DataError: Two models of one run whose paths do not tell which step is later,
            naming both (``source``: where the evaluations came from).
    """
    names = sorted(known)
    found = {m: (m if m in known else match_path(m, names)) for m in sorted(set(models))}
    by_run: dict[str, list[str]] = {}
    for model, run in found.items():
        if run is not None:
            by_run.setdefault(run, []).append(model)
    dropped: list[tuple[str, str, str]] = []  # run, kept, left out
    for run, several in by_run.items():
        if len(several) < 2:
            continue
        steps = {m: (None if m == run else _step(m, run)) for m in several}
        order = sorted(several, key=lambda m: (m == run, steps[m] or 0))
        last, before = order[-1], order[-2]
        tie = [before] if steps[before] == steps[last] else []
        unclear = [m for m in order[:-1] if steps[m] is None] or tie
        if last != run and (unclear or steps[last] is None):
            raise DataError(
                f"{len(several)} evaluated models are checkpoints of run {run!r}: "
                f"{(unclear or [before])[0]!r} and {last!r}, and their paths do not tell "
                "which step is later",
                source=source,
                hint="keep the results of one checkpoint per run (the final one: the run's "
                "loss and tokens are its), or give the other a run of its own",
            )
        dropped += [(run, last, m) for m in order[:-1]]
    left = {m for _, _, m in dropped}
    runs = {m: r for m, r in found.items() if r is not None and r != m and m not in left}
    notes = []
    if runs:
        pairs = join_more([f"{m!r} as {r!r}" for m, r in runs.items()], 3, sep="; ")
        notes.append(f"models joined to the run their path names: {pairs}")
    if dropped:
        run, kept, out = dropped[0]
        more = f"; and {len(dropped) - 1} more" if len(dropped) > 1 else ""
        notes.append(
            f"{format_counted(len(dropped), 'earlier checkpoint')} left out, each run's latest kept (the "
            f"higher step in its path, or the model named as the run itself): {out!r} for "
            f"{kept!r} of run {run!r}{more}"
        )
    missing = tuple(m for m, r in found.items() if r is None)
    return PathJoin(runs, tuple(m for _, _, m in dropped), missing, tuple(notes))
