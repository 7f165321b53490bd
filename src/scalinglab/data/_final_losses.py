"""A table of final losses, one row per run, given where loss curves are read: told by its
rows (a run column whose ids never repeat; without one, runs of several sizes, no two rows
alike in size and budget), and refused saying so and that ``scalinglab fit`` fits it (or
``scalinglab hparams fit``, a learning-rate sweep's runs), where a hint to map a step column
would point nowhere."""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._errors import DataError
from scalinglab.data._column_names import column_key
from scalinglab.data._raw import SIZES, RawTable, as_list
from scalinglab.data._schema import ALIASES, LOSS_OPTION, Y_OPTION, names_tried
from scalinglab.data._sweep_looks import fit_sweep, raw_sweep
from scalinglab.data._tracker_names import loss_columns

__all__ = ["final_losses", "one_row_per_run"]


def _named(names: Sequence[str], target: str) -> list[str]:
    """The columns of ``names`` named as ``target`` or one of its run-table aliases."""
    keys = {column_key(n) for n in (target, *ALIASES[target])}
    return [n for n in names if column_key(n) in keys]


def one_row_per_run(raw: RawTable, run_col: str | None) -> str | None:
    """How the rows of ``raw`` (two or more) are each a run of its own, in words, else
    ``None`` (a run over several rows, or not told).

    With ``run_col``: no run id repeats. Without one, a file is one run, of one size: rows
    of several sizes (one params column) are runs, one each where no two share their size
    and budget (the tokens and flops columns there are, one each).
    """
    n = len(raw.rows)
    if n < 2:
        return None
    if run_col is not None:
        ids = [str(v) for v in as_list(raw.cells[run_col])]
        return f"each {run_col!r} once" if len(set(ids)) == n else None
    found = [_named(raw.names, target) for target in SIZES]  # params first
    if len(found[0]) != 1:
        return None
    keys = [columns[0] for columns in found if len(columns) == 1]
    rows = list(zip(*([str(v) for v in as_list(raw.cells[c])] for c in keys), strict=True))
    if len({row[0] for row in rows}) < 2 or len(set(rows)) < n:
        return None
    return "no two alike in " + ", ".join(repr(c) for c in keys)


def final_losses(
    raw: RawTable, run_col: str | None, *, missing: str, isoflop: bool = False
) -> DataError | None:
    """The error for ``raw`` read as loss curves where its rows are one per run
    (:func:`one_row_per_run`), final losses: the message starts with ``missing`` (the
    column not found, ``"no step column (looked for ...)"``), the hint says how ``fit``
    reads them (with ``--y loss=COLUMN`` where it would find no loss column), or, for a
    learning-rate sweep (:func:`~scalinglab.data._sweep_looks.raw_sweep`), says so and how
    ``hparams fit`` reads it; ``None`` where the rows may be checkpoints, a run over several
    rows. ``isoflop``: the hint names ``isoflop`` before ``fit`` (the envelope's final
    losses: Chinchilla's approach 2 where the envelope is its approach 1)."""
    said = one_row_per_run(raw, run_col)
    if said is None:
        return None
    sweep = raw_sweep(raw)
    if sweep is not None:  # not final losses to fit: runs to locate optima among
        return DataError(
            f"{missing}, and its {len(raw.rows)} rows are one per run ({said}): it looks like "
            f"{sweep}; this reads loss curves, several checkpoints per run",
            source=raw.source,
            hint=f"to fit the optimal learning rate and batch size: {fit_sweep(raw.source)}",
        )
    losses = {column_key(n) for n in names_tried("loss")}
    named = any(column_key(n) in losses for n in raw.names)
    if raw.source == "<DataFrame>":  # Python's call, not a command
        fit = "scalinglab.fit(LAW, frame" + ("" if named else f", {Y_OPTION}") + ")"
        first = "scalinglab.isoflop(frame" + ("" if named else f", {Y_OPTION}") + ")"
    else:
        fit = f"scalinglab fit {raw.source}" + ("" if named else f" {LOSS_OPTION}")
        first = f"scalinglab isoflop {raw.source}" + ("" if named else f" {LOSS_OPTION}")
    several = None if named else loss_columns(raw.names)  # which --y COLUMN may name
    return DataError(
        f"{missing}, and its {len(raw.rows)} rows are one per run ({said}): final losses"
        f"{f' ({several})' if several else ''}; this reads loss curves, several checkpoints "
        "per run",
        source=raw.source,
        hint=f"to fit final losses: {f'`{first}` or ' if isoflop else ''}`{fit}`",
    )
