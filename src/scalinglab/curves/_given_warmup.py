"""A warm-up given for curves with a logged lr (``--warmup``, ``warmup=``): checked against
the run's length, and against the logged rates themselves, which say where the warm-up
ends (the rate's first peak). A given warm-up that ends after the logged lr has peaked, or
before it stops rising, contradicts them: each such curve's schedule keeps a note
(:func:`contradiction`), and a fit or backtest says them as one warning
(:func:`contradicted`), naming the curves and where their lr peaks."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import ConfigError
from scalinglab._format import format_grouped, join_and

if TYPE_CHECKING:
    from numpy.typing import NDArray

    from scalinglab.curves._data import Curve

__all__ = ["CONTRADICTS", "check_warmup", "contradicted", "contradiction"]

#: How a schedule's note of a contradicted warm-up begins (said as a warning, not a note).
CONTRADICTS = "the warm-up given contradicts the logged lr"
_NOTE = re.compile(
    re.escape(CONTRADICTS) + r": (\d+) steps given, the lr first peaks at step (\d+)"
)


def check_warmup(warmup: int, total: int, source: str) -> None:
    """Refuse a warm-up below 0 or as long as the run (``total`` steps), naming ``source``.

    Raises:
        ConfigError: For a negative warm-up, or one that does not fit in the run.
    """
    if warmup < 0:
        raise ConfigError(
            f"{source}: a warm-up of {warmup} steps is negative",
            hint="give 0 steps or more (--warmup; warmup= in Python), or leave it out "
            "to take the steps before the rate first peaks",
        )
    if warmup >= total:
        raise ConfigError(
            f"{source}: a warm-up of {warmup} steps does not fit in the {total} steps logged",
            hint="give a warm-up shorter than the run (--warmup; warmup= in Python), "
            "or leave it out to take the steps before the rate first peaks",
        )


def contradiction(step: NDArray[np.float64], lr: NDArray[np.float64], warmup: int) -> str | None:
    """The note for a given ``warmup`` the logged ``lr`` (at ``step``) contradicts: it ends
    after the first logged step at the peak rate, or before the logged step ahead of it (the
    rate still rising there); between the two the logs cannot tell (``None``)."""
    top = lr.max() * (1 - 1e-9)
    i = int(np.argmax(lr >= top))
    peak = int(step[i])
    rising = i > 0 and warmup < int(step[i - 1])  # logged below the peak after it ended
    if warmup <= peak and not rising:
        return None
    return f"{CONTRADICTS}: {warmup} steps given, the lr first peaks at step {peak}"


def contradicted(curves: Sequence[Curve], *, what: str = "curves") -> list[str]:
    """One warning for the curves whose given warm-up their logged lr contradicts, naming
    them by where their lr first peaks (``what``: how they are called, ``held-out curves``)."""
    given: dict[int, dict[int, list[str]]] = {}
    for c in curves:
        for note in c.schedule.notes:
            if (m := _NOTE.match(note)) is not None:
                given.setdefault(int(m[1]), {}).setdefault(int(m[2]), []).append(c.run)
    out = []
    for warmup, peaks in given.items():
        runs = [r for names in peaks.values() for r in names]
        where = join_and(
            [f"{_runs(names)} at step {format_grouped(p)}" for p, names in sorted(peaks.items())]
        )
        out.append(
            f"a warm-up of {format_grouped(warmup)} steps was given (--warmup; warmup=), and the logged lr of "
            f"{len(runs)} {what if len(runs) > 1 else what.removesuffix('s')} contradicts it, "
            f"first peaking {'before it ends' if all(p < warmup for p in peaks) else 'elsewhere'}: "
            f"{where}; their warm-up is counted as {format_grouped(warmup)} steps all the same. "
            "Leave --warmup out to take each run's own (the steps before its logged lr first "
            "peaks), or give the step where it peaks"
        )
    return out


def _runs(names: list[str]) -> str:
    shown = names[:4] + ["..."] * (len(names) > 4)
    return ", ".join(shown)
