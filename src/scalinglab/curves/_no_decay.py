"""A curve fit none of whose curves decays: what a falling learning rate gains is measured
by no curve, so the law's loss-drop parameters (the multi-power law's ``B``, ``C``,
``beta``, ``gamma``; Tissue's ``C``) are held by the warm-up alone, or by nothing, and a
prediction under a decaying schedule (cosine, WSD, a cooldown) is the law's guess.

The fit warns of it (:func:`no_decay_warning`, kept with its warnings and saved), and so
does every prediction from it under a schedule that decays (:func:`decay_unmeasured`), as
a coefficient at a bound is said by each. A law with no loss-drop term (``power-s1``,
``power-steps``) has nothing to warn of.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from scalinglab._format import join_and
from scalinglab.curves._schedule_defaults import DECAYED
from scalinglab.curves._sized import SizedLaw

if TYPE_CHECKING:
    from scalinglab.curves._laws import CurveLaw
    from scalinglab.curves._result import CurveFit
    from scalinglab.curves._schedules import Schedule

__all__ = ["decay_unmeasured", "decays", "no_decay_warning"]

#: How the warning begins, by which a prediction finds it among its fit's warnings.
_OPENING = "no fitted curve decays"
#: Parameters a curve law shares with the plain power law in the summed rate: not the drop.
_NOT_DROP = frozenset({"L0", "A", "alpha"})


def decays(schedule: Schedule) -> bool:
    """Whether ``schedule`` ends below :data:`DECAYED` of its peak, as the fit's defaults
    count a curve that decays."""
    return float(schedule.lr[-1]) < DECAYED * float(schedule.peak)


def no_decay_warning(law: CurveLaw, schedules: Sequence[Schedule]) -> str | None:
    """The warning for a fit of ``law`` to curves of ``schedules`` none of which decays, or
    ``None`` (one decays, or the law has no loss-drop parameter)."""
    base = law.base if isinstance(law, SizedLaw) else law
    drop = [n for n in base.param_names if n not in _NOT_DROP]
    if not drop or any(decays(s) for s in schedules):
        return None
    one = len(schedules) == 1
    return (
        f"{_OPENING} ({'the one curve ends' if one else f'each of the {len(schedules)} ends'} "
        f"within 1% of its peak rate): no curve measures what a decay gains, so "
        f"{join_and(drop)}, the law's loss drop under a falling rate, "
        f"{'is' if len(drop) == 1 else 'are'} held by the warm-up alone or by nothing, and a "
        "prediction under a decaying schedule (cosine, WSD, a cooldown) is the law's guess; "
        "fit a curve that decays too"
    )


def decay_unmeasured(fit: CurveFit, schedules: Sequence[Schedule]) -> str:
    """The fit's :func:`no_decay_warning` (marked ``warning: ``) where one of ``schedules``
    predicted decays, else ``""``: a constant schedule's prediction does not rest on it."""
    said = next((w for w in fit.warnings if w.startswith(_OPENING)), "")
    return f"warning: {said}" if said and any(decays(s) for s in schedules) else ""
