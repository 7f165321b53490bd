"""A run given again without its curve, compared with what it was stored with of that curve.

A W&B run ingested with its ``--history`` records the rule its final loss was taken by
(``extra.final_rule``: ``last``) and the names its curve was read from (``extra.mapping``:
``lr <- lr``, a quantity only the history logs). The same run read again from an export
with no history (its CSV without ``--history``, the API's JSON) records ``summary``, the
tracker's reported value, which is that curve's last point, and maps no ``lr``. The stored
curve stays (none was given); where the final values are the stored ones, the stored rule
and names still say how they came from it: the run is compared with them, so it is
unchanged rather than "updated" by a word. A value that changed still differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from scalinglab.store._record import StoredRun

__all__ = ["RULE", "with_stored_curve"]

#: The key in a run's ``extra`` naming how its final loss was taken.
RULE = "final_rule"
#: Rules that say a final value was read, not taken from a curve (``None``: a run table's
#: own value, recorded with no rule).
_READ = frozenset({None, "summary", "config"})
#: The final values a rule gives.
_FINALS = ("loss", "train_loss")


def with_stored_curve(stored: StoredRun, given: StoredRun) -> StoredRun:
    """``given`` (brought without a curve, so ``stored``'s curve is kept) with the stored
    rule and the stored names of quantities it maps none for, where the stored loss was
    taken from that curve and ``given``'s final values are the stored ones exactly; else
    ``given`` as it is.

    Args:
        stored: The run as stored, with a curve.
        given: The run given again with no curve.

    Returns:
        The run to compare with the stored one.
    """
    was, now = stored.extra.get(RULE), given.extra.get(RULE)
    if was in _READ or now not in _READ:
        return given
    # exact: the content hash compares the rest exactly, and a final value a bit off is a
    # value the rule no longer explains
    if any(getattr(stored, name) != getattr(given, name) for name in _FINALS):
        return given
    extra = {**given.extra, RULE: was}
    names, stored_names = given.extra.get("mapping"), stored.extra.get("mapping")
    if isinstance(names, Mapping) and isinstance(stored_names, Mapping):
        # a name mapped only then (lr: a logged schedule) was read from the curve: any value
        # read with it is among the values compared, so no change hides here
        extra["mapping"] = {**stored_names, **names}
    return replace(given, extra=extra)
