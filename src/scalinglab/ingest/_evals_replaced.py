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


def replaced_note(replaced: Sequence[tuple[str, str, str, float]], runs: pd.DataFrame) -> list[str]:
    """The note naming, per source, how many stored scores ``replaced`` (``(run_id, task,
    metric, value)``: :attr:`EvalsWritten.replaced <scalinglab.store.EvalsWritten.replaced>`) an
    ingest overwrote and which; ``runs``: the store's runs (``run_id``, ``source``,
    ``extra``). None where nothing was replaced."""
    if not replaced:
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
        f"stored before: {'; '.join(each)}"
    ]


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
