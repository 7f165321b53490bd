"""Evaluations from EleutherAI lm-evaluation-harness ``results*.json`` files.

The harness writes one file per evaluation run (``EvaluationTracker.save_results_aggregated``:
``<output>/<model_name_sanitized>/results_<date>.json``) holding ``results``: per task a dict of
``"<metric>,<filter>"`` values (``"acc,none"``, ``"acc_norm,none"``). This reader turns a file
or a folder of them into one row per model with an ``acc_<task>`` column per task, the form
:func:`scalinglab.downstream.read_evals` reads. The harness does not record parameters or
tokens, so they come from a run table joined on the model's name.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pandas as pd

from scalinglab._errors import DataError

__all__ = ["is_lm_eval", "lm_eval_files", "read_lm_eval", "read_lm_eval_scores"]


def is_lm_eval(path: Path) -> bool:
    """Whether ``path`` is a folder, or a ``.json`` file with a ``results`` object."""
    if path.is_dir():
        return True
    if path.suffix != ".json" or not path.is_file():
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "results" in data


def read_lm_eval(source: str | os.PathLike[str], *, metric: str = "acc") -> pd.DataFrame:
    """One row per model (``run``) with ``acc_<task>`` from harness results files.

    Args:
        source: A ``results*.json`` file or a folder searched for them (recursively).
        metric: Which harness metric is the accuracy: ``"acc"`` or ``"acc_norm"``.

    Returns:
        Columns ``run`` and ``acc_<task>``; a model evaluated several times keeps its latest
        file (the harness dates its file names).

    Raises:
        DataError: No results files, a file that is not one, a task without the metric.
    """
    rows: dict[str, dict[str, object]] = {}
    for file in lm_eval_files(source):  # sorted: a later file of a model replaces an earlier
        name, scores = _read_one(file, metric)
        rows[name] = {"run": name, **scores}
    return pd.DataFrame(list(rows.values()))


def lm_eval_files(source: str | os.PathLike[str]) -> list[Path]:
    """The ``results*.json`` files of ``source`` (a file, or a folder searched recursively),
    sorted, so a model's later (dated) file comes after its earlier ones."""
    path = Path(source)
    if not path.exists():
        raise DataError("file not found", source=str(path), hint="check the path")
    files = sorted(path.rglob("results*.json")) if path.is_dir() else [path]
    if not files:
        raise DataError(
            "no lm-evaluation-harness results files (results*.json) in this folder",
            source=str(path),
            hint="point at the harness's --output_path",
        )
    return files


def read_lm_eval_scores(source: str | os.PathLike[str]) -> pd.DataFrame:
    """Every numeric score of harness results files as long rows ``run, task, metric, value``
    (the run store's form): metric ``acc`` for ``"acc,none"``, ``acc,<filter>`` for another
    filter; a model evaluated several times keeps its latest file's scores."""
    rows: dict[tuple[str, str, str], float] = {}
    for file in lm_eval_files(source):
        data, results = _load(file)
        name = _model_name(data, file)
        for task, values in results.items():
            if not isinstance(values, dict):
                continue
            for key, value in values.items():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue  # an alias, or "N/A" for a stderr the harness could not compute
                if not math.isfinite(value):
                    continue
                metric = key[: -len(",none")] if key.endswith(",none") else key
                rows[(name, str(task), metric)] = float(value)
    if not rows:
        raise DataError(
            "no numeric scores in the results files", source=os.fspath(source),
            hint="give the results_<date>.json files the harness writes",
        )  # fmt: skip
    keys = list(rows)
    return pd.DataFrame(
        {
            "run": [k[0] for k in keys],
            "task": [k[1] for k in keys],
            "metric": [k[2] for k in keys],
            "value": list(rows.values()),
        }
    )


def _load(file: Path) -> tuple[dict[str, object], dict[str, object]]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(
            f"not an lm-evaluation-harness results file (not JSON: {exc})", source=str(file)
        ) from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, dict):
        raise DataError(
            "not an lm-evaluation-harness results file: no 'results' object of tasks",
            source=str(file),
            hint="give the results_<date>.json files the harness writes (not samples_*.jsonl)",
        )
    return data, results


def _read_one(file: Path, metric: str) -> tuple[str, dict[str, float]]:
    data, results = _load(file)
    scores: dict[str, float] = {}
    for task, values in results.items():
        if not isinstance(values, dict):
            continue
        key = (
            f"{metric},none"
            if f"{metric},none" in values
            else next((k for k in values if k.split(",")[0] == metric), None)
        )
        if key is None:
            continue  # a task scored by another metric (perplexity, exact match, ...)
        try:
            scores[f"acc_{task}"] = float(values[key])
        except (TypeError, ValueError):
            raise DataError(
                f"task {task!r}: {key} is {values[key]!r}, not a number", source=str(file)
            ) from None
    if not scores:
        raise DataError(
            f"no task in it has the metric {metric!r}",
            source=str(file),
            hint="choose the metric the tasks report (acc, acc_norm)",
        )
    return _model_name(data, file), scores


def _model_name(data: dict[str, object], file: Path) -> str:
    name = data.get("model_name")
    if isinstance(name, str) and name:
        return name
    config = data.get("config")
    args = config.get("model_args") if isinstance(config, dict) else None
    if isinstance(args, str):
        for part in args.split(","):
            key, _, value = part.partition("=")
            if key.strip() in ("pretrained", "model", "path") and value:
                return value.strip()
    return file.parent.name if file.parent.name else file.stem
