"""A saved chain's warnings as ``downstream predict`` and ``downstream plan`` (``plan
--target-accuracy``) say them: once per command, and its ``law auto`` warning (the laws its
backtests could not tell apart put N* elsewhere:
:mod:`scalinglab.downstream._loss_unsettled`) in one short line pointing at the fit, whose
full text ``downstream fit`` said and the file and ``--json`` keep. The full line's advice
(``--law chinchilla``) is ``downstream fit``'s, which a predict or a plan does not take."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence

__all__ = ["chain_warnings"]

#: The parts of :func:`scalinglab.validate._unsettled.disagreement`'s line a short one says.
_UNSETTLED = re.compile(
    r"law auto: (?P<rival>\S+) backtests (?:within \d+% of|\d+% better than) (?P<chosen>\S+) "
    r"\(.*?, (?P<ratio>\d+(?:\.\d+)?)x apart, "
)


def chain_warnings(warnings: Sequence[str], *, fit: str | os.PathLike[str]) -> list[str]:
    """``warnings`` of the chain saved at ``fit`` as a predict or a plan prints them: a
    ``law auto`` one shortened (the rival, the chosen law, how far apart their N* lie, and
    where the whole warning is), the others as they are.

    >>> chain_warnings(["law auto: chinchilla backtests 4% better than overtraining (0.28% "
    ...     "vs 0.29%) but puts N* at 1e24 FLOPs at 65.5B against 85.9B, 1.31x apart, wider "
    ...     "than ..."], fit="ds.json")[0][:73]
    "law auto: the chain's loss law, overtraining, and chinchilla, tied in its"
    """
    said = []
    for line in warnings:
        found = _UNSETTLED.match(line)
        if found is None:  # a file's own wording, or another warning: said as it is
            said.append(line)
            continue
        said.append(
            f"law auto: the chain's loss law, {found['chosen']}, and {found['rival']}, tied "
            f"in its backtests, put N* {found['ratio']}x apart: the runs do not settle the "
            f"allocation (downstream fit's warning, in full in {os.fspath(fit)}'s warnings)"
        )
    return said
