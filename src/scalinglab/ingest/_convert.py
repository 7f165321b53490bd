"""From what a tracker logged to what the store keeps: final values by the stated rule, curves
in the store's columns, and a run id that a second ingest of the same run finds again."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from scalinglab.ingest._disagree import disagreement_note, reported_note
from scalinglab.ingest._diverged import (
    diverged_note,
    ended_nan,
    last_rows,
    loss_divergence,
    reported_divergence,
    stored_diverged,
    summary_overruled_note,
)
from scalinglab.ingest._early_loss import early_loss_note
from scalinglab.ingest._end_spike import end_spike_note
from scalinglab.ingest._final import FinalRule, final_values, is_sorted
from scalinglab.ingest._history_rows import rows_without_loss
from scalinglab.ingest._mapping import HPARAMS, SIZES, lr_curve, lr_notes, training_loss_note
from scalinglab.ingest._non_finite import non_finite_note, split_non_finite
from scalinglab.ingest._null_end import null_ended
from scalinglab.ingest._sizes_note import missing_sizes_note
from scalinglab.ingest._source import RUN, STEP, Source, TrackerRun, number
from scalinglab.ingest._status_notes import recently_written, status_notes
from scalinglab.store import StoredRun

__all__ = ["Converted", "convert_source", "curve_rows", "ingest_run_id"]

_NUMBERS = ("params", "params_non_embedding", "tokens", "flops", "loss", "train_loss")


def ingest_run_id(kind: str, key: str) -> str:
    """The store key of an ingested run: the kind and a hash of the run's identity."""
    digest = hashlib.sha256(f"{kind}\x00{key}".encode()).hexdigest()[:24]
    return f"{kind}-{digest}"


@dataclass(frozen=True)
class Converted:
    """Runs ready for the store, their curves, and what was left out.

    Attributes:
        runs: The runs to write.
        curves: Long curve rows (``run_id`` categorical, ``step``, ``tokens``, ``lr``,
            ``train_loss``, ``eval_loss``), or ``None``.
        skipped: ``(run name, reason)`` of runs that could not be stored.
        notes: What was decided, one sentence each.
        by_place: Run ids of runs named by where they were read (a folder's path below the
            one ingested, a table's row), not by an id of theirs: a run stored already keeps
            its stored name.
        legacy: ``run_id`` -> the ids earlier versions stored the same run under (a
            TensorBoard run keyed ``<folder>::<first file>``): such a stored run is re-keyed
            in place (:mod:`scalinglab.ingest._legacy_keys`).
        identity: A table's columns that say which run a row is (sizes, hyperparameters,
            labels): a row stored under its row number (``<file>::row<k>``, earlier
            versions' key) is found again by these values.
        written: ``run_id`` -> when a run stored ``finished`` was last written, where the
            tracker records no status (TensorBoard): it may still be training.
    """

    runs: tuple[StoredRun, ...]
    curves: pd.DataFrame | None
    skipped: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()
    by_place: frozenset[str] = frozenset()
    legacy: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    identity: tuple[str, ...] = ()
    written: Mapping[str, float] = field(default_factory=dict)


def _plain_config(config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The config as JSON values, and its ``inf`` values as text (a NaN is a blank cell)."""
    plain = {k: v.item() if isinstance(v, np.generic) else v for k, v in config.items()}
    kept, odd = split_non_finite(plain, keep_nan=False)
    return {
        k: v if isinstance(v, str | int | float | bool | type(None)) else str(v)
        for k, v in kept.items()
    }, odd


def _value(run: TrackerRun, name: str) -> float | None:
    return number(run.summary[name] if name in run.summary else run.config.get(name))


def _config_hparams(run: TrackerRun, mapping: Mapping[str, str]) -> dict[str, float]:
    """The run's lr and batch as its config states them (a logged lr history is the schedule,
    not the peak, so only the config counts)."""
    out: dict[str, float] = {}
    for target in HPARAMS:  # extra: columns scalinglab hparams finds by name
        name = mapping.get(target)
        value = number(run.config.get(name)) if name is not None else None
        if value is not None:
            out[target] = value
    return out


def convert_source(
    source: Source, mapping: Mapping[str, str], rule: FinalRule, *, store: Path
) -> Converted:
    """Runs and curves of ``source`` with each quantity read from its mapped name, for the
    store at ``store`` (named in the notes' commands)."""
    n = len(source.runs)
    history = source.history
    finals: dict[str, np.ndarray] = {}
    diverged: dict[int, str] = {}  # run index -> why, from its loss curves
    ends: dict[str, np.ndarray] = {}  # loss name -> per run: its history's last row
    if history is not None:
        run_idx = history[RUN].to_numpy()
        steps = history[STEP].to_numpy()
        if not is_sorted(run_idx, steps):  # sort once here, not once per metric
            order = np.lexsort((steps, run_idx))
            history = history.take(order).reset_index(drop=True)
            source = replace(source, history=history)
            run_idx, steps = run_idx[order], steps[order]
        for target, name in mapping.items():
            if name in history.columns:
                use = FinalRule("last") if target in SIZES or target == "lr" else rule
                values = history[name].to_numpy(dtype=np.float64)
                finals[target] = final_values(run_idx, steps, values, n, use, presorted=True)
        screened = dict.fromkeys(mapping[t] for t in ("loss", "train_loss") if t in mapping)
        loss_curves = {
            name: history[name].to_numpy(dtype=np.float64)
            for name in screened if name in history.columns
        }  # fmt: skip
        diverged = loss_divergence(run_idx, steps, list(loss_curves.items()))  # first: says why
        ends = {name: last_rows(run_idx, values, n) for name, values in loss_curves.items()}
    loss_name = mapping["loss"]
    nulls = null_ended(source, loss_name)  # W&B: a null that is a NaN logged, last of all
    shared = {"ingested_from": source.kind, "mapping": dict(sorted(mapping.items()))}
    runs: list[StoredRun | None] = []
    skipped: list[tuple[str, str]] = []
    reported: list[str] = []  # runs whose final loss is the tracker's, not their curve's
    non_finite: list[tuple[str, dict[str, str]]] = []  # inf/NaN values, kept as text
    losses = [mapping[t] for t in ("loss", "train_loss") if t in mapping]
    diverged_runs: list[tuple[str, str]] = []
    curve_loss: list[tuple[int, str, float | None]] = []  # (k, run, reported): not diverged
    overruled: list[tuple[str, str, float]] = []  # a non-finite summary, a clean history
    for k, run in enumerate(source.runs):
        got: dict[str, float | None] = dict.fromkeys(_NUMBERS)
        for target in _NUMBERS:
            mapped = mapping.get(target)
            if mapped is not None:
                final = float(finals[target][k]) if target in finals else np.nan
                got[target] = final if np.isfinite(final) else _value(run, mapped)
        # where the final loss came from: the rule over its curve, else the tracker's value
        # (the run's summary, else its config)
        from_curve = "loss" in finals and bool(np.isfinite(finals["loss"][k]))
        origin = str(rule) if from_curve else "summary" if loss_name in run.summary else "config"
        # a NaN the tracker reports or logged last in the loss stored is a divergence, as an
        # inf in either loss is (a NaN training loss is no verdict on a finite loss stored);
        # a loss whose history ends clean is judged by that history
        on_curve = [m for m in losses if m in ends and np.isfinite(ends[m][k])]
        off_curve = [m for m in losses if m not in on_curve]
        why = (
            diverged.get(k)
            or ended_nan(run.ends_nan, [loss_name])
            or reported_divergence(
                run.summary, run.config, [m for m in off_curve if m == loss_name], nan=True
            )
            or reported_divergence(run.summary, run.config, off_curve)
            or nulls.get(k, "")
        )
        for m in on_curve if not why else ():
            if said := reported_divergence(run.summary, run.config, [m], nan=m == loss_name):
                overruled.append((run.name, said, float(ends[m][k])))
        if got["loss"] is None and not why:  # an inf loss is a run that diverged: stored so
            skipped.append((run.name, f"no value of {loss_name!r}"))
            runs.append(None)
            continue
        params, tokens = got["params"], got["tokens"]
        config, odd = _plain_config(run.config)
        metrics, odd_metrics = split_non_finite(run.summary, keep_nan=True)
        odd.update(odd_metrics)
        non_finite.append((run.name, odd))
        stored = StoredRun(
            run_id=ingest_run_id(source.kind, run.key),
            name=run.name,
            status=run.status,
            params=params,
            params_non_embedding=got["params_non_embedding"],
            tokens=tokens,
            flops=got["flops"],
            flops_6nd=None if params is None or tokens is None else 6.0 * params * tokens,
            loss=got["loss"],
            train_loss=got["train_loss"],
            config=config,
            extra={
                **shared,
                "final_rule": origin,
                **run.meta,
                **_config_hparams(run, mapping),
                "metrics": dict(sorted(metrics.items())),
                **({"non_finite": dict(sorted(odd.items()))} if odd else {}),
            },
            source=run.location or source.path,
            source_run_id=run.source_run_id,
        )
        if why:
            diverged_runs.append((run.name, why))
            stored = stored_diverged(stored, why)
        runs.append(stored)
        if not from_curve:
            reported.append(run.name)
        elif not why:  # a diverged run's history ends early by nature: no disagreement
            curve_loss.append((k, run.name, _value(run, loss_name)))
    kept = [r for r in runs if r is not None]
    curves = curve_rows(source, mapping, runs) if history is not None else None
    if loss_name in source.metric_names:
        notes = [f"final loss = {rule.describe(loss_name)}"]
        notes += reported_note(reported, loss_name, rule)
    else:
        notes = [f"final loss = the tracker's reported value of {loss_name!r} (no history)"]
    notes += disagreement_note(source.history, n, curve_loss, loss_name, rule)
    if source.history_from:  # as curves fit on that file says (diverged runs: their note)
        named = [r.name if r is not None and r.status != "diverged" else None for r in runs]
        notes += rows_without_loss(history, named, mapping.get("train_loss") or loss_name,
                                   source=source.history_from, others=[loss_name])  # fmt: skip
    if history is not None and loss_name in history.columns:  # the loss of an earlier D
        notes += early_loss_note(history[RUN].to_numpy(), history[STEP].to_numpy(),
                                 history[loss_name].to_numpy(dtype=np.float64),
                                 {k: r for k, r, _ in curve_loss}, loss_name)  # fmt: skip
    if history is not None and "loss" in finals:  # a spike at the end, stored as its loss
        notes += end_spike_note(history[RUN].to_numpy(), history[STEP].to_numpy(),
                                history[loss_name].to_numpy(dtype=np.float64), finals["loss"],
                                [(k, r) for k, r, _ in curve_loss], name=loss_name, rule=rule)  # fmt: skip
    notes += lr_notes(source, mapping)
    notes += status_notes(source, runs, store=store)  # as stored: diverged decided
    notes += non_finite_note(non_finite)
    notes += diverged_note(diverged_runs)
    notes += summary_overruled_note(overruled, str(rule))
    notes += training_loss_note(source, mapping)
    notes += missing_sizes_note(kept)
    placed = frozenset(r.run_id for r in kept) if source.names_by_place else frozenset()
    legacy = {
        ingest_run_id(source.kind, run.key): tuple(
            ingest_run_id(source.kind, key) for key in run.legacy_keys
        )
        for run in source.runs
        if run.legacy_keys
    }
    return Converted(
        tuple(kept), curves, (*source.skipped, *skipped), (*source.notes, *notes), placed,
        legacy={r.run_id: legacy[r.run_id] for r in kept if r.run_id in legacy},
        written=recently_written(source, runs),
    )  # fmt: skip


def curve_rows(
    source: Source, mapping: Mapping[str, str], runs: list[StoredRun | None]
) -> pd.DataFrame | None:
    """The store's curve rows of ``source.history``: its mapped losses, tokens and lr, for the
    runs written (``runs[k]`` is the run of ``_run == k``, ``None`` for one not written)."""
    history = source.history
    assert history is not None
    columns: dict[str, str] = {}
    loss, train = mapping.get("loss"), mapping.get("train_loss")
    if train is not None and train in history.columns:
        columns["train_loss"] = train
    if loss is not None and loss != train and loss in history.columns:
        columns["eval_loss"] = loss
    for target, name in (("tokens", mapping.get("tokens")), ("lr", lr_curve(source, mapping))):
        if name is not None and name in history.columns:
            columns[target] = name
    if not columns:
        return None
    ids = np.array([r.run_id if r is not None else "" for r in runs], dtype=object)
    keep_run = np.array([r is not None for r in runs])
    run_idx = history[RUN].to_numpy()
    data = {target: history[name].to_numpy(dtype=np.float64) for target, name in columns.items()}
    logged = np.zeros(len(history), dtype=bool)
    for values in data.values():
        logged |= np.isfinite(values)
    rows = logged & keep_run[run_idx]
    if not rows.any():
        return None
    kept_ids = [str(i) for i in ids[keep_run]]
    code_of = np.cumsum(keep_run) - 1  # run index -> index among kept runs
    everything = bool(rows.all())  # the usual case: no copies of millions of rows

    def pick(values: np.ndarray) -> np.ndarray:
        return values if everything else values[rows]

    out = {
        "run_id": pd.Categorical.from_codes(pick(code_of[run_idx]), categories=pd.Index(kept_ids)),
        "step": pick(history[STEP].to_numpy()),
    }
    for target, values in data.items():
        out[target] = pick(values)
    return pd.DataFrame(out, copy=False)
