"""Loss curves with their learning rate: ``run, step, lr, loss`` (CSV, Parquet, JSONL).

::

    curves = read_lr_curves("curves.csv")                  # one file, a run column
    curves = read_lr_curves("lr-schedules/25M")            # a folder: one run per file
    curves = read_lr_curves("runs.csv", schedule="cosine:peak=3e-4,steps=24000")  # no lr column

Files are read by the same readers as :func:`scalinglab.read_runs`, so every error names the
file, row and column. A run's size (``params``) comes from a ``params`` column, or from a
folder named like a size (``25M/cosine_24000.csv``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from scalinglab._errors import ConfigError, DataError
from scalinglab.curves import _repr
from scalinglab.curves._folder import curve_files, size_of
from scalinglab.curves._run_column import run_column_hint
from scalinglab.curves._schedule_spec import parse_schedule
from scalinglab.curves._schedules import Schedule
from scalinglab.data._curve_columns import CURVE_ALIASES, LR_ALIASES, pick_column
from scalinglab.data._readers import _from_frame, _read_file, is_frame
from scalinglab.data._schema import RawTable
from scalinglab.data._units import parse_values

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Curve", "read_lr_curves", "read_store_curves"]

Array = NDArray[np.float64]
IntArray = NDArray[np.int64]

# the names every curve reader knows, and the learning rate's (W&B: train/learning_rate)
_ALIASES = {
    **{k: CURVE_ALIASES[k] for k in ("run", "step", "loss", "params")},
    "lr": LR_ALIASES,
}


@dataclass(frozen=True, eq=False)
class Curve:
    """One run's logged loss curve and the schedule it was trained with.

    Attributes:
        run: The run's name.
        step: Logged 0-based steps ``(n,)``, increasing.
        loss: Loss at each logged step.
        schedule: The learning rate of every step of the run.
        params: Model size ``N``, or ``nan`` when unknown.
        source: Where it was read from.
        rows: Row of each point in the source (for messages).
    """

    run: str
    step: IntArray
    loss: Array
    schedule: Schedule
    params: float = float("nan")
    source: str = ""
    rows: tuple[int, ...] = field(default=())

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.curve(self)

    def __len__(self) -> int:
        return len(self.step)


def _column(raw: RawTable, what: str, columns: Mapping[str, str] | None = None) -> str | None:
    return pick_column(raw.names, what, _ALIASES[what], columns or {}, source=raw.source)


def _numbers(raw: RawTable, column: str) -> Array:
    out = np.empty(len(raw.rows))
    for i, v in enumerate(raw.cells[column]):
        try:
            out[i] = float(v)  # type: ignore[arg-type,unused-ignore]
        except (TypeError, ValueError):
            raise DataError(
                f"{v!r} is not a number", source=raw.source, row=raw.rows[i], column=column
            ) from None
    return out


def _from_table(
    raw: RawTable,
    default_run: str,
    schedule: str | Schedule | None,
    warmup: int | None,
    columns: Mapping[str, str] | None = None,
) -> list[Curve]:
    step_col, loss_col = _column(raw, "step", columns), _column(raw, "loss", columns)
    for what, col in (("step", step_col), ("loss", loss_col)):
        if col is None:
            raise DataError(
                f"no {what} column (looked for {', '.join(_ALIASES[what])})",
                source=raw.source,
                hint=f"name the column {what!r}",
            )
    assert step_col is not None and loss_col is not None
    lr_col, run_col, n_col = (_column(raw, w, columns) for w in ("lr", "run", "params"))
    if lr_col is None and schedule is None:
        raise DataError(
            "no lr column and no schedule given: a curve law needs the learning rate of every step",
            source=raw.source,
            hint="add an 'lr' column, or pass --schedule 'cosine:peak=3e-4,steps=...'",
        )
    step, loss = _numbers(raw, step_col), _numbers(raw, loss_col)
    lr = _numbers(raw, lr_col) if lr_col else None
    sizes = None  # model sizes as in a run table: 25M, 1.3B
    if n_col:
        sizes = parse_values(raw.cells[n_col], raw.rows, source=raw.source, column=n_col)[0]
    runs = [str(v) for v in raw.cells[run_col]] if run_col else [default_run] * len(step)
    bad = ~np.isfinite(loss) | (loss <= 0)
    if bad.any():
        i = int(np.argmax(bad))
        raise DataError(
            f"loss {loss[i]} is not a positive number",
            source=raw.source,
            row=raw.rows[i],
            column=loss_col,
        )
    out = []
    for run in dict.fromkeys(runs):
        idx = np.array([i for i, r in enumerate(runs) if r == run])
        s = step[idx]
        if np.any(np.diff(s) <= 0):
            j = int(np.argmax(np.diff(s) <= 0)) + 1
            several = "" if run_col else ": the file may hold several runs"
            raise DataError(
                f"run {run!r}: steps must increase, but step {s[j]:g} follows {s[j - 1]:g}"
                + several,
                source=raw.source,
                row=raw.rows[idx[j]],
                column=step_col,
                hint=run_column_hint(raw, int(idx[j]), (step_col, loss_col, lr_col, n_col))
                if not run_col
                else "sort by step and drop repeated steps",
            )
        if lr is not None:  # a logged lr is the run's own schedule: --schedule is for the rest
            sched = Schedule.from_logged(
                s, lr[idx], warmup=warmup, source=f"{raw.source} (run {run})"
            )
        else:
            assert schedule is not None
            sched = parse_schedule(schedule) if isinstance(schedule, str) else schedule
            if s[-1] >= sched.steps:
                raise DataError(
                    f"run {run!r} is logged up to step {s[-1]:g}, beyond the {sched.steps} "
                    f"steps of the schedule given ({sched.spec})",
                    source=raw.source,
                    row=raw.rows[idx[-1]],
                    column=step_col,
                    hint="give the schedule the run was trained with (its steps= at least "
                    f"{int(s[-1]) + 1})",
                )
        keep = s < sched.steps
        n = float(sizes[idx[0]]) if sizes is not None else size_of(run)
        out.append(
            Curve(
                run,
                s[keep].astype(np.int64),
                loss[idx][keep],
                sched,
                n,
                raw.source,
                tuple(raw.rows[i] for i in idx[keep]),
            )
        )
    return out


def read_lr_curves(
    sources: str | os.PathLike[str] | pd.DataFrame | Sequence[str | os.PathLike[str]],
    *,
    schedule: str | Schedule | None = None,
    warmup: int | None = None,
    columns: Mapping[str, str] | None = None,
) -> list[Curve]:
    """Read loss curves with their learning rates from files or folders.

    Args:
        sources: Files, or folders read recursively (one run per file, named by its path
            below the folder, e.g. ``25M/cosine_24000``; scalinglab's JSON results in them
            are skipped), or a DataFrame (columns ``run``,
            ``step``, ``lr``, ``loss`` or their aliases, as in a file).
        schedule: The schedule of the runs without an ``lr`` column (a run with one is
            read with its own; a schedule no run needs is an error).
        warmup: Warm-up steps of every run (default: each run's first logged step).
        columns: Which column holds ``run``, ``step``, ``lr``, ``loss`` or ``params``
            (``{"loss": "val_loss"}``; default: the column of that name, else its one alias:
            ``train_loss`` and ``val_loss`` are refused until one is named here).

    Raises:
        DataError: naming the file, row and column of what is wrong, or the columns that
            could each be one quantity.
    """
    if unknown := sorted(set(columns or {}) - set(_ALIASES)):
        raise ConfigError(f"cannot map {unknown[0]!r}: curve columns are {', '.join(_ALIASES)}")
    if is_frame(sources):
        curves = _from_table(_from_frame(sources, "<DataFrame>"), "run", schedule, warmup, columns)
        return _checked(curves, schedule)
    items: list[str | os.PathLike[str]] = (
        [sources] if isinstance(sources, (str, os.PathLike)) else list(sources)  # type: ignore[arg-type]
    )  # (a DataFrame returned above: TypeGuard does not narrow the other branch)
    curves = []
    for item in items:
        path = Path(item)
        if path.is_dir():
            files, skipped = curve_files(path)  # scalinglab's results in it are skipped
            if not files:
                only = f" (only {len(skipped)} scalinglab result(s))" if skipped else ""
                raise DataError(f"no curve files in this folder{only}", source=str(path))
            for f in files:
                name = str(f.relative_to(path).with_suffix(""))
                if size_of(name) != size_of(name) and size_of(str(path / "x")) == size_of(
                    str(path / "x")
                ):
                    name = f"{path.name}/{name}"  # keep the size folder in the name
                curves += _from_table(_read_file(f, str(f)), name, schedule, warmup, columns)
        else:
            curves += _from_table(_read_file(path, str(item)), path.stem, schedule, warmup, columns)
    return _checked(curves, schedule)


def _checked(curves: list[Curve], schedule: str | Schedule | None) -> list[Curve]:
    """The curves read, once no schedule went unused and no run appears twice."""
    if schedule is not None and all(c.schedule.spec == "logged" for c in curves):
        raise ConfigError(
            "every run has a logged lr column, which is its schedule: the schedule given is "
            "for runs without one",
            hint="drop --schedule (schedule= in Python), or the lr column to use it instead",
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


def read_store_curves(
    store: str | os.PathLike[str], *, runs: Sequence[str] | None = None, warmup: int | None = None
) -> list[Curve]:
    """The loss curves of a run store (``step, lr, train_loss`` per run, as the ladder and
    tracker ingest record them), with each run's ``params``.

    Args:
        store: The run store (``.duckdb``).
        runs: Run ids (default: every run with a curve).
        warmup: Warm-up steps of every run (default: each run's first logged step).
    """
    import pandas as pd

    from scalinglab.store import RunStore
    from scalinglab.store._copies import without_copied_curves

    st = RunStore(store)
    frame = st.curves(runs)
    if frame.empty:
        raise DataError(
            "no loss curves in this store",
            source=str(store),
            hint="ingest runs with their curves, or run a ladder",
        )
    frame = frame[frame["train_loss"].notna()] if "train_loss" in frame else frame
    stored = st.runs_frame()  # every run, read once: the copies and the names come from it
    frame = without_copied_curves(stored, frame)
    known = stored[["run_id", "name", "params"]]
    known = known[known["run_id"].astype(str).isin(set(frame["run_id"].astype(str)))]
    # a run goes by its name (a ladder rung's) when names are unique, else by its id
    if known["name"].notna().all() and known["name"].is_unique:
        known = known.assign(run_id=known["name"].astype(str), id=known["run_id"])
        frame = frame.rename(columns={"run_id": "id"})
        frame = frame.merge(known[["id", "run_id", "params"]], on="id", how="left")
    else:
        frame = frame.merge(known[["run_id", "params"]], on="run_id", how="left")
    keep = [c for c in ("run_id", "step", "lr", "train_loss", "params") if c in frame]
    raw = _from_frame(pd.DataFrame(frame[keep]).reset_index(drop=True), str(store))
    return _from_table(raw, "run", None, warmup)
