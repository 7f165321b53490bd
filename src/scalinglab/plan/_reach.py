"""Whether a law's point estimate gives a compute for a target loss, said the same way for
every law: a target at or below its irreducible loss, one past the largest compute searched,
and one reached already with the least compute planned (:data:`C_MIN`) are each refused in
one message, whichever way the compute was found (Chinchilla's closed form, bisection)."""

from __future__ import annotations

import math
from collections.abc import Callable

from scalinglab._errors import ConfigError, UnreachableError
from scalinglab._format import format_g
from scalinglab.laws._irreducible import irreducible
from scalinglab.plan._search import C_MAX, C_MIN
from scalinglab.plan._source import Rows, no_finite_prediction

__all__ = ["check_point_reaches"]


def check_point_reaches(
    rows: Rows, target: float, log_c: float, loss_at: Callable[[float], float]
) -> None:
    """Raise if the law's point estimate (row 0 of ``rows``) gives no compute for ``target``
    within ``[C_MIN, C_MAX]``.

    Args:
        rows: The law and its values.
        target: The target loss.
        log_c: The compute found for the point estimate, ``log C`` (``inf`` if out of reach;
            at most ``log C_MIN`` where the target is reached with the least compute).
        loss_at: ``log C`` -> the point estimate's compute-optimal loss there.

    Raises:
        UnreachableError: A target at or below the irreducible loss, or not reached with
            ``C_MAX`` FLOPs.
        ConfigError: A target reached already with ``C_MIN`` FLOPs.
        DataError: A law whose numbers give no finite compute.
    """
    law, point = rows.law, rows.values[0]
    floor = irreducible(law)
    E = math.nan if floor is None else float(point[law.param_names.index(floor)])
    if log_c == math.inf and target <= E:
        raise UnreachableError(
            f"target loss {format_g(target)} is at or below the irreducible loss {floor} = "
            f"{format_g(E)} of this law; no compute reaches it",
            hint=f"choose a target above {format_g(E)}",
        )
    if log_c == math.inf:
        lowest = format_g(loss_at(math.log(C_MAX)), 4)
        raise UnreachableError(
            f"target loss {format_g(target)} is not reached by compute-optimal training with up to "
            f"{format_g(C_MAX, 1)} FLOPs under law {law.name!r} (the lowest loss there is {lowest})",
            hint=f"choose a target above {lowest}",
        )
    if log_c <= math.log(C_MIN):
        least = format_g(loss_at(math.log(C_MIN)), 4)
        raise ConfigError(
            f"target loss {format_g(target)} is already reached with {format_g(C_MIN, 1)} FLOPs "
            f"under law {law.name!r}, the least compute planned ({format_g(C_MIN, 1)} to "
            f"{format_g(C_MAX, 1)} FLOPs): its compute-optimal loss there is {least}",
            hint=f"choose a target loss below {least}",
        )
    if not math.isfinite(log_c):
        raise no_finite_prediction(rows, f"the compute for target loss {format_g(target)}")
