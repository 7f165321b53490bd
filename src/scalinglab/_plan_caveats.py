"""What a plan's reader must know of its source, as ``scalinglab plan`` prints it under its
last table and ``plan --json`` holds it (``warnings``, ``notes``), and as
:meth:`Frontier.to_dict <scalinglab.plan.Frontier.to_dict>` gives it: one wording."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from scalinglab._no_intervals import level_unused, no_intervals_line

__all__ = ["PLAN_FORMAT", "own_notes", "plan_caveats", "warnings_with"]

#: The "format" of what ``plan --out`` and ``--json`` write, and :meth:`Frontier.to_dict
#: <scalinglab.plan.Frontier.to_dict>` (:data:`scalinglab._formats.KINDS`).
PLAN_FORMAT = "scalinglab.plan/1"


def plan_caveats(
    source: Any, allocations: Sequence[Any], *, level: float | None = None
) -> tuple[list[str], list[str]]:
    """What a plan's reader must know of its source, as ``plan`` prints it under the last
    allocation and ``plan --json`` holds it (``warnings``, ``notes``): the fit's warnings
    (too few runs, a coefficient not identified, ...), then the plan's own of every budget
    (:attr:`Allocation.warnings`: too few resamples for the level planned, the same at
    each; an allocation the runs do not pin down, one line for its budgets), once each, and why
    there are no intervals: then a ``level`` given (``--level``, where no lr* and B* fit
    takes it) has no effect, and the note says so, as a backtest with no bootstrap does."""
    from scalinglab.fit import FitResult
    from scalinglab.plan._pinned import said_once  # several budgets' lines said as one
    from scalinglab.plan._text import has_band

    own = said_once(allocations)[0]
    unused = level_unused(level)
    if not isinstance(source, FitResult):
        return own, [f"no intervals: a preset is a point estimate{unused}"]
    allocation = allocations[-1]
    bare = not (allocation.level if has_band(allocation) else 0.0)
    notes = [n for a in allocations for n in a.notes]
    return list(dict.fromkeys([*warnings_with(source, notes), *own])), (
        [no_intervals_line(requested=source.n_bootstrap, refit="scalinglab fit", level=level)]
        if bare
        else []
    )


def own_notes(source: Any, notes: Sequence[str]) -> list[str]:
    """``notes`` less the ``warning: ...`` lines that are the fit's own warnings (a fit
    that did not converge): the footer says those once, not every table."""
    theirs = {f"warning: {w}" for w in getattr(source, "warnings", ())}
    return [n for n in notes if n not in theirs]


def warnings_with(result: Any, notes: Sequence[str]) -> list[str]:
    """The ``warnings`` of ``plan --json`` and ``predict --json``: the fit's, then those a
    plan or prediction adds among its ``notes`` as ``warning: ...`` (too few resamples for
    the level asked), once each: a reader of ``warnings`` sees every one. The fit's hold
    what reading its runs warned of (a loss that looked like perplexity, flops off 6·N·D):
    a plan or prediction from it is as suspect as the fit."""
    own = [n.removeprefix("warning: ") for n in notes if n.startswith("warning: ")]
    return list(dict.fromkeys([*result.warnings, *own]))
