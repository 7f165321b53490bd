"""Tables of evaluations, chance levels and runs as pandas frames, in the formats a run
table comes in (lm-evaluation-harness results are found by their content, elsewhere)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scalinglab._errors import DataError

__all__ = ["read_frame"]

#: Extensions of the tables read (lm-eval results are found by their content).
_TABLES = (".csv", ".tsv", ".csv.gz", ".tsv.gz", ".parquet", ".pq", ".jsonl", ".ndjson", ".json")


def read_frame(path: Path) -> pd.DataFrame:
    """A table of evaluations, chance levels or runs, in the formats run tables come in."""
    if not path.exists():
        raise DataError("file not found", source=str(path), hint="check the path")
    last = path.suffix.lower()
    suffix = "".join(path.suffixes[-2:]).lower() if last == ".gz" else last
    if suffix not in _TABLES:
        raise DataError(
            f"unknown file type {suffix or '(no extension)'!r}",
            source=str(path),
            hint="use .csv, .tsv (either gzipped), .parquet, .jsonl or .json (a list of "
            "records), or a folder of lm-evaluation-harness results",
        )
    try:
        if suffix in (".parquet", ".pq"):
            return pd.read_parquet(path)
        if suffix in (".jsonl", ".ndjson"):
            return pd.read_json(path, lines=True)
        if suffix == ".json":
            return _read_json_table(path)
        return pd.read_csv(path, sep="\t" if suffix.startswith(".tsv") else ",")
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise DataError(f"cannot read it: {exc}", source=str(path)) from None


def _read_json_table(path: Path) -> pd.DataFrame:
    """A ``.json`` table: a list of records (``DataFrame.to_json(orient="records")``) or
    columns of equal length; anything else is neither a table nor lm-eval's results."""
    import json

    data = json.loads(path.read_text(encoding="utf-8"))
    if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
        return pd.DataFrame.from_records(data)
    if isinstance(data, dict) and data and all(isinstance(v, list | dict) for v in data.values()):
        return pd.DataFrame(data)
    raise DataError(
        "neither lm-evaluation-harness results (no 'results' section) nor a table (a list "
        "of records, one per model)",
        source=str(path),
        hint="give the harness's results_*.json (or its output folder), or a table of one "
        "row per model",
    )
