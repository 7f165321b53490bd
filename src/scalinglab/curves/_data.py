"""Loss curves with their learning rate: ``run, step, lr, loss`` (CSV, Parquet, JSONL).

::

    curves = read_lr_curves("curves.csv")                  # one file, a run column
    curves = read_lr_curves("lr-schedules/25M")            # a folder: one run per file
    curves = read_lr_curves("runs.csv", schedule="cosine:peak=3e-4,steps=24000")  # no lr column

Files are read by the same readers as :func:`scalinglab.read_runs`, so every error names the
file, row and column. A run's size (``params``) comes from a ``params`` column, or from a
folder named like a size (``25M/cosine_24000.csv``, the folder given or the file's own).
Rows without a loss are skipped and diverged runs left out (:mod:`._table`), each said in a
note: a Python warning here, a note on the command line (:func:`read_noted`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._checks import check_columns, given
from scalinglab._errors import ConfigError, DataError, meant
from scalinglab._format import join_first
from scalinglab._keywords import keywords_checked
from scalinglab._warn import warn_at_caller
from scalinglab.curves._curve import Curve, CurveList
from scalinglab.curves._diverged import RULE
from scalinglab.curves._folder import LR_COLUMNS, curve_files, no_curve_files, run_name, size_of
from scalinglab.curves._schedules import Schedule
from scalinglab.curves._table import ALIASES, KEEP, curves_of
from scalinglab.curves._where import Selection, keep_rows
from scalinglab.data._curve_columns import MAP_LOSS
from scalinglab.data._frame_cells import frame_cells
from scalinglab.data._perplexity import perplexity_warning
from scalinglab.data._raw import RawTable
from scalinglab.data._source_cells import is_frame, read_file
from scalinglab.data._where_rows import Where, as_where

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

__all__ = [
    "Curve",
    "checked_curves",
    "read_lr_curves",
    "read_noted",
    "source_items",
    "warn_notes",
]


def warn_notes(notes: Sequence[str]) -> None:
    """The notes of a read, as Python warnings at the reader's caller."""
    for note in notes:
        warn_at_caller(note.removeprefix("warning: "), UserWarning)


@keywords_checked("scalinglab.read_lr_curves")
def read_lr_curves(
    sources: str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str]],
    *,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    columns: Mapping[str, str] | None = None,
    keep_diverged: bool = False,
    where: Where | None = None,
) -> CurveList:
    """Read loss curves with their learning rates from files or folders.

    Args:
        sources: Files, or folders read recursively (one run per file, named by its path
            below the folder, e.g. ``25M/cosine_24000``; scalinglab's JSON results in them
            are skipped), or a DataFrame (columns ``run``,
            ``step``, ``lr``, ``loss`` or their aliases, as in a file). A file in a folder
            named like a size (``25M/cosine_24000.csv``) is the run ``25M/cosine_24000``
            of that size, as when its folder is read.
        schedule: The schedule of the runs that log no lr (no ``lr`` column, or every
            cell blank; a run that logs one is read with its own; a schedule no run needs
            is an error).
        warmup: Warm-up steps of every run with an ``lr`` column (default: each run's steps
            before its lr first peaks); a ``schedule`` says its own.
        columns: Which column holds ``run``, ``step``, ``lr``, ``loss`` or ``params``
            (``{"loss": "val_loss"}``; default: the column of that name, else its one alias:
            ``train_loss`` and ``val_loss`` are refused until one is named here).
        keep_diverged: Keep the runs that look diverged (:mod:`scalinglab.curves._diverged`:
            a loss that turns NaN or inf, or whose median over its last 5 points is above
            1.5x its lowest median over 5 consecutive ones), which are
            otherwise left out with a warning naming each.
        where: ``{column: value}`` or ``(column, value)`` pairs: only the runs whose text
            column has that value (one training corpus), kept before the runs are split
            out and screened, as ``fit --where`` keeps runs.

    Rows whose loss is missing (blank or NaN) are skipped, with a warning counting them.

    Returns:
        A list of :class:`~scalinglab.curves.Curve`, one per run kept, each with its
        logged loss and the schedule it trained with (a :class:`CurveList`: a list whose
        repr is one short line).

    Raises:
        DataError: naming the file, row and column of what is wrong, or the columns that
            could each be one quantity.
        ConfigError: A ``where`` column that is no text column, or a value no run has.
    """
    curves, notes, _, _ = read_noted(sources, schedule=schedule, warmup=warmup, columns=columns,
                                     keep_diverged=keep_diverged, where=where)  # fmt: skip
    warn_notes(notes)
    return CurveList(curves)


def read_noted(
    sources: str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str]],
    *,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    columns: Mapping[str, str] | None = None,
    keep_diverged: bool = False,
    where: Where | None = None,
) -> tuple[list[Curve], list[str], dict[str, str], Selection]:
    """:func:`read_lr_curves`, with its notes returned (a ``warning: `` one for a run left
    out) rather than warned: the command line prints them as its other notes; each run
    left out with why (:attr:`CurveFit.left_out <scalinglab.curves.CurveFit.left_out>`);
    and where the curves came from, how many ``where`` kept of how many (a
    :class:`~scalinglab.curves._where.Selection`, whose ``said`` is
    :attr:`CurveFit.source <scalinglab.curves.CurveFit.source>`: ``curves.csv (3 of its 9
    curves selected)``)."""
    if unknown := sorted(
        set(check_columns(columns, example="{'loss': 'val_loss'}")) - set(ALIASES)
    ):
        raise _unknown_target(unknown[0], dict(columns or {})[unknown[0]])
    pairs = as_where(where)
    if is_frame(sources):
        raw = frame_cells(sources, "<DataFrame>", given=True)
        if not raw.rows:
            raise DataError(
                "no runs: the DataFrame has no rows",
                source=raw.source,
                hint="pass one row per logged step: run, step, lr, loss",
            )
        (raw,), chosen = keep_rows([raw], pairs, columns, source=raw.source, names=["run"])
        curves, notes, left = curves_of(
            raw, "run", schedule, warmup, columns, keep_diverged=keep_diverged
        )
        curves = checked_curves(curves, left, schedule, warmup)
        return curves, [*notes, *_perplexity(curves, columns)], left, chosen
    items = source_items(sources)
    curves, notes, left = [], [], {}
    read: list[tuple[RawTable, str]] = []  # each file as read, and its run's name
    for item in items:
        path = Path(item)
        named: list[tuple[Path, str, str]] = []  # file, its name in messages, its run's name
        if path.is_dir():
            files, skipped = curve_files(path)  # scalinglab's results in it are skipped
            if not files:
                raise no_curve_files(str(path), len(skipped), columns=LR_COLUMNS)
            for f in files:
                named.append((f, str(f), run_name(path, str(f.relative_to(path)))))
        else:
            named.append((path, str(item), run_name(path.parent, path.name)))
        read += [(read_file(f, shown), name) for f, shown, name in named]
    given = join_first([str(item) for item in items], 3)  # as where's messages name them
    kept, chosen = keep_rows([raw for raw, _ in read], pairs, columns, source=given,
                             names=[name for _, name in read])  # fmt: skip
    for raw, (_, name) in zip(kept, read, strict=True):
        if raw.rows:  # (where= may leave a file none)
            more, said, out = curves_of(raw, name, schedule, warmup, columns, size=size_of(name),
                                        keep_diverged=keep_diverged)  # fmt: skip
            curves += more
            notes += said
            left.update(out)
    curves = checked_curves(curves, left, schedule, warmup)
    return curves, [*notes, *_perplexity(curves, columns)], left, chosen


def _perplexity(curves: Sequence[Curve], columns: Mapping[str, str] | None) -> list[str]:
    """:func:`~scalinglab.data._perplexity.perplexity_warning` of every curve's points."""
    loss = np.concatenate([c.loss for c in curves])
    mapped = (columns or {}).get("loss")
    where = f"column {mapped!r}" if mapped else "the curves' loss column"
    said = perplexity_warning(loss, where=where, option=MAP_LOSS, column=mapped)
    return [said] if said else []


def source_items(
    sources: object, *, name: str = "sources", call: str = "scalinglab.read_lr_curves"
) -> list[str | os.PathLike[str]]:
    """``sources`` (not a DataFrame) as the list of paths it names: one path, or a list of
    them (``[]``: none, which the reader says has no run).

    Args:
        sources: What was given.
        name: Its argument's name, for the message (``"curves"`` for a fit's).
        call: The function given it, for the message.

    Raises:
        ConfigError: For anything else (``5``, a list of numbers, a :class:`RunTable`),
            naming ``name``, rather than Python's ``TypeError`` from iterating or from
            :class:`Path`.
    """
    from scalinglab.data._table import RunTable

    if isinstance(sources, str | os.PathLike):
        return [sources]
    if isinstance(sources, Sequence) and all(isinstance(i, str | os.PathLike) for i in sources):
        return list(sources)
    read = " (or the Curve objects read_lr_curves returns)" if name == "curves" else ""
    example = f"e.g. {call.rsplit('.', 1)[-1]}('curves.csv'), or a folder of one file per run"
    if isinstance(sources, RunTable):
        raise ConfigError(
            f"{call} takes loss curves (run, step, lr, loss at each logged step); {name} is a "
            "RunTable, which holds one final loss per run",
            hint=f"pass the curves' file or folder, {example}",
        )
    raise ConfigError(
        f"{call}: {name} must be a file's or folder's path, a list of them{read}, or a "
        f"DataFrame of run, step, lr, loss; got {given(sources)}",
        hint=example,
    )


def checked_curves(
    curves: list[Curve],
    diverged: Mapping[str, str],
    schedule: str | Schedule | None,
    warmup: int | None,
) -> list[Curve]:
    """The curves read, once some are left (``diverged``: the runs left out, and why), no
    option went unused and no run appears twice."""
    if not curves and not diverged:  # every reader refuses a table without rows first
        raise DataError("no run to fit: no curve has a logged point")
    if not curves:
        said = [f"run {run!r} {why}" for run, why in diverged.items()]
        raise DataError(
            f"no run left to fit: every run looks diverged ({RULE}): {'; '.join(said[:3])}"
            + ("; ..." if len(said) > 3 else ""),
            hint=f"pass {KEEP} to fit them anyway",
        )
    if schedule is not None and all(c.schedule.spec == "logged" for c in curves):
        raise ConfigError(
            "every run has a logged lr column, which is its schedule: the schedule given is "
            "for runs without one",
            hint="drop --schedule (schedule= in Python); to fit another schedule, give "
            "curves without an lr column",
        )
    if warmup is not None and not any(c.schedule.spec == "logged" for c in curves):
        raise ConfigError(
            "--warmup (warmup=) is for runs with a logged lr column: the --schedule spec "
            "says its own warm-up",
            hint="write it into the spec: --schedule 'cosine:warmup=2160,steps=24000'",
        )
    where: dict[str, list[str]] = {}
    for c in curves:
        where.setdefault(c.run, []).append(c.source)
    dup = {run: sources for run, sources in where.items() if len(sources) > 1}
    if dup:
        run, sources = next(iter(sorted(dup.items())))
        raise DataError(
            f"runs {sorted(dup)} appear more than once (run {run!r} in {', '.join(sources)})",
            hint="name runs uniquely: one run per file, or a distinct 'run' column value",
        )
    return curves


def _unknown_target(name: str, column: str) -> ConfigError:
    """The refusal of a ``--map`` (``columns=``) target that is no curve quantity, with the
    one likely meant (``los`` for ``loss``, by :func:`~scalinglab._errors.did_you_mean`'s
    rule) and how to write it on the command line and in Python."""
    import difflib

    near = difflib.get_close_matches(name.strip().lower(), list(ALIASES), 1, 0.75)
    target = near[0] if near else "loss"
    return ConfigError(
        f"cannot map {name!r}: curve columns are {', '.join(ALIASES)}"
        + (meant(target) if near else ""),
        hint=f"name a curve column: --map {target}={column}, or "
        f"columns={{{target!r}: {column!r}}} in Python",
    )
