"""``fit``'s plan table: compute-optimal allocations at budgets, or why there are none."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError, ScalingLabError

__all__ = ["plan_rows", "refuse_withheld"]


def refuse_withheld(fit_path: str | os.PathLike[str]) -> None:
    """Refuse to plan from a fit file whose plan ``fit --out`` withheld (its
    ``plan_withheld``, :data:`~scalinglab.fit._identified.PLAN_WITHHELD`).

    Runs that leave N and D unidentified fix the law only along the line they lie on: any
    N*, D* split of a budget is arbitrary, and so is the loss at the compute-optimal split
    and the compute a target loss needs (both a minimum over splits), so nothing of a plan
    is left to give.

    Raises:
        ConfigError: Where the file carries ``plan_withheld``.
    """
    try:  # read as a fit already: a file that cannot be read here withheld nothing
        saved = json.loads(Path(fit_path).read_text(encoding="utf-8")).get("plan_withheld")
    except (OSError, ValueError, AttributeError):
        return
    if not isinstance(saved, str) or not saved:
        return
    why = saved.partition(": ")[2].replace(" (see the warning above)", "") or saved
    raise ConfigError(
        f"--fit {os.fspath(fit_path)}: plan withheld: {why}, and the loss at a budget's "
        "compute-optimal split, or the compute a target loss needs, rests on that split too",
        hint="fit runs of several tokens per parameter (more than one token count per model "
        "size), or plan from a published law: --preset hoffmann2022",
    )


def plan_rows(
    result: Any, budgets: tuple[float, ...], *, asked: bool, table: Any = None
) -> tuple[list[Any], str]:
    """Compute-optimal allocations for the plan table, or none (with why) where not possible.

    A law of compute alone, L(C), gives the loss at each budget with its interval (as
    ``plan --compute`` does) when ``--compute`` was given (``asked``); a law of neither
    says why ``--compute`` has nothing to plan. Runs (``table``) that leave N and D
    unidentified (:func:`~scalinglab.fit._identified.design_unidentified`) withhold it."""
    if not result.ok:
        return [], ""
    if table is not None:
        from scalinglab.fit._identified import plan_withheld

        withheld = plan_withheld(result, table)  # an N*, D* split would be arbitrary
        if withheld:
            return [], withheld
    try:
        from scalinglab.plan import optimal_allocation
        from scalinglab.plan._source import compute_symbol
    except ImportError:  # the planning package is optional in a partial install
        return [], "plan table skipped: scalinglab.plan is not available"
    if not {"N", "D"} <= set(result.columns):
        if not asked:
            return [], ""
        if compute_symbol(result.law) is None:
            return [], (
                f"--compute ignored: law {result.law_spec} has neither N and D nor compute C "
                "alone, so it gives no allocation or loss at a budget; fit a law of N and D "
                "(chinchilla) or of C (power-law:flops)"
            )
    try:
        return [optimal_allocation(result, flops=b) for b in budgets], ""
    except ScalingLabError as err:
        return [], f"plan table skipped: {err.message}"
