"""``scalinglab.ingest``: read a tracker's runs and write them to the run store in one go."""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd

from scalinglab import _repr
from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab._keywords import keywords_checked
from scalinglab.ingest._convert import Converted, convert_source
from scalinglab.ingest._convert_table import convert_table
from scalinglab.ingest._copies_note import identical_runs
from scalinglab.ingest._detect import detect_kind
from scalinglab.ingest._evals import EvalsIngestResult, ingest_evals
from scalinglab.ingest._evals_replaced import replaced_note
from scalinglab.ingest._evals_unused import evals_unused
from scalinglab.ingest._filled import fill_ins, filled_note
from scalinglab.ingest._final import FinalRule
from scalinglab.ingest._gone_runs import gone_runs
from scalinglab.ingest._ingest_checks import ingest_paths
from scalinglab.ingest._legacy_keys import find_legacy_keys, legacy_notes
from scalinglab.ingest._mapping import resolve_mapping
from scalinglab.ingest._old_names import IngestAliases
from scalinglab.ingest._read_source import read_source
from scalinglab.ingest._scores import source_scores
from scalinglab.ingest._source import EVAL_KINDS, Progress
from scalinglab.ingest._store_notes import (
    kept_runs,
    moved_runs,
    replaced_runs,
    respelled_runs,
    started_in,
    stored_runs,
)
from scalinglab.ingest._stored_names import keep_stored_names, said_as_stored
from scalinglab.ingest._table import diverged_heads, kept_diverged
from scalinglab.ingest._tb_live import live_note
from scalinglab.store import DEFAULT_STORE, PutSummary, RunStore
from scalinglab.store._schema import not_started
from scalinglab.store._sources import with_folder
from scalinglab.store._store import ON_CONFLICT

__all__ = ["IngestResult", "ingest", "read_source"]


@old_fields(seconds="wall_s")
@dataclass(frozen=True)
class IngestResult(IngestAliases):
    """What one ingest read and wrote.

    Attributes:
        source: The file or folder ingested.
        kind: Which reader read it (``wandb``, ``mlflow``, ``tensorboard``, ``raytune``,
            ``table``).
        store: The run store written.
        written: Runs added, updated, unchanged, moved and in conflict, and curve points
            written.
        runs_read: Runs found in the source.
        skipped: ``(run name, reason)`` of runs not stored (no loss value).
        mapping: Quantity -> the source's name it was read from.
        final: How the final losses were taken: by a rule over their curves (``last``,
            ``min``, ``mean:K``), or as the source holds them: ``summary`` (a tracker's
            reported values: no curve of the loss) or ``table`` (a run table's).
        notes: What was decided, in sentences.
        wall_s: Wall time of the whole ingest, in seconds (``seconds``: its old name).
    """

    source: str
    kind: str
    store: str
    written: PutSummary
    runs_read: int
    skipped: tuple[tuple[str, str], ...] = ()
    mapping: Mapping[str, str] = field(default_factory=dict)
    final: str = "last"
    notes: tuple[str, ...] = ()
    wall_s: float = 0.0

    def __repr__(self) -> str:  # one line: no arrays
        return _repr.ingest_result(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``.

        Returns:
            The source, its kind, the store, the runs read, what the write did
            (:meth:`PutSummary.to_dict`), the runs skipped and why, the mapping, the final
            rule, the notes and the seconds taken.
        """
        return {
            "source": self.source,
            "kind": self.kind,
            "store": self.store,
            "runs_read": self.runs_read,
            **self.written.to_dict(),
            "skipped": [{"run": r, "reason": why} for r, why in self.skipped],
            "mapping": dict(self.mapping),
            "final": self.final,
            "notes": list(self.notes),
            "wall_s": round(self.wall_s, 3),
            "seconds": round(self.wall_s, 3),  # the old key of "wall_s", kept one release
        }


@keywords_checked("scalinglab.ingest")
def ingest(
    source: str | os.PathLike[str],
    *,
    store: str | os.PathLike[str] = DEFAULT_STORE,
    kind: str | None = None,
    mapping: Mapping[str, str] | None = None,
    final: str | FinalRule | None = None,
    history: str | os.PathLike[str] | None = None,
    on_conflict: str | None = None,
    progress: Progress | None = None,
) -> IngestResult | EvalsIngestResult:
    """Read runs (and whole curves) from a tracker or a run table into a run store, or
    scores of stored runs (harness results, an evaluation table) into its evaluations.

    The source is read completely before anything is written, and everything is written in
    one transaction: a source that fails to read leaves the store as it was. Each run's store
    key is a hash of the source kind and its id in the tracker, so ingesting the same source
    twice adds nothing; a run that changed since is updated (or, with
    ``on_conflict="keep"``, kept and reported as a conflict), and one found again unchanged
    at another path (its folder moved) is reported as moved, with only its ``source``
    rewritten. Provenance: ``source`` and
    ``source_run_id`` of each run, ``extra["ingested_from"]``, ``extra["ingested_in"]`` (the
    working folder, for a relative ``source``), the mapping in ``extra``, and
    the store's ``created_at``/``updated_at`` times; ``extra["final_rule"]`` says where each
    run's final loss came from: the rule over its curve (``last``, ``min``, ``mean:K``), or
    ``summary``/``config`` for a run with no curve of the loss (the tracker's value).

    Args:
        source: A W&B run-table export (.csv/.json), an MLflow ``mlruns/`` folder or SQLite
            database, a TensorBoard log folder, a Ray Tune experiment folder, or a run table
            as :func:`scalinglab.read_runs` reads it; or evaluations of stored runs, stored
            by :func:`~scalinglab.ingest.ingest_evals` (``scalinglab ingest`` does so):
            lm-evaluation-harness results, or an evaluation table.
        store: The run store (``.duckdb``), created if missing.
        kind: ``wandb``, ``mlflow``, ``tensorboard``, ``raytune``, ``table``, ``lm-eval``
            or ``evals``; detected from the path when ``None``.
        mapping: Quantity -> the source's name for it, e.g. ``{"params": "model/n_params",
            "loss": "eval/loss"}``; unmapped quantities use the usual names.
        final: How a curve gives a final value: ``"last"`` (``None``: the default),
            ``"min"`` or ``"mean:K"`` (mean of the last K points). Sizes (params, tokens,
            flops) always take the last value. A run table keeps its own final values unless
            ``final`` is given with its curves (``history``): then an eval-loss curve sets
            the loss, a training-loss curve ``train_loss``; given without curves, a note
            says it had nothing to apply to.
        history: Every logged point: a W&B history export (long or the UI's wide form)
            for a W&B run table, or loss curves for a run table (``run``, ``step``,
            ``loss``, ``lr``...: many rows per run, matched to the table's runs by name).
        on_conflict: ``"replace"`` a stored run whose values changed (``None``: the
            default), or ``"keep"`` it and report a conflict (a run that only fills in values its stored copy lacked is
            written either way: nothing stored changes).
        progress: Called as ``progress(done, total)`` while reading.

    Returns:
        An :class:`~scalinglab.ingest.IngestResult`: how many runs were read and
        written, those skipped and why, and the store written to; for evaluations, an
        :class:`~scalinglab.ingest.EvalsIngestResult` (``final``, ``history`` and
        ``on_conflict`` concern runs and are not applied: a note names each one given).

    Raises:
        DataError: For an unreadable source, a mapping to a name the source lacks, or no loss.
        StoreError: For a corrupt, locked or newer store.
    """
    start = time.perf_counter()
    rule = FinalRule.parse("last" if final is None else final)
    if on_conflict is not None and on_conflict not in ON_CONFLICT:
        raise ConfigError(  # said as the command line and Python each write it
            f"--on-conflict {on_conflict} (on_conflict={on_conflict!r} in Python): a stored run "
            "whose values changed is either replaced or kept",
            hint="--on-conflict replace (the default) or --on-conflict keep",
        )
    where, store_path = ingest_paths(source, store, mapping=mapping, progress=progress)
    RunStore(store_path).check()  # before a long read of the source, not after it
    kind = kind or detect_kind(where, run=(mapping or {}).get("run"))
    if kind in EVAL_KINDS:  # scores of stored runs: as scalinglab ingest stores them
        scored = ingest_evals(where, store=store_path, kind=kind, mapping=mapping)
        not_applied = evals_unused(kind, final=final, history=history, on_conflict=on_conflict)
        return replace(scored, notes=(*not_applied, *scored.notes)) if not_applied else scored
    converted: Converted
    scores: pd.DataFrame | None = None
    in_percent: list[str] = []
    unused: tuple[str, ...] = ()  # --final given with no curve to apply it to
    heads: Mapping[str, str] = {}  # a table's runs: how a note on one that looks diverged begins
    if kind == "table":
        from scalinglab.ingest._table import read_table

        table, states, earlier = read_table(where, mapping or {}, store=store_path)
        converted = convert_table(table, where, states=states, earlier=earlier)
        heads = diverged_heads(table, converted.runs)
        if history is not None:  # loss curves: a run column matching the table's runs
            from scalinglab.ingest._table_curves import with_curves

            converted = with_curves(
                converted,
                Path(history),
                None if final is None else rule,
                table_columns={  # the table's own names, for a value unlike its curve's
                    "loss": table.origins.get("loss", "loss"),
                    "train_loss": (mapping or {}).get("train_loss", "train_loss"),
                },
            )
        elif final is not None:
            unused = (
                f"--final {rule} not applied: a run table holds one final value per run; give "
                "its curves with --history for --final to take each final loss from its curve",
            )
        resolved = dict(mapping or {})
        by_curve = any("final_rule" in run.extra for run in converted.runs)
        from scalinglab.ingest._scores import table_scores

        runs = ((r.run_id, r.name, r.extra) for r in converted.runs)
        scores, in_percent = table_scores(runs, str(where))  # acc_<task> columns
    else:
        read = read_source(where, kind=kind, history=history, progress=progress)
        resolved = resolve_mapping(read, mapping)
        converted = convert_source(read, resolved, rule, store=store_path)
        scores, in_percent = source_scores(read, converted)
        by_curve = resolved["loss"] in read.metric_names
        if final is not None and not by_curve:
            unused = (f"--final {rule} not applied: no run has a curve of {resolved['loss']!r}",)
        del read  # the raw history: at 10M points, memory worth handing back before writing
    # a relative source means nothing from another folder without the folder it was read in
    converted = replace(converted, runs=with_folder(converted.runs, os.getcwd()))
    was = not_started(store_path)  # a file holding no store yet, taken over: said
    stored = None if was else stored_runs(RunStore(store_path), converted.runs)  # as before
    legacy = find_legacy_keys(converted, stored)  # runs an earlier version keyed otherwise
    stored = legacy.stored
    read_as = converted.runs  # named as read: the notes' names, until a kept run's is found
    converted, renamed = keep_stored_names(converted, stored, where)
    fills = fill_ins(stored, converted.runs)  # not updates, nor conflicts: said apart
    written = RunStore(store_path).put_runs_frame(
        converted.runs, converted.curves, on_conflict=on_conflict or "replace", evals=scores,
        rekey=legacy.rekey, filled=fills,
    )  # fmt: skip
    skipped = (n for n, _ in converted.skipped)  # runs read but not stored (no loss value)
    recent = [
        (r.name, converted.written[r.run_id])
        for r in converted.runs
        if r.run_id in converted.written
    ]
    live = live_note(recent, now=time.time())  # named as stored: one found again keeps its name
    return IngestResult(
        source=str(where),
        kind=kind,
        store=str(store_path),
        written=written,
        runs_read=len(converted.runs) + len(converted.skipped),
        skipped=converted.skipped,
        mapping=resolved,
        final=str(rule) if by_curve else ("table" if kind == "table" else "summary"),
        notes=(
            *started_in(store_path, was=was),
            *said_as_stored(
                kept_diverged(converted.notes, stored, heads, written), read_as, converted.runs
            ),
            *live,
            *legacy_notes(legacy, store_path),
            *renamed,
            *in_percent,
            *unused,
            *filled_note(fills, converted.runs, written),
            *replaced_runs(stored, converted.runs, written, where),
            *(replaced_note(written.evals.replaced, stored) if written.evals else ()),
            *kept_runs(stored, converted.runs, written, where),
            *moved_runs(stored, written, where),
            *respelled_runs(stored, converted.runs, written),
            *identical_runs(stored, converted.runs, written, where, store_path),
            *gone_runs(stored, converted.runs, skipped, where, store_path, twice=legacy.twice),
        ),
        wall_s=time.perf_counter() - start,
    )
