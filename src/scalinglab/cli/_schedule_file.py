"""``--schedule-file``: a logged learning-rate column read as a per-step schedule, one run
of a file of several picked by ``--run`` (:mod:`._curves_input` re-exports it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scalinglab._errors import ConfigError, did_you_mean

if TYPE_CHECKING:  # the curves package loads SciPy: imported where a command needs it
    from scalinglab.curves import Schedule

__all__ = ["logged_schedule"]


def logged_schedule(path: Path, *, warmup: int | None = None, run: str | None = None) -> Schedule:
    """``--schedule-file``: an ``lr`` column (and ``step``), reconstructed per step and
    named by the file (``wsd_20000_24000.csv``); ``warmup`` as ``curves fit --warmup``
    (default: the steps before the rate first peaks, by the one rule of
    :meth:`Schedule.from_logged <scalinglab.curves.Schedule.from_logged>` that ``curves
    fit`` reads its curves by); ``run`` (``--run``) picks one run of a file of several (a
    ``run`` column)."""
    from dataclasses import replace

    import numpy as np

    from scalinglab.curves._logged import resumed
    from scalinglab.curves._logged_rates import logged_rates
    from scalinglab.curves._table import numbers
    from scalinglab.data._curve_columns import CURVE_ALIASES, LR_ALIASES, pick_column
    from scalinglab.data._readers import _read_file

    raw = _read_file(path, str(path))
    # no --map here: two columns that could each be the lr are refused, to keep one
    lr_col, step_col, run_col = (
        pick_column(raw.names, what, aliases, {}, source=raw.source, flag=None)
        for what, aliases in (
            ("lr", LR_ALIASES),
            ("step", CURVE_ALIASES["step"]),
            ("run", CURVE_ALIASES["run"]),
        )
    )
    if lr_col is None:
        raise _no_lr(path, raw.names, LR_ALIASES)
    lr = numbers(raw, lr_col, missing=True)  # a blank rate: filled as curves fit fills it
    step = numbers(raw, step_col) if step_col else np.arange(len(lr), dtype=float)
    rows = np.array(raw.rows)
    keep = _one_run(path, raw.cells[run_col] if run_col else None, run_col, run)
    if keep is not None:
        lr, step, rows = lr[keep], step[keep], rows[keep]
    name = path.name if run is None else f"{path.name} (run {run})"
    source = f"{path}" + name[len(path.name) :]
    again = resumed(step, rows.tolist(), who=source)  # the later rows of a resumed run hold
    if again is not None:
        lr, step, rows = lr[again[0]], step[again[0]], rows[again[0]]
    sched = logged_rates(step, lr, warmup=warmup, source=source,
                         columns=(step_col or "step", lr_col), rows=rows.tolist())  # fmt: skip
    said = sched.notes if again is None else (again[1], *sched.notes)
    return replace(sched, spec=name, notes=said)  # named in titles, notes and JSON: the file


def _one_run(path: Path, cells: Any, column: str | None, run: str | None) -> Any:
    """The rows of the run ``run`` (``--run``) in a schedule file's ``column``, as a mask;
    ``None`` for a file of one run.

    Raises:
        ConfigError: for a file of several runs without ``--run``, a run it does not hold,
            or ``--run`` with a file that has no run column.
    """
    import numpy as np

    from scalinglab._format import join_first

    if column is None:
        if run is not None:
            raise ConfigError(
                f"--run {run}: {path} has no run column: it holds one schedule",
                hint="drop --run",
            )
        return None
    names = np.array([str(c) for c in cells])
    runs = list(dict.fromkeys(names.tolist()))
    if run is None:
        if len(runs) < 2:
            return None
        raise ConfigError(
            f"{path} holds the schedules of {len(runs)} runs (column {column!r}: "
            f"{join_first([repr(r) for r in runs], 4)}); a schedule file is one run's",
            hint=f"pick one with --run {runs[0]}",
        )
    if run not in runs:
        raise ConfigError(
            f"--run {run}: {path} holds no run {run!r}{did_you_mean(run, runs)}",
            hint=f"its runs are: {join_first(runs, 6)}",
        )
    return names == run


def _no_lr(path: Path, names: Sequence[str], aliases: Sequence[str]) -> ConfigError:
    """The refusal of a schedule file with no learning-rate column: the columns it has and
    the names read as one (``--schedule-file`` takes no ``--map``); a file whose header is
    a row of numbers has no header line."""
    from scalinglab._format import join_first

    have = join_first([repr(n) for n in names], 6)
    if all(_number_like(n) for n in names):  # 0,2e-06: the first row read as the header
        return ConfigError(
            f"{path}: no 'lr' column: its first line ({have}) holds numbers, not column names",
            hint="add a header line naming the columns: step,lr (or lr alone, one rate per step)",
        )
    return ConfigError(
        f"{path}: no 'lr' column among its columns {have}; a learning rate is read from a "
        f"column named {join_first([repr(a) for a in aliases], 6)}",
        hint="rename the learning-rate column to lr (--schedule-file takes no --map)",
    )


def _number_like(name: str) -> bool:
    try:
        float(name)
    except ValueError:
        return False
    return True
