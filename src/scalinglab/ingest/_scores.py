"""Evaluation scores among a tracker's metrics: W&B summary columns and MLflow metrics named
like tasks, stored as evaluations of the run that logged them.

A metric is a score when its name says task and metric:

* ``<task>/<metric>`` with any prefix (``hellaswag/acc``, ``eval/piqa/acc_norm``): what
  lm-evaluation-harness's W&B logger writes (``,none`` filters dropped), and the usual way
  to log scores from a training loop;
* ``acc_<task>`` / ``acc_norm_<task>`` (``acc_stderr_<task>``, ...): the wide evaluation
  tables' names, read as ``downstream`` reads them;
* a task with a known chance level (``hellaswag``) alone: its accuracy.

``<metric>`` is one of :data:`EVAL_METRICS`, so ``train/loss`` or ``eval/acc`` (no task) are
never read as scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

__all__ = ["EVAL_METRICS", "score_name", "tracker_scores"]

#: Metric names read as evaluation scores.
EVAL_METRICS = (
    "acc", "acc_norm", "acc_stderr", "acc_norm_stderr", "exact_match", "f1", "mc1", "mc2",
    "brier_score",
)  # fmt: skip
_NOT_TASKS = {"eval", "evals", "train", "val", "valid", "validation", "test", "metrics", ""}


def score_name(name: str) -> tuple[str, str] | None:
    """``(task, metric)`` for a metric name that is an evaluation score, else ``None``."""
    from scalinglab.downstream import KNOWN_CHANCE
    from scalinglab.downstream._evals_scores import wide_score

    if "/" in name:
        *head, last = name.split("/")
        metric, _, filt = last.partition(",")
        task = head[-1] if head else ""
        if metric in EVAL_METRICS and task.lower() not in _NOT_TASKS:
            return task, metric if filt in ("", "none") else f"{metric},{filt}"
        return None
    found = wide_score(name)  # the wide tables' rule: acc_norm_piqa is not acc of norm_piqa
    if found is not None:
        return found
    return (name, "acc") if name in KNOWN_CHANCE else None


def tracker_scores(summaries: Iterable[tuple[str, Mapping[str, float]]]) -> pd.DataFrame:
    """Long rows ``run, task, metric, value`` from ``(run_id, summary)`` pairs."""
    rows = []
    for run_id, summary in summaries:
        for name, value in summary.items():
            found = score_name(str(name))
            if found is not None:
                rows.append((run_id, found[0], found[1], float(value)))
    return pd.DataFrame(rows, columns=["run", "task", "metric", "value"])
