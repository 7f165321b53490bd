"""Which kind of source a path is, from its layout alone (nothing is parsed twice)."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

from scalinglab._errors import DataError
from scalinglab._looks import is_duckdb
from scalinglab.data._files import STDIN, StoreGivenError, file_format, not_found
from scalinglab.data._parquet_index import index_fields
from scalinglab.data._text_readers import header_separator, skipped_record
from scalinglab.ingest._source import KINDS

__all__ = ["detect_kind", "event_files", "wandb_folder_error"]

_EVENTS = "events.out.tfevents"
_WANDB_COLUMNS = {"name", "state"}
_WANDB_KEYS = {"summary", "config"}
#: Kinds read from a file only, never from a folder.
_FILE_KINDS = ("wandb", "table", "evals")
#: Files of a W&B run's local folder (beside its ``run-ID.wandb`` log).
_WANDB_FILES = ("wandb-summary.json", "wandb-metadata.json")


def event_files(root: Path) -> list[Path]:
    """TensorBoard event files under ``root`` (or ``root`` itself), sorted."""
    if root.is_file():
        return [root] if root.name.startswith(_EVENTS) else []
    return sorted(p for p in root.rglob(f"{_EVENTS}*") if p.is_file())


def _is_mlflow(root: Path) -> bool:
    if root.is_file():
        return root.suffix.lower() in (".db", ".sqlite", ".sqlite3")
    if (root / "mlflow.db").is_file():
        return True
    # a file store: numbered experiment folders holding meta.yaml, runs beneath them
    return any((d / "meta.yaml").is_file() for d in root.iterdir() if d.is_dir()) and not any(
        (d / "params.json").is_file() for d in root.iterdir() if d.is_dir()
    )


def _is_raytune(root: Path) -> bool:
    if root.is_dir() and ((root / "result.json").is_file() or (root / "progress.csv").is_file()):
        return True
    return root.is_dir() and any(
        (d / "result.json").is_file() or (d / "progress.csv").is_file()
        for d in root.iterdir()
        if d.is_dir()
    )


def _table_header(path: Path) -> set[str]:
    return {c.strip().lower() for c in _table_names(path)}


def _table_names(path: Path) -> list[str]:
    """The column names of a table file, as written, in every format the readers read
    (``.csv.gz`` and ``.tsv.gz`` too); none where they cannot be read: the reader says what
    is wrong with the file."""
    kind = file_format(path)[1]
    try:
        if kind in ("csv", "tsv"):
            gzipped = path.name.lower().endswith(".gz")
            opened = gzip.open if gzipped else open
            # split as the readers split it: a .csv of ';' or tabs by its header's separator
            sep = header_separator(path, "," if kind == "csv" else "\t")
            with opened(path, "rt", newline="", encoding="utf-8-sig") as handle:
                records = csv.reader(handle, delimiter=sep)
                # the run tables' rule: blank lines and # comments before the header skipped
                row = next((r for r in records if not skipped_record(r, line=records.line_num)), [])
            return [c.strip() for c in row]
        if kind in ("json", "jsonl"):
            text = path.read_text(encoding="utf-8-sig")
            first = text.split("\n", 1)[0] if kind == "jsonl" else text
            data = json.loads(first)
            record = data[0] if isinstance(data, list) and data else data
            return [str(k) for k in record] if isinstance(record, dict) else []
        if kind == "parquet":
            import pyarrow.parquet as pq

            schema = pq.read_schema(path)
            fields = index_fields(schema)  # a saved index: columns, named as read
            return [fields.get(n, n) for n in schema.names]
    except (
        OSError, EOFError, UnicodeDecodeError, ValueError, RecursionError, csv.Error, ImportError,
    ):  # fmt: skip
        return []
    return []


def _is_lm_eval(path: Path) -> bool:
    from scalinglab.downstream._lmeval import is_lm_eval

    return path.suffix == ".json" and is_lm_eval(path)


def _wandb_local_file(root: Path) -> Path | None:
    """A file of a W&B run's local folder under ``root``, or ``None``."""
    files = (p for p in root.rglob("*") if p.name in _WANDB_FILES or p.suffix == ".wandb")
    return next(files, None)


def wandb_folder_error(path: Path) -> DataError:
    """The error for a folder given as a W&B source: W&B's local run folders (``wandb/``,
    ``offline-run-*``) keep the history in a binary ``.wandb`` log its client reads, so the
    readers take W&B's exports instead, and say how to get one."""
    local = _wandb_local_file(path)
    export = (
        "export the run table from the W&B project page (CSV), or save the runs from the API "
        "as a JSON list (name, id, state, config, summary), and ingest that file"
    )
    if local is None:
        return DataError(
            "a folder, not a W&B export (a run-table CSV or a JSON list of runs)",
            source=str(path),
            hint=export,
        )
    return DataError(
        f"a W&B local run folder ({local.relative_to(path)}): ingest reads W&B's exports, "
        "not the files a run writes locally",
        source=str(path),
        hint=f"sync the runs (wandb sync {path}), then {export}",
    )


def detect_kind(path: Path, *, run: str | None = None) -> str:
    """Which kind of source ``path`` is, as ``ingest --kind`` names it.

    A file is a W&B export when it has the run table's ``Name`` and ``State`` columns (or a
    JSON list of runs with ``config``/``summary``), an MLflow database by its suffix, an event
    file by its name, an evaluation table (``evals``: long rows of run, task, metric and
    value, or a run column beside score columns alone), else a plain run table. A folder is an MLflow file store (experiment
    folders with ``meta.yaml``), a Ray Tune experiment (trial folders with ``result.json`` or
    ``progress.csv``), a TensorBoard log folder (event files anywhere beneath), or
    lm-evaluation-harness output (``results*.json`` files, or one such file: ``lm-eval``).

    Args:
        path: The file or folder.
        run: The run column ``--map run=COL`` names, by which a long evaluation table of
            another run column is told from a run table.

    Returns:
        ``wandb``, ``mlflow``, ``tensorboard``, ``raytune``, ``lm-eval``, ``evals`` or
        ``table``.

    Raises:
        DataError: If the path does not exist or is a folder of none of these kinds.
    """
    if not path.exists():
        if path.is_symlink() or str(path) == STDIN:  # as every reader of a file says it
            raise not_found(str(path))
        raise DataError("no such file or folder", source=str(path), hint="check the path to ingest")
    if path.is_file():
        if path.name.startswith(_EVENTS):
            return "tensorboard"
        if is_duckdb(path):  # a run store (runs.db), not an MLflow database: said as such
            raise StoreGivenError(path, str(path))
        if _is_mlflow(path):
            return "mlflow"
        if _is_lm_eval(path):
            return "lm-eval"
        header = _table_header(path)
        if header >= _WANDB_COLUMNS or header >= _WANDB_KEYS:
            return "wandb"
        from scalinglab.ingest._eval_table import is_eval_table

        return "evals" if is_eval_table(_table_names(path), run=run) else "table"
    if _is_mlflow(path):
        return "mlflow"
    if _is_raytune(path):
        return "raytune"
    if event_files(path):
        return "tensorboard"
    if next(path.rglob("results*.json"), None) is not None:
        return "lm-eval"
    if _wandb_local_file(path) is not None:
        raise wandb_folder_error(path)
    hint = "point at the tracker's folder or file, or name a folder's kind with --kind "
    hint += f"({', '.join(k for k in KINDS if k not in _FILE_KINDS)})"
    # a folder of the user's own run tables: each is a source of its own, ingested by name
    tables = sorted(p.name for p in path.iterdir() if p.is_file() and file_format(p)[1])
    if tables:
        more = (
            f" ({len(tables)} tables: {', '.join(tables[:3])}{', ...' if len(tables) > 3 else ''})"
        )
        hint = f"ingest each run table by its file, one command each{more}: scalinglab ingest "
        hint += f"{path / tables[0]} --store STORE; a folder is read as a tracker's"
    raise DataError(
        "a folder with no MLflow store, Ray Tune results or TensorBoard event files (nor "
        "lm-evaluation-harness results*.json) in it",
        source=str(path),
        hint=hint,
    )
