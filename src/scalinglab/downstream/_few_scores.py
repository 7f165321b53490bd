"""The verdict of a task too few models have a score of: not fitted, rather than judged at
chance against its own one score, and the task a misspelt name meant (``hellaswg``)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import did_you_mean
from scalinglab._format import format_counted
from scalinglab.downstream._task_law import accuracy_law

if TYPE_CHECKING:
    from scalinglab.downstream._evals import Evals

__all__ = ["few_scores"]


def few_scores(evals: Evals, task: str, task_law: str) -> str:
    """Why ``task`` cannot be fitted: fewer models have a score of it than its law
    (``task_law``) has parameters, plus one; ``""`` where enough do. A task scored only
    where another task near its name is not is that task misspelt in some rows of a long
    table (``hellaswg``), and the verdict says which it meant."""
    chance = float(evals.chance.get(task, math.nan))
    need = len(accuracy_law(task_law, column="loss", chance=chance).params) + 1
    seen = np.isfinite(evals.accuracy(task))
    n = int(seen.sum())
    if n >= need:
        return ""
    why = (
        f"only {format_counted(n, 'model')} of {len(seen)} {'has' if n == 1 else 'have'} a "
        f"score, too few to fit its law (at least {need})"
    )
    # scored where this one is not, and nowhere it is: the same task, its name misspelt
    apart = [t for t in evals.tasks if not np.any(np.isfinite(evals.accuracy(t)) & seen)]
    near = did_you_mean(task, apart)
    return why + (f"{near} (the other models' scores are under that name)" if near else "")
