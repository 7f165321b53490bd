"""Which rung ``--predict-top`` predicts, and the ladders it refuses before anything trains.

The top rung is the one of the most training FLOPs. Its prediction is an extrapolation only
when every other rung trains on less compute: a rung within :data:`SAME_BUDGET` of the top
one's FLOPs (another size of an IsoFLOP budget, another seed) would be measured at the
compute the prediction is for, so such ladders are refused rather than "predicted".
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from scalinglab._errors import ConfigError
from scalinglab._format import format_flops, join_more

if TYPE_CHECKING:
    from pathlib import Path

    from scalinglab.ladder import LadderSpec, RungConfig
    from scalinglab.store import StoredRun

__all__ = [
    "MIN_LOWER_RUNGS",
    "PREDICTABLE_RECIPES",
    "SAME_BUDGET",
    "check_ladder",
    "check_rungs",
    "check_top",
    "not_predicted",
    "top_rung",
]

#: Finished rungs below the top one a prediction needs: the fewest that fit L = A·C^-α (two
#: parameters) with a run to spare, the minimum ``fit`` and ``backtest`` hold to.
MIN_LOWER_RUNGS = 3
#: Relative FLOP difference under which two rungs share a compute budget: IsoFLOP rungs
#: differ by under 0.1% (their token counts are rounded down to whole tokens).
SAME_BUDGET = 0.01
#: The built-in recipes whose top rung --predict-top can predict (a test checks each one).
PREDICTABLE_RECIPES = ("chinchilla-tiny", "gpu")
_USE = (
    "use a ladder of 4 or more rungs whose largest has a compute budget of its own "
    f"({PREDICTABLE_RECIPES[0]} on a CPU, {PREDICTABLE_RECIPES[1]} on a GPU), or drop "
    "--predict-top"
)


def check_rungs(lower: int, *, finished: bool = True) -> None:
    """Refuse a prediction from fewer than :data:`MIN_LOWER_RUNGS` lower rungs.

    Raises:
        ConfigError: Saying why (a fit needs more runs than parameters, as backtest holds).
    """
    if lower >= MIN_LOWER_RUNGS:
        return
    what = "finished rungs below the top one" if finished else "rungs below its top one"
    raise ConfigError(
        f"--predict-top fits L = A·C^-α (2 parameters) to the rungs below the top one, and a "
        f"fit needs at least {MIN_LOWER_RUNGS} runs (as fit and backtest require); this "
        f"ladder has {lower} {what}",
        hint=_USE,
    )


def check_top(top: str, flops: float, others: Sequence[tuple[str, float]]) -> None:
    """Refuse a prediction of ``top`` (``flops`` FLOPs) from rungs that are no lower.

    Args:
        top: The top rung's name.
        flops: Its training FLOPs.
        others: ``(name, flops)`` of the rungs it would be predicted from.

    Raises:
        ConfigError: Naming the rungs within :data:`SAME_BUDGET` of (or above) its compute.
    """
    near = [name for name, c in others if c >= flops * (1 - SAME_BUDGET)]
    if not near:
        return
    every = [top, *near]  # the rung taken as the top first: the others differ by rounding
    shown = join_more(every)
    raise ConfigError(
        "--predict-top predicts the top rung, the one of the largest training compute, from "
        f"the rungs of less; in this ladder {len(every)} rungs share the largest compute, "
        f"{format_flops(flops)} FLOPs within {SAME_BUDGET:.0%} ({shown}), so there is no one top rung: "
        "each is measured at the compute a prediction of another is for, and no prediction "
        "would be an extrapolation",
        hint=f"{_USE}; for an IsoFLOP ladder, train it and predict its largest budget "
        "from the others with `scalinglab backtest --store STORE --holdout top-scales:1`",
    )


def not_predicted(top: RungConfig, store: Path, finished: Iterable[StoredRun]) -> ConfigError:
    """Why ``--predict-top`` shows no prediction of ``top``, which finished in an earlier
    call that did not predict it: one made now, after it trained, would not be one. The
    backtest it points to fits the law ``--predict-top`` would have fitted to the rungs
    below (``finished``: the ladder's finished rungs), which backtest's own default
    (``chinchilla``, five parameters) refuses for a ladder of under seven rungs."""
    from scalinglab.execute._predict import choose_law  # it imports this module

    lower = [run for run in finished if run.run_id != top.run_id]
    law = f" --law {choose_law(lower)[0]}" if len(lower) >= MIN_LOWER_RUNGS else ""
    return ConfigError(
        f"it finished in an earlier call that did not predict it, and a prediction now, "
        f"after it trained, would not be one; `scalinglab backtest --store "
        f"{shlex.quote(str(store))}{law} --holdout largest:1` predicts it from the rungs below"
    )


def top_rung(ladder: LadderSpec) -> RungConfig:
    """The rung of the most training FLOPs (the first of equals)."""
    from scalinglab.ladder import rung_counts

    return max(ladder.rungs, key=lambda r: rung_counts(r).flops)


def check_ladder(ladder: LadderSpec) -> None:
    """Refuse ``--predict-top`` for ``ladder`` before any rung trains: under
    :data:`MIN_LOWER_RUNGS` rungs below the top one, or rungs sharing its compute budget.

    Raises:
        ConfigError: Saying which and what to do.
    """
    from scalinglab.ladder import rung_counts

    check_rungs(len(ladder.rungs) - 1, finished=False)
    top = top_rung(ladder)
    others = [(r.name, rung_counts(r).flops) for r in ladder.rungs if r is not top]
    check_top(top.name, rung_counts(top).flops, others)
