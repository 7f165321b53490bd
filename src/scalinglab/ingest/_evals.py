"""Evaluations into the run store: lm-evaluation-harness ``results*.json`` files, each score
joined to the stored run of the model it evaluated.

The harness records no parameters or tokens, so the runs come first (``scalinglab ingest
runs.csv``); a results file names its model (``model_name``, or the ``pretrained=`` path of
its ``model_args``) and that name must be a stored run's id, name or tracker id.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scalinglab.store import DEFAULT_STORE, EvalsWritten, RunStore

__all__ = ["EvalsIngestResult", "ingest_evals"]


@dataclass(frozen=True)
class EvalsIngestResult:
    """What :func:`ingest_evals` read and wrote.

    Attributes:
        source: The file or folder read.
        store: The run store written.
        models: Evaluated models (each joined to a stored run).
        tasks: Tasks with at least one score.
        scores: Scores read (one per model, task and metric).
        written: Added, updated and unchanged scores, and the runs they belong to.
        seconds: Wall time of the whole ingest.
    """

    source: str
    store: str
    models: int
    tasks: tuple[str, ...]
    scores: int
    written: EvalsWritten
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": "lm-eval",
            "store": self.store,
            "models": self.models,
            "tasks": list(self.tasks),
            "scores": self.scores,
            "written": self.written.to_dict(),
            "seconds": self.seconds,
        }


def ingest_evals(
    source: str | os.PathLike[str], *, store: str | os.PathLike[str] = DEFAULT_STORE
) -> EvalsIngestResult:
    """Read harness results (a file, or a folder searched recursively) into the store's
    evaluations, in one transaction; ingesting the same files twice changes nothing.

    Raises:
        DataError: For a file that is not a harness results file, or no such files.
        StoreError: For a model that is not a stored run, or a corrupt, locked or newer store.
    """
    from scalinglab.downstream._lmeval import read_lm_eval_scores

    start = time.perf_counter()
    where, path = Path(source), Path(store)
    RunStore(path).check()
    scores = read_lm_eval_scores(where)
    written = RunStore(path).put_evals(scores)
    return EvalsIngestResult(
        source=str(where),
        store=str(path),
        models=int(scores["run"].nunique()),
        tasks=tuple(sorted(set(scores["task"]))),
        scores=len(scores),
        written=written,
        seconds=time.perf_counter() - start,
    )
