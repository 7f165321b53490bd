"""The :func:`scalinglab.fit` call that reproduces a fit, and the :func:`scalinglab.write_report`
call that reproduces its page, for the report's card."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scalinglab.fit import FitResult

__all__ = ["python_call", "report_call"]


def python_call(result: FitResult, *, y: str = "loss", report: str = "") -> str:
    """The :func:`scalinglab.fit` call that reproduces ``result`` from the same runs: its
    ``where`` too, as ``--where`` is on the command's card (without it the call fits every
    run of the source, not the selection the comment counts); ``compare=False`` where a
    catalog law was not compared with the others (``--no-compare``), as it would be."""
    from scalinglab.validate._law_hint import comparable

    x = {s: c for s, c in result.columns.items() if c != {"N": "params", "D": "tokens"}.get(s)}
    where = dict(result.where or {})  # None: not recorded, so not said (the card says so)
    args = [
        repr(result.law_spec),
        "runs",
        f"robust_loss={result.robust_loss!r}",
        f"delta={result.delta!r}",
        f"space={result.space!r}",
        *([f"x={x!r}"] if x else []),
        *([f"y={y!r}"] if y != "loss" else []),
        *([f"where={where!r}"] if where else []),
        f"bootstrap={result.n_bootstrap}",
        f"level={result.level!r}",
        f"seed={result.seed}",
        *(["compare=False"] if result.law_choice is None and comparable(result.law.name) else []),
    ]
    fitted = f"scalinglab.fit({', '.join(args)})"
    fitted = f"result = {fitted}; {report}" if report else fitted
    return f"{fitted}  # runs: {result.source}"


def report_call(
    path: Path | None,
    *,
    budgets: Sequence[float],
    title: str | None,
    figures: Path | None,
    figure_format: str,
    validate: bool,
    holdout: str,
) -> str:
    """The :func:`scalinglab.write_report` call (``path`` ``None``: ``render_report``) that
    remakes a page from ``result`` and ``runs``: the budgets its plan used (given or
    default: a later default would move its rows), and each option the page depends on."""
    args = ["result", "runs", *([repr(str(path))] if path is not None else [])]
    args.append(f"budgets=[{', '.join(repr(float(b)) for b in budgets)}]")
    args += [f"title={title!r}"] if title else []
    if figures is not None:
        args += [f"figures={str(figures)!r}", f"figure_format={figure_format!r}"]
    args += [f"holdout={holdout!r}"] if validate else ["validate=False"]
    name = "write_report" if path is not None else "render_report"
    return f"scalinglab.{name}({', '.join(args)})"
