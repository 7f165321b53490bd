"""The run store: one DuckDB file holding every run and its loss curve.

::

    store = RunStore("runs.duckdb")               # created on first write, schema versioned
    store.put_runs([(run, curve), ...])           # one transaction; re-writing is a no-op
    store.to_run_table()                          # finished runs, ready for scalinglab.fit
    store.curve(run_id)                           # step, tokens, lr, train_loss, eval_loss
    store.put_evals(frame); store.evals()         # (run_id, task, metric, value) per run

Ladder drivers and ``scalinglab ingest`` are its only writers; readers (``fit --store``,
``report --store``) never see a half-written run.
"""

from scalinglab.store._evals import EvalsWritten
from scalinglab.store._record import CURVE_COLUMNS, STATUSES, PutSummary, StoredRun
from scalinglab.store._store import DEFAULT_STORE, RunStore
from scalinglab.store._tables import SCHEMA_VERSION

__all__ = [
    "CURVE_COLUMNS",
    "DEFAULT_STORE",
    "SCHEMA_VERSION",
    "STATUSES",
    "EvalsWritten",
    "PutSummary",
    "RunStore",
    "StoredRun",
]
