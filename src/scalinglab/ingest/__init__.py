"""Ingest: runs and whole loss curves from experiment trackers into the run store.

::

    ingest("wandb-export.csv", store="runs.duckdb", history="wandb-history.parquet")
    ingest("mlruns/", store="runs.duckdb", mapping={"params": "model/n_params"}, final="min")
    ingest("tb_logs/", store="runs.duckdb")          # every scalar point of every event file
    ingest("ray_results/exp/", store="runs.duckdb")  # result.json / progress.csv per trial
    ingest("runs.csv", store="runs.duckdb")          # a plain run table, as fit reads it
    ingest("runs.csv", store="runs.duckdb", history="curves.csv")  # ... and its loss curves
    ingest_evals("lm-eval-results/", store="runs.duckdb")  # harness scores, joined to runs

Readers (one module per tracker) produce a :class:`Source`; a mapping names the metric or
config value behind each quantity; a :class:`FinalRule` turns each curve into one value; the
store writes everything in one transaction. Tracker clients (``mlflow``, ``tensorboard``) are
the optional ``trackers`` extra, imported only when such a source is read.
"""

from scalinglab.ingest._detect import detect_kind
from scalinglab.ingest._evals import EvalsIngestResult, ingest_evals
from scalinglab.ingest._final import FinalRule
from scalinglab.ingest._ingest import IngestResult, ingest, read_source
from scalinglab.ingest._mapping import DEFAULT_NAMES, TARGETS
from scalinglab.ingest._source import KINDS, Source, TrackerRun

__all__ = [
    "DEFAULT_NAMES",
    "KINDS",
    "TARGETS",
    "EvalsIngestResult",
    "FinalRule",
    "IngestResult",
    "Source",
    "TrackerRun",
    "detect_kind",
    "ingest",
    "ingest_evals",
    "read_source",
]
