"""``fit --law auto`` and the one-line hint when another catalog law backtests clearly better.

Both come from :func:`scalinglab.validate.choose_law` (rolling-origin cuts on the runs being
fitted); the hint is only looked for when the fitted law is itself one of the candidates
for the runs' columns (a user's formula is the user's choice).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scalinglab._errors import ScalingLabError

if TYPE_CHECKING:
    from concurrent.futures import Future

    from scalinglab.data import RunTable

__all__ = ["AUTO", "auto_law", "hint", "hint_in_background"]

#: The ``--law`` value that asks for a choice.
AUTO = "auto"


def auto_law(table: RunTable, y: str, *, seed: int) -> Any:
    """The :class:`~scalinglab.validate.LawChoice` for these runs (raises if none can be made)."""
    from scalinglab.validate._choose import choose_law

    return choose_law(table, y=y, seed=seed)


def hint_in_background(
    law: str, table: RunTable, y: str, *, seed: int
) -> Future[tuple[str | None, Any]]:
    """:func:`hint` started on a thread, so that it runs while the law is fitted: its cut
    fits and the fit's compiled solves release the GIL, and the Python between them
    overlaps. Same result as :func:`hint` (nothing in it depends
    on timing); ``.result()`` waits for it and raises what it raised."""
    from concurrent.futures import ThreadPoolExecutor

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scalinglab-law-choice")
    future = pool.submit(hint, law, table, y, seed=seed)
    pool.shutdown(wait=False)
    return future


def hint(law: str, table: RunTable, y: str, *, seed: int) -> tuple[str | None, Any]:
    """``(line, choice)``: a line naming a clearly better law, or ``None``; and the choice."""
    from scalinglab.validate._choose import CANDIDATES, CLEARLY_BETTER, choose_law

    if not any(law in laws for laws in CANDIDATES.values()):
        return None, None
    try:
        choice = choose_law(table, y=y, seed=seed)
    except ScalingLabError:  # too few scales to compare: nothing to say
        return None, None
    better = choice.better_than(law)
    if better is None:
        return None, choice
    mine, best = choice.scores[law], choice.scores[better]
    line = (
        f"law {better!r} backtests clearly better on these runs (median extrapolation error "
        f"{best:.2%} against {mine:.2%} for {law!r}, under {CLEARLY_BETTER:.0%} of it); "
        f"try --law {better} or --law auto"
    )
    return line, choice
