"""The ``downstream backtest`` table (error, coverage and verdict per task) and its JSON."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from scalinglab._format import format_level
from scalinglab.cli._render import print_warnings

__all__ = ["BACKTEST_FORMAT", "backtest_payload", "print_backtest"]

#: The "format" of what ``downstream backtest`` prints and saves
#: (:data:`scalinglab._formats.KINDS`).
BACKTEST_FORMAT = "scalinglab.downstream_backtest/1"


def print_backtest(console: Console, result: Any, keyed: Mapping[str, Any], level: float) -> None:
    """The held-out models, the chain's warnings, and one row per task (and the average)."""
    console.print(f"held out {len(result.held_out)} models ({result.description})")
    # the chain's own (models of several corpora, ...), not its loss law's
    print_warnings(console, [w for w in result.chain.warnings if not w.startswith("loss law: ")])
    table = Table(title_justify="left")
    for name in (
        "task",
        "abs error (points)",
        "rel error",
        f"{format_level(level)} coverage",
        "verdict",
    ):
        table.add_column(name, justify="left" if name in ("task", "verdict") else "right")
    for key, r in keyed.items():
        label = "average" if key == "average" and result.chained is None else r.task
        fitted = result.chain.tasks.get(key)
        note = "" if fitted is None else fitted.noise_text  # noise beyond the tolerance
        if r.reason:
            table.add_row(Text(label), "—", "—", "—", Text(f"not predictable: {r.reason}"))
            continue
        note = "; ".join(n for n in (r.scoring, note) if n)  # over which models, then noise
        table.add_row(
            Text(label), _num(100 * r.abs_error, ".2f"), _num(100 * r.rel_error, ".1f", "%"),
            _coverage(r), Text(note),
        )  # fmt: skip
    console.print(table)


def _coverage(r: Any) -> str:
    """``75%``; ``75% (3 of 4 scored)`` where a model with a score was not scored for
    coverage (an unbounded interval cannot miss); "—" where none was."""
    text = _num(100 * r.coverage, ".0f", "%")
    return f"{text} ({r.coverage_scored} of {r.scored} scored)" if r.coverage_unscored else text


def _num(x: float, spec: str, unit: str = "") -> str:
    """``x`` formatted, or "—" when NaN (no scored model, no interval)."""
    return "—" if math.isnan(x) else f"{x:{spec}}{unit}"


def backtest_payload(result: Any, keyed: Mapping[str, Any]) -> dict[str, Any]:
    """What ``downstream backtest --json`` prints (and ``--out`` saves): where the models
    came from (``source``, as a loss backtest says it), the hold-out, the intervals'
    ``level``; as ``downstream predict --json``, the tasks, then the average beside them (a
    task may be called "average") with the tasks it averages; each with its errors and,
    model by model (in the order of ``held_out``), the prediction, its interval
    (``accuracy_lower``, ``accuracy_upper``, as predict writes them; ``lower`` and ``upper``,
    the old keys, kept one release) and the accuracy measured (NaN where a model has no
    score: ``scored`` counts those the errors are over, ``scoring`` says so in words, ``""``
    when every one), and whether it fell inside (``inside``: null where not scored for
    coverage, no score or an interval not bounded; ``coverage_scored`` counts those the
    coverage is over); then the chain's ``notes`` and, apart, its ``warnings``."""

    def row(r: Any) -> dict[str, Any]:
        keys = ("abs_error", "rel_error", "coverage", "coverage_scored", "reason", "scored",
                "scoring")  # fmt: skip
        errors = {k: getattr(r, k) for k in keys}
        models = {"predicted": r.predicted, "accuracy_lower": r.lower, "accuracy_upper": r.upper,
                  "lower": r.lower, "upper": r.upper, "actual": r.actual}  # fmt: skip
        # inside: null where the model is not scored for coverage, as a backtest's runs
        inside = [None if math.isnan(m) else bool(m) for m in r.inside]
        return errors | {k: [float(x) for x in v] for k, v in models.items()} | {"inside": inside}

    chain = result.chain
    payload: dict[str, Any] = {
        "format": BACKTEST_FORMAT,
        "source": result.source,
        "holdout": result.holdout,
        "held_out": list(result.held_out),
        "level": chain.level,
        "tasks": {key: row(r) for key, r in result.tasks.items()},
        "average": row(keyed["average"]),
    }
    if chain.average is not None:
        payload["average"]["members"] = list(chain.average.members)
    if "mean_of_tasks" in keyed:
        payload["mean_of_tasks"] = row(keyed["mean_of_tasks"])
    # its notes but those that are its warnings (DownstreamFit.warnings: "warning: ...", and
    # the loss law's diagnostics, "loss law: ...")
    warned = ("warning: ", "loss law: ")
    payload["notes"] = [n for n in chain.notes if not n.startswith(warned)]
    payload["warnings"] = list(chain.warnings)
    return payload
