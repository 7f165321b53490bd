"""Where the stored scores an ingest of evaluations replaced came from: the store keeps no
source per score, but a run's own tracker (a W&B export's ``hellaswag/acc``) or run table
(``acc_piqa``) keeps the metrics it logged in the run's ``extra``, so a replaced score
logged there with its value (or that value in percent) is that source's; any other was
written by an earlier ingest of evaluations."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from scalinglab._format import format_counted, join_more
from scalinglab.ingest._scores import score_name

__all__ = ["replaced_note"]

#: How a replaced score whose run's source did not log it is said.
_EARLIER = "an earlier ingest of evaluations (the store keeps no source per score)"


def replaced_note(
    replaced: Sequence[tuple[str, str, str, float]], runs: pd.DataFrame | None
) -> list[str]:
    """The note naming, per source, how many stored scores ``replaced`` (``(run_id, task,
    metric, value)``: :attr:`EvalsWritten.replaced <scalinglab.store.EvalsWritten.replaced>`) an
    ingest overwrote and which; ``runs``: the store's runs (``run_id``, ``source``,
    ``extra``, ``name``; ``None`` for a store that held none). None where nothing was
    replaced."""
    if not replaced or runs is None:  # (no stored run: no stored score either)
        return []
    by_id = {  # the store's extra is JSON text
        str(r): (s, json.loads(e) if isinstance(e, str) else e)
        for r, s, e in zip(runs["run_id"], runs["source"], runs["extra"], strict=True)
    }
    counts: Counter[str] = Counter()
    scores: dict[str, dict[str, None]] = {}
    for run_id, task, metric, value in replaced:
        source, extra = by_id.get(run_id, (None, None))
        values = _logged(extra).get((task, metric), [])
        logged = any(math.isclose(value, v, rel_tol=1e-9) for x in values for v in (x, x / 100))
        where = f"{source} ({_kind(extra)})" if logged and source else _EARLIER
        counts[where] += 1
        scores.setdefault(where, {})[f"{task} {metric}"] = None
    each = [
        f"{n} from {where}"
        + ("" if where == _EARLIER else f": {join_more(list(scores[where]), 3)}")
        for where, n in counts.most_common()
    ]
    n = len(replaced)
    return [
        f"{format_counted(n, 'updated score')} replaced {'a score' if n == 1 else 'scores'} "
        f"stored before: {'; '.join(each)}; {_of_runs(replaced, runs)}"
    ]


def _of_runs(replaced: Sequence[tuple[str, str, str, float]], runs: pd.DataFrame) -> str:
    """Which runs' scores were replaced, as the store names them (``of 2 runs: 'a', 'b'
    (hellaswag acc, piqa acc)``): runs whose replaced scores are the same ones are one
    group, so that a second results file of a whole ladder is one group, not a line per
    run; the largest groups first."""
    names = {str(r): str(n) for r, n in zip(runs["run_id"], runs["name"], strict=True)}
    per_run: dict[str, dict[str, None]] = {}
    for run_id, task, metric, _ in replaced:
        per_run.setdefault(names.get(run_id, run_id), {})[f"{task} {metric}"] = None
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, scores in sorted(per_run.items()):  # (the store's order is no order)
        groups.setdefault(tuple(sorted(scores)), []).append(repr(name))
    shown = [
        f"{join_more(group, 5, noun='run')} ({join_more(list(scores), 3, noun='score')})"
        for scores, group in sorted(groups.items(), key=lambda g: (-len(g[1]), g[1]))
    ]
    return f"of {format_counted(len(per_run), 'run')}: {join_more(shown, 3, sep='; ')}"


def _logged(extra: Any) -> dict[tuple[str, str], list[float]]:
    """(task, metric) -> the values of the scores among a run's ``extra``: its tracker's
    metrics (``extra["metrics"]``) and a run table's columns (the extra's own keys)."""
    if not isinstance(extra, Mapping):
        return {}
    metrics = extra.get("metrics")
    items = [*extra.items(), *(metrics.items() if isinstance(metrics, Mapping) else ())]
    out: dict[tuple[str, str], list[float]] = {}
    for name, value in items:
        found = score_name(str(name))
        if found is not None and isinstance(value, int | float) and not isinstance(value, bool):
            out.setdefault(found, []).append(float(value))
    return out


def _kind(extra: Any) -> str:
    """The reader a run was ingested by (``wandb``, ``table``...), as its extra says."""
    kind = extra.get("ingested_from") if isinstance(extra, Mapping) else None
    return str(kind) if kind else "its runs"
