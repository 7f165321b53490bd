"""Evaluations into the run store: lm-evaluation-harness ``results*.json`` files, or an
evaluation table (:mod:`~scalinglab.ingest._eval_table`: long rows of run, task, metric and
value, or a run column beside score columns), each score joined to the stored run of the
model it evaluated.

The harness records no parameters or tokens, so the runs come first (``scalinglab ingest
runs.csv``); a results file names its model (``model_name``, or the ``pretrained=`` path of
its ``model_args``) and that name must be a stored run's id, name or tracker id, or a
checkpoint path of which exactly one of them is a part (``/ckpts/org/m-1b/step-5000``).
The files are merged as ``downstream`` merges them
(:func:`scalinglab.downstream._lmeval.lm_eval_scores`): per model, task and metric, the
newest file's score where several give it. Each task's number of examples (the files'
``n-samples``) is stored beside its scores, as the metric ``examples`` of the run and task,
so that ``downstream --store`` sees the evaluation noise the files give.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from scalinglab._deprecated import old_fields
from scalinglab._errors import ConfigError
from scalinglab.ingest._evals_replaced import replaced_note
from scalinglab.ingest._old_names import EvalsIngestAliases
from scalinglab.store import DEFAULT_STORE, EvalsWritten, PutSummary, RunStore

__all__ = ["EvalsIngestResult", "ingest_evals"]


@old_fields(seconds="wall_s", scores="n_scores", models="n_models", examples="n_task_sizes")
@dataclass(frozen=True)
class EvalsIngestResult(EvalsIngestAliases):
    """What :func:`ingest_evals` read and wrote.

    Attributes:
        source: The file or folder read.
        store: The run store written.
        n_models: Evaluated models (each joined to a stored run; ``models``: its old name).
        tasks: Tasks with at least one score.
        n_scores: Scores read (one per model, task and metric; ``scores``: its old name).
        written: Added, updated and unchanged records (scores and task sizes), and the runs
            they belong to.
        wall_s: Wall time of the whole ingest, in seconds (``seconds``: its old name).
        n_task_sizes: Task sizes read (one per model and task: its number of examples,
            ``n-samples``), stored as the metric ``examples`` (``examples``: its old name).
        notes: What reading the files decided (a score several files give: the newest
            kept; a model named by a checkpoint path: the run the path names, the latest
            of a run's checkpoints kept; a table's metric in percent stored as fractions).
        kind: What was read: ``lm-eval`` (harness results) or ``evals`` (a table).
    """

    source: str
    store: str
    n_models: int
    tasks: tuple[str, ...]
    n_scores: int
    written: EvalsWritten
    wall_s: float = 0.0
    notes: tuple[str, ...] = ()
    n_task_sizes: int = 0
    kind: str = "lm-eval"

    def to_dict(self) -> dict[str, Any]:
        """Plain data for ``--json``, in the schema of an ingest of runs
        (:meth:`IngestResult.to_dict <scalinglab.ingest.IngestResult.to_dict>`): no run
        written, the scores under ``evals``.

        Returns:
            The plain dictionary, in that schema.
        """
        return {
            "source": self.source,
            "kind": self.kind,
            "store": self.store,
            "runs_read": 0,
            **PutSummary(evals=self.written).to_dict(),
            "n_models": self.n_models,
            "models": self.n_models,  # the old key of "n_models", kept one release
            "tasks": list(self.tasks),
            "n_scores": self.n_scores,
            "scores": self.n_scores,  # the old key of "n_scores", kept one release
            "n_task_sizes": self.n_task_sizes,
            "examples": self.n_task_sizes,  # the old key of "n_task_sizes", kept one release
            "notes": list(self.notes),
            "wall_s": round(self.wall_s, 3),
            "seconds": round(self.wall_s, 3),  # the old key of "wall_s", kept one release
        }


def ingest_evals(
    source: str | os.PathLike[str],
    *,
    store: str | os.PathLike[str] = DEFAULT_STORE,
    kind: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> EvalsIngestResult:
    """Read harness results or an evaluation table into the store's evaluations, in one
    transaction; ingesting the same files twice changes nothing.

    Args:
        source: Harness results (a file, or a folder searched recursively), or an
            evaluation table (run, task, metric, value rows; or a run column and
            ``acc_<task>`` columns).
        store: The run store written.
        kind: ``lm-eval`` or ``evals``: which ``source`` is; detected when ``None``.
        mapping: As :func:`~scalinglab.ingest.ingest` takes it; its ``run`` names a
            table's run column (``{"run": "model"}``, ``--map run=model``), the one name
            scores are read by.

    Returns:
        What was read and written: the models, tasks and scores.

    Raises:
        DataError: For a file that is neither a harness results file nor an evaluation
            table, or no such files; a table's bad score (its row named); two checkpoints
            of one run whose paths do not tell which is later.
        StoreError: For a model that is not a stored run, or a corrupt, locked or newer store.
        ConfigError: A ``mapping`` of another name than ``run``, or with harness results.
    """
    from scalinglab.downstream._lmeval import lm_eval_scores

    start = time.perf_counter()
    where, path = Path(source), Path(store)
    RunStore(path).check()
    from scalinglab.downstream._lmeval import is_lm_eval
    from scalinglab.downstream._noise import EXAMPLES

    if kind not in (None, "lm-eval", "evals"):
        raise ConfigError(
            f"kind {kind!r} holds no evaluations", hint="lm-eval or evals (or leave it out)"
        )
    detected = kind is None  # a refusal then names no --kind the user did not give
    kind = kind or ("lm-eval" if is_lm_eval(where) else "evals")
    run = _run_mapped(mapping, kind)
    if kind == "lm-eval":
        read = lm_eval_scores(where)
        frame, said = pd.concat([read.frame, read.examples], ignore_index=True), read.notes
    else:
        from scalinglab.ingest._eval_table import table_evals

        frame, table_notes = table_evals(where, detected=detected, run=run)
        said = tuple(table_notes)
    joined, notes = _by_path(frame, RunStore(path), str(where))
    written = RunStore(path).put_evals(joined)  # the scores and their sizes: one transaction
    if written.replaced:  # said by where the scores replaced came from
        notes += replaced_note(written.replaced, RunStore(path).runs_frame())
    sizes = joined["metric"] == EXAMPLES
    scores = joined[~sizes]
    return EvalsIngestResult(
        source=str(where),
        store=str(path),
        n_models=int(scores["run"].nunique()),
        tasks=tuple(sorted(set(scores["task"]))),
        n_scores=len(scores),
        written=written,
        wall_s=time.perf_counter() - start,
        notes=(*said, *notes),
        n_task_sizes=int(sizes.sum()),
        kind=kind,
    )


def _run_mapped(mapping: Mapping[str, str] | None, kind: str) -> str | None:
    """The run column ``mapping`` names (``--map run=COL``): the one name an evaluation table
    is read by; any other is refused rather than ignored.

    Raises:
        ConfigError: Another name, or a mapping given for harness results (which name
            their models themselves).
    """
    given = dict(mapping or {})
    other = sorted(set(given) - {"run"})
    if kind == "lm-eval" and given:
        other = sorted(given)
    if other:
        why = (
            "lm-evaluation-harness results name their models themselves"
            if kind == "lm-eval"
            else "an evaluation table's scores are read by their run column alone"
        )
        raise ConfigError(
            f"--map {other[0]}={given[other[0]]}: {why}, so nothing reads {other[0]}",
            hint="drop it (--map run=COLUMN names an evaluation table's run column)",
        )
    return given.get("run")


def _by_path(scores: pd.DataFrame, store: RunStore, source: str) -> tuple[pd.DataFrame, list[str]]:
    """The scores with each model that the store does not know but whose name is a
    checkpoint path (``/ckpts/org/m-1b/step-5000``) named as the one stored run that is a
    part of that path (``org/m-1b``), the latest of a run's checkpoints kept, and notes
    (:func:`~scalinglab.downstream._checkpoints.join_paths`, as ``downstream`` joins them).
    """
    from scalinglab.downstream._checkpoints import join_paths

    stored = store.runs_frame() if store.path.exists() else pd.DataFrame()
    known = {
        str(v)
        for c in ("run_id", "name", "source_run_id")
        if c in stored
        for v in stored[c].dropna()
    }
    joined = join_paths(set(scores["run"]), known, source=source)
    kept = scores[~scores["run"].isin(joined.dropped)]
    return kept.assign(run=kept["run"].replace(joined.runs)), list(joined.notes)
