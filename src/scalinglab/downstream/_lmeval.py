"""Evaluations from EleutherAI lm-evaluation-harness ``results*.json`` files.

The harness writes one file per evaluation run (``EvaluationTracker.save_results_aggregated``:
``<output>/<model_name_sanitized>/results_<date>.json``) holding ``results``: per task a dict of
``"<metric>,<filter>"`` values (``"acc,none"``, ``"acc_norm,none"``). This reader turns a file
or a folder of them into one row per model with an ``acc_<task>`` column per task, the form
:func:`scalinglab.downstream.read_evals` reads. The harness does not record parameters or
tokens, so they come from a run table joined on the model's name.

One rule merges the files, for ``downstream`` and ``ingest`` alike (:func:`lm_eval_scores`):
scores are kept per (model, task, metric), so a model's tasks may come from several files;
where two files give the same score, the one the harness dated later wins.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from scalinglab._errors import DataError, did_you_mean
from scalinglab._format import format_counted, join_more
from scalinglab.downstream._fractions import long_fractions
from scalinglab.downstream._frames import check_metric
from scalinglab.downstream._lmeval_json import HARNESS_OPENING, broken_results
from scalinglab.downstream._metric_rule import Scored, pick_scores, several_filters

__all__ = [
    "LmEvalScores",
    "harness_date",
    "is_lm_eval",
    "lm_eval_files",
    "lm_eval_scores",
    "lm_eval_wide",
    "read_lm_eval",
]


def is_lm_eval(path: Path) -> bool:
    """Whether ``path`` is a folder, or a ``.json`` file with a ``results`` object."""
    if path.is_dir():
        return True
    if path.suffix != ".json" or not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except json.JSONDecodeError:  # a results file cut short is one, to be refused as cut
        return HARNESS_OPENING.match(text) is not None
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "results" in data


@dataclass(frozen=True)
class LmEvalScores:
    """Every numeric score of harness results files, one per model, task and metric.

    Attributes:
        frame: Long rows ``run, task, metric, value`` (the run store's form): metric
            ``acc`` for ``"acc,none"``, ``acc,<filter>`` for another filter.
        notes: How scores that several files give were resolved (the newest kept).
        examples: Long rows ``run, task, metric, value`` of each model's number of
            examples per scored task (the files' ``n-samples``; the smallest where its files
            disagree, as :func:`~scalinglab.downstream._noise.lm_eval_examples` takes them),
            metric :data:`~scalinglab.downstream._noise.EXAMPLES`: what ``ingest`` stores
            with the scores so that the store gives the noise the files give.
    """

    frame: pd.DataFrame
    notes: tuple[str, ...] = ()
    examples: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["run", "task", "metric", "value"])
    )


def lm_eval_scores(source: str | os.PathLike[str]) -> LmEvalScores:
    """The scores of harness results files (a file, or a folder searched recursively),
    merged per model, task and metric: a model's tasks may lie in several files (one
    evaluation per task, say), and where two files give the same score the newest file's
    is kept, by the harness's own date (:func:`harness_date`), with a note.

    Raises:
        DataError: No results files, a file that is not one, no numeric score at all.
    """
    from scalinglab.downstream._noise import EXAMPLES, file_examples

    kept: dict[tuple[str, str, str], tuple[float, Path, datetime | None]] = {}
    sizes: dict[tuple[str, str], float] = {}  # (model, task): its number of examples
    clashes: list[tuple[str, Path, Path, bool]] = []  # model, kept, dropped, by date
    for file in lm_eval_files(source):
        data, results = _load(file)
        name, date = _model_name(data, file), harness_date(file, data)
        for task, n in file_examples(data).items():
            sizes[name, task] = min(n, sizes.get((name, task), math.inf))
        for task, values in results.items():
            for key, value in values.items() if isinstance(values, dict) else ():
                if isinstance(value, bool) or not isinstance(value, int | float):
                    continue  # an alias, or "N/A" for a stderr the harness could not compute
                if not math.isfinite(value):
                    continue
                metric = key[: -len(",none")] if key.endswith(",none") else key
                at = (name, str(task), metric)
                if at in kept:
                    _, other, when = kept[at]
                    if date is not None and when is not None and date != when:
                        newer, dated = date > when, True
                    else:  # undated, or dated alike: the later path, as the files are sorted
                        newer, dated = True, False
                    clashes.append((name, *((file, other) if newer else (other, file)), dated))
                    if not newer:
                        continue
                kept[at] = (float(value), file, date)
    if not kept:
        raise DataError(
            "no numeric scores in the results files", source=os.fspath(source),
            hint="give the results_<date>.json files the harness writes",
        )  # fmt: skip
    keys = list(kept)
    frame = pd.DataFrame(
        {
            "run": [k[0] for k in keys],
            "task": [k[1] for k in keys],
            "metric": [k[2] for k in keys],
            "value": [kept[k][0] for k in keys],
        }
    )
    scored = {(k[0], k[1]) for k in keys}
    counts = [(m, t, EXAMPLES, n) for (m, t), n in sizes.items() if (m, t) in scored]
    examples = pd.DataFrame(counts, columns=["run", "task", "metric", "value"])
    return LmEvalScores(frame, _clash_notes(clashes, Path(source)), examples)


def harness_date(file: Path, data: Mapping[str, object]) -> datetime | None:
    """When the harness wrote ``file``: the date in its name (``results_<date>.json``, as
    ``EvaluationTracker`` names it and ``lm_eval.utils.get_latest_filename`` reads it),
    else its ``date`` (the evaluation's start, seconds since the epoch); ``None`` if
    neither."""
    found = _DATED.search(file.stem)
    if found:
        for form in ("%Y-%m-%dT%H-%M-%S.%f", "%Y-%m-%dT%H-%M-%S"):
            try:
                return datetime.strptime(found.group(1), form)
            except ValueError:
                continue
    stamp = data.get("date")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool) and stamp > 0:
        try:  # local time, as the harness dates its file names
            return datetime.fromtimestamp(float(stamp))
        except (OverflowError, OSError, ValueError):
            return None
    return None


_DATED = re.compile(r"_(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(?:\.\d+)?)$")


def _clash_notes(clashes: list[tuple[str, Path, Path, bool]], source: Path) -> tuple[str, ...]:
    """One note for the scores several files give: how many, which files won, and how."""
    if not clashes:
        return ()

    def short(file: Path) -> str:
        return str(file.relative_to(source)) if file.is_relative_to(source) else str(file)

    models = sorted({c[0] for c in clashes})
    model, won, lost, _ = clashes[0]
    undated = sum(not c[3] for c in clashes)
    how = (
        "by the harness's date (the file name's, else its 'date')"
        if not undated
        else f"by the harness's date; {undated} of them undated or dated alike, the later "
        "path's kept"
    )
    return (
        f"{format_counted(len(clashes), 'score')} of {format_counted(len(models), 'model')} "
        "given by several results files: "
        f"the newest file's kept, {how}; e.g. {model!r}: {short(won)} over {short(lost)}",
    )


def read_lm_eval(source: str | os.PathLike[str], *, metric: str = "acc") -> pd.DataFrame:
    """One row per model (``run``) with ``acc_<task>`` from harness results files.

    Args:
        source: A ``results*.json`` file or a folder searched for them (recursively).
        metric: Which harness metric is the accuracy: ``"acc"`` or ``"acc_norm"``.

    Returns:
        Columns ``run`` and ``acc_<task>``, the scores merged as :func:`lm_eval_scores`
        merges them.

    Raises:
        DataError: No results files, a file that is not one, no task with the metric, a
            standard error asked for as the metric.
    """
    return lm_eval_wide(lm_eval_scores(source).frame, metric, os.fspath(source))[0]


def lm_eval_wide(
    frame: pd.DataFrame, metric: str, source: str, *, percent: bool = False
) -> tuple[pd.DataFrame, list[str], Scored]:
    """The long scores of :func:`lm_eval_scores` as one row per model, ``acc_<task>`` from
    each task's score read as ``metric`` (``"acc,none"``; a task's only filter of it, said
    in a note; ``exact_match,flexible-extract`` by that name: :func:`score_names
    <scalinglab.downstream._metric_rule.score_names>`), notes, and the scores, for the note
    on the tasks left out for want of it (:class:`Scored`). Each task's scores are read as
    fractions as a long table's are (``percent``: all in percent), a bad one named by its
    model and task."""
    check_metric(metric, source)
    rows, notes, several = pick_scores(frame, metric)
    if rows.empty and several:
        raise several_filters(metric, several, source)
    if rows.empty:
        base = list(dict.fromkeys(frame["metric"].str.split(",").str[0]))
        raise DataError(
            f"no task in it has the metric {metric!r} (its metrics: {join_more(base, 8)})"
            + did_you_mean(metric, base),  # acc_nrom: acc_norm
            source=source,
            hint="choose the metric the tasks report (acc, acc_norm) with --metric",
        )
    rows, said = long_fractions(rows, source, percent=percent, rows=None, column=None)
    wide: dict[str, dict[str, object]] = {}
    for run, task, value in rows[["run", "task", "value"]].itertuples(index=False):
        wide.setdefault(str(run), {"run": str(run)})[f"acc_{task}"] = float(value)
    scored = Scored(metric, frame[["run", "task", "metric"]])
    return pd.DataFrame(list(wide.values())), [*notes, *said], scored


def lm_eval_files(source: str | os.PathLike[str]) -> list[Path]:
    """The ``results*.json`` files of ``source`` (a file, or a folder searched recursively),
    sorted by path (the newest of a model's scores is chosen by date, not by this order)."""
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


def _load(file: Path) -> tuple[dict[str, object], dict[str, object]]:
    try:
        text = file.read_text(encoding="utf-8-sig")
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise broken_results(file, text, exc) from None
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
