"""The W&B UI's panel export given where curves in rows are read: ``Step`` and
``<run> - <metric>`` columns (one per run and metric), which ``scalinglab ingest`` reads as
the history of a W&B run table (:mod:`scalinglab.ingest._wandb`) and a curve reader does not."""

from __future__ import annotations

from scalinglab._errors import DataError
from scalinglab._format import format_counted, join_first
from scalinglab.data._schema import RawTable

__all__ = ["panel_export"]


def panel_export(raw: RawTable) -> DataError | None:
    """The error for ``raw`` when it is a W&B panel export (what it is, and how to fit it:
    ingest it with its run table, then fit the store); else ``None``."""
    pairs = [
        name.rsplit(" - ", 1)
        for name in raw.names
        if " - " in name and not name.endswith(("__MIN", "__MAX"))
    ]
    if not pairs or not any(n.strip().lower() in ("step", "_step") for n in raw.names):
        return None
    runs = list(dict.fromkeys(run for run, _ in pairs))
    metrics = list(dict.fromkeys(metric for _, metric in pairs))
    return DataError(
        f"a W&B panel export (Step and '<run> - <metric>' columns: {format_counted(len(runs), 'run')}, "
        f"{join_first(runs, 3)}; metrics {join_first(metrics, 3)}), not curves in rows "
        "(run, step, lr, loss)",
        source=raw.source,
        hint="ingest it as the history of the W&B runs table it belongs to, then fit the "
        f"store: scalinglab ingest RUNS.csv --kind wandb --history {raw.source} --store "
        "runs.duckdb, then scalinglab curves fit --store runs.duckdb (RUNS.csv: the runs "
        "table exported from the W&B project page)",
    )
