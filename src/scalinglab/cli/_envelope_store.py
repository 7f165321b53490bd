"""``scalinglab envelope --store``: the curves of a run store, with each run's stored params.

Curves ingested from a tracker (W&B, MLflow, TensorBoard) often log steps but no tokens, so
their ``tokens`` column is NaN: such points count as missing tokens, which
``--tokens-per-step`` fills as ``step × tokens per step``; without it, a run whose final
tokens are stored (``data.tokens``) counts ``final tokens / last step`` per step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab._errors import ConfigError, DataError
from scalinglab._format import format_counted, format_g
from scalinglab.data._compare import where_options
from scalinglab.data._curve_columns import step_tokens
from scalinglab.data._schema import LOSS_OPTION

__all__ = ["curves_from_store"]

_SHOWN = 3  # runs named in a message, at most


def curves_from_store(
    path: Path,
    columns: Mapping[str, str],
    per_step: float | None,
    *,
    loss_option: str = LOSS_OPTION,
    where: Sequence[tuple[str, str]] = (),
) -> Any:
    """Curves of every run in a run store, with each run's stored params; the loss is
    eval_loss where the store has any, else train_loss (say which with ``--map loss=...``).

    Args:
        path: The run store.
        columns: ``--map`` pairs (curve name -> store curve column).
        per_step: ``--tokens-per-step``: fills the tokens of points the store has none for.
        loss_option: The option a missing loss column's hint names (``--y loss=COLUMN``).
        where: ``--where`` pairs: only the curves of the runs ``scalinglab runs --where``
            lists (``train.lr=0.003``), as ``fit --store`` and ``curves fit --store`` select.

    Raises:
        StoreError: For a missing or unreadable store, as every command taking ``--store``
            says it.
        ConfigError: For a store without curves, a ``where`` no run (or no run with a
            curve) meets, or a run whose curve has no tokens at all when no
            ``--tokens-per-step`` was given.
    """
    from scalinglab.data import read_curves
    from scalinglab.store import RunStore
    from scalinglab.store._copies import copied_curves

    store = RunStore(path)  # a missing store: the message every command gives (StoreError)
    frame = store.curves()
    if frame.empty:
        raise ConfigError(
            f"--store {str(path)!r} holds no curves", hint="ingest or train runs with curves"
        )
    if where:
        from scalinglab.curves._where import store_runs

        kept = set(store_runs(path, None, where) or ())
        frame = frame[frame["run_id"].astype(str).isin(kept)].reset_index(drop=True)
        if frame.empty:
            said = where_options(where)
            raise ConfigError(
                f"{'the 1 run' if len(kept) == 1 else f'none of the {len(kept)} runs'} {said} "
                f"selects in {path} {'has no' if len(kept) == 1 else 'has a'} stored curve",
                hint="`scalinglab runs --store STORE --where ...` lists them",
            )
    columns = dict(columns)
    if "loss" not in columns:
        has_eval = "eval_loss" in frame.columns and bool(frame["eval_loss"].notna().any())
        columns["loss"] = "eval_loss" if has_eval else "train_loss"
    runs = store.runs_frame()
    frame, notes, _ = copied_curves(runs, frame)  # a run stored from two sources: counted once
    runs = runs[runs["run_id"].astype(str).isin(set(frame["run_id"].astype(str)))]
    sizes = {
        str(r): float(n) for r, n in zip(runs["run_id"], runs["params"], strict=True) if n == n
    }
    names = dict(zip(runs["run_id"].astype(str), runs["name"].astype(str), strict=True))
    step = columns.get("step", "step")  # --map step=COL: its steps fill tokens as "step" does
    if columns.get("tokens", "tokens") == "tokens" and step in frame.columns:
        finals = {  # each run's stored final tokens: its tokens per step where none is given
            str(r): float(t) for r, t in zip(runs["run_id"], runs["tokens"], strict=True) if t == t
        }
        frame, filled = fill_tokens(
            frame, names=names, per_step=per_step, store=path, finals=finals, step=step
        )
        notes += filled
    if len(set(names.values())) == len(names):  # runs by their names, as `runs` lists them
        frame = frame.assign(run_id=frame["run_id"].astype(str).map(names))
        sizes = {names[r]: n for r, n in sizes.items() if r in names}
    else:
        notes.append("runs shown by their store ids: some runs share a name")
    frame = frame.drop(columns=[c for c in ("lr",) if c in frame.columns])
    # stored tokens are filled from steps above: read_curves is given per_step only for
    # curves without a tokens column (it would say it is not used)
    per_step = None if "tokens" in frame.columns else per_step
    try:
        curves = read_curves(
            frame, columns=columns, runs=sizes, tokens_per_step=per_step, loss_option=loss_option
        )
    except DataError as err:  # "<DataFrame>, row 81": the store's run and step instead
        raise in_store(err, frame, path) from None
    # the store by its path, as fit, isoflop and curves --store name it: the envelope adds
    # its count of runs ('runs.duckdb (5 runs)'), one bracket
    return replace(curves, source=str(path), notes=(*curves.notes, *notes))


def fill_tokens(
    frame: pd.DataFrame,
    *,
    names: Mapping[str, str],
    per_step: float | None,
    store: Path,
    finals: Mapping[str, float] | None = None,
    step: str = "step",
) -> tuple[pd.DataFrame, list[str]]:
    """Fill the NaN ``tokens`` of stored curve points from ``step × per_step``, through
    :func:`~scalinglab.data._curve_columns.step_tokens` as a curve file's steps are.

    Without ``per_step``, a run that logged no tokens but whose final tokens are stored
    (``finals``) counts ``final tokens / last step`` per step (with a note); points of a run
    that logged tokens elsewhere are dropped (with a note), and a run with neither is an
    error naming it.

    Args:
        frame: The store's curves (``run_id``, ``step``, ``tokens``, ...).
        names: Run id -> display name, for messages.
        per_step: Tokens per step, or ``None``.
        store: The store's path, for messages.
        finals: Run id -> its stored final tokens (``data.tokens``), where known.
        step: The column of steps (``--map step=COL``; ``step`` by default).

    Returns:
        The curves with every remaining point's tokens known, and notes of what was done.

    Raises:
        DataError: For a run without any tokens when ``per_step`` is ``None``.
    """
    tokens = frame["tokens"].to_numpy(dtype=np.float64)
    missing = np.isnan(tokens)
    if not missing.any():
        return frame, []
    run_ids = frame["run_id"].astype(str)
    without = run_ids[missing].unique().tolist()
    if per_step is not None:
        steps = step_tokens(frame[step].to_numpy(dtype=np.float64), per_step)
        filled = frame.assign(tokens=np.where(missing, steps, tokens))
        return filled, [
            f"tokens = step × {format_g(per_step)} (--tokens-per-step) at "
            f"{format_counted(int(missing.sum()), 'point')} of {format_counted(len(without), 'run')} "
            "whose stored curve has no tokens"
        ]
    has_any = set(run_ids[~missing].unique().tolist())
    none = [r for r in without if r not in has_any]
    frame, none, notes = _from_final_tokens(frame, none, finals or {}, step=step)
    missing = np.isnan(frame["tokens"].to_numpy(dtype=np.float64))
    if none:
        shown = ", ".join(f"{names.get(r, r)!r} ({r})" for r in none[:_SHOWN])
        more = (
            f" and {format_counted(len(none) - _SHOWN, 'other run')}" if len(none) > _SHOWN else ""
        )
        raise DataError(
            f"{'run' if len(none) == 1 else 'runs'} {shown}{more}: the stored curve has steps but no tokens (curves ingested from "
            "a tracker that logged no tokens), and the envelope needs tokens at every point",
            source=str(store),
            column="tokens",
            hint="pass --tokens-per-step N (batch size × sequence length): tokens = step × N",
        )
    if not missing.any():
        return frame, notes
    skipped = run_ids[missing].nunique()
    return frame[~missing].reset_index(drop=True), [
        *notes,
        f"{format_counted(int(missing.sum()), 'point')} without tokens skipped (of "
        f"{format_counted(skipped, 'run')} that logged tokens at other points: the envelope "
        "needs tokens at every point it reads); pass --tokens-per-step N to count them as "
        "step × N",
    ]


def _from_final_tokens(
    frame: pd.DataFrame, none: list[str], finals: Mapping[str, float], *, step: str
) -> tuple[pd.DataFrame, list[str], list[str]]:
    """The curves of the runs ``none`` (no tokens at any point) given tokens
    ``step × final tokens / last step``, where a run's final tokens are stored and its last
    step is positive; the runs still without tokens, and the note of what was done."""
    run_ids = frame["run_id"].astype(str)
    steps = frame[step].to_numpy(dtype=np.float64)
    last = pd.Series(steps).groupby(run_ids.to_numpy()).max()
    rates = {
        r: finals[r] / float(last[r])
        for r in none
        if math.isfinite(finals.get(r, math.nan)) and finals[r] > 0 and last.get(r, 0) > 0
    }
    if not rates:
        return frame, none, []
    per = run_ids.map(rates).to_numpy(dtype=np.float64)
    tokens = frame["tokens"].to_numpy(dtype=np.float64)
    filled = frame.assign(tokens=np.where(np.isnan(tokens), step_tokens(steps, per), tokens))
    points = int(np.isfinite(per).sum())
    said = list(dict.fromkeys(format_g(v) for v in sorted(rates.values())))  # 1000, once
    shown = ", ".join(said[:_SHOWN]) + (", ..." if len(said) > _SHOWN else "")
    note = (
        f"tokens = step × (the run's stored final tokens / its last step) at "
        f"{format_counted(points, 'point')} of {format_counted(len(rates), 'run')} whose "
        f"stored curve has no tokens ({shown} "
        "tokens per step); pass --tokens-per-step N to count them otherwise"
    )
    return filled, [r for r in none if r not in rates], [note]


def in_store(err: DataError, frame: pd.DataFrame, path: Path) -> DataError:
    """``err`` of the store's curves read as a DataFrame (``<DataFrame>, row 81``) said of
    the store: its path, and the run and step of that point, as the store's other errors
    name them."""
    if err.source != "<DataFrame>":
        return err
    head = DataError("", source=err.source, row=err.row, column=err.column).message
    what = err.message.removeprefix(head)
    if err.row is None or not 1 <= err.row <= len(frame):
        return DataError(what, source=str(path), column=err.column, hint=err.hint)
    point = frame.iloc[err.row - 1]  # rows count from 1
    step = point["step"] if "step" in frame.columns else math.nan
    at = f", step {format_g(float(step))}" if step == step else ""
    column = f", column {err.column!r}" if err.column is not None else ""
    hint = "fix the run's stored curve, or remove the run (`scalinglab runs rm`)"
    said = DataError(f"run {point['run_id']!r}{at}{column}: {what}", source=str(path), hint=hint)
    said.column = err.column
    return said
