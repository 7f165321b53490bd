"""The error for a curve file without a learning-rate column and no schedule given: the
columns it has, and the one that may hold the rate under a name of its own (PyTorch
Lightning's ``lr-AdamW``, a tracker's ``optimizer/lr_group0``) with the ``--map`` that
reads it."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from scalinglab._errors import DataError
from scalinglab._format import format_columns, format_counted, join_more
from scalinglab.data._curve_columns import LR_ALIASES
from scalinglab.data._schema import RawTable

__all__ = ["no_lr_error", "no_lr_runs_error"]

_SCHEDULE = (
    "pass --schedule 'cosine:peak=3e-4,steps=...' (schedule= in Python), the schedule of "
    "the runs that log none"
)


def lr_like(names: Collection[str], taken: Collection[str | None]) -> list[str]:
    """The columns of ``names`` (not ``taken``) whose name has the word ``lr`` or
    ``learning`` (``lr-AdamW``, ``optimizer/lr_group0``, ``Learning Rate``)."""
    words = (re.split(r"[^a-z0-9]+|(?<=[a-z])(?=[0-9])", n.lower()) for n in names)
    return [
        n
        for n, w in zip(names, words, strict=True)
        if n not in taken and ({"lr", "learning"} & set(w))
    ]


def no_lr_error(raw: RawTable, taken: Collection[str | None]) -> DataError:
    """No lr column (none of :data:`LR_ALIASES`) and no schedule: the columns named, and
    ``--map lr=COLUMN`` for a column that looks like a rate (``taken``: the step and loss)."""
    like = lr_like(raw.names, taken)
    have = format_columns(raw.names)
    if like:
        hint = (
            f"if {like[0]!r} holds the learning rate, read it as the lr: --map lr={like[0]} "
            f"(columns={{'lr': {like[0]!r}}} in Python); else {_SCHEDULE}"
        )
    else:
        hint = f"add an 'lr' column (or map yours: --map lr=COLUMN), or {_SCHEDULE}"
    return DataError(
        f"no lr column (looked for {', '.join(LR_ALIASES)}; the columns are {have}) and no "
        "schedule given: a curve law needs the learning rate of every step",
        source=raw.source,
        hint=hint,
    )


def no_lr_runs_error(source: str, runs: Sequence[str]) -> DataError:
    """Runs with an lr column whose cells are all blank, and no schedule given: every one
    named (the first few and how many more), not only the first found."""
    if len(runs) == 1:
        said, its = f"run {runs[0]!r} logs", "its"
    else:
        said = f"{format_counted(len(runs), 'run')} ({join_more([repr(r) for r in runs])}) log"
        its = "their"
    return DataError(
        f"{said} no learning rate: every lr cell is blank or NaN",
        source=source,
        hint=f"fill in {its} lr, or {_SCHEDULE}",
    )
