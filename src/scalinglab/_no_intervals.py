"""The one line that says a result has no intervals: why (no bootstrap was asked, or every
resample failed) and what to run for them. Every command (``fit``, ``envelope``, ``isoflop``,
``curves fit``, ``loss2loss``, ``downstream``, ``hparams``) and every report page says it in
these words, so that the same cause reads the same wherever it is met.

Imports nothing heavy: ``--help`` and the report pages load it alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scalinglab._defaults import BOOTSTRAP, DOWNSTREAM_BOOTSTRAP, ISOFLOP_BOOTSTRAP
from scalinglab._format import format_grouped

__all__ = [
    "ASK",
    "chain_no_intervals",
    "exactly_three",
    "isoflop_no_intervals",
    "level_unused",
    "no_intervals_line",
    "no_intervals_said",
    "no_intervals_why",
    "none_note",
]

#: The resamples the line asks for where a command names none of its own: ``fit``'s default,
#: enough for 90% intervals whose ends are not single draws.
ASK = BOOTSTRAP


def asked(settings: Mapping[str, object]) -> int:
    """The resamples a fit's ``settings`` record it asked for (``bootstrap``; 0: none)."""
    n = settings.get("bootstrap", 0)
    return n if isinstance(n, int) else 0


def _why_and_what(requested: int, refit: str, ask: int = ASK) -> tuple[str, str]:
    """Why there are none (no bootstrap asked, or every resample failed), and what to run:
    ``ask`` resamples, the command's own default, never fewer than were asked (``add runs``
    alone where ``ask`` or more were; more resamples of the same runs fail alike)."""
    run = f"refit with {refit} --bootstrap {ask}" if refit else f"run with --bootstrap {ask}"
    if requested <= 0:
        asked = "the fit was made with no bootstrap" if refit else "no bootstrap was asked"
        return f"{asked} (--bootstrap 0)", run
    failed = (
        f"{format_grouped(requested)} of {format_grouped(requested)} bootstrap resamples failed"
    )
    if requested >= ask:  # as many as the line asks for: more runs, not more resamples
        return failed, f"add runs, then refit with {refit}" if refit else "add runs"
    return failed, f"add runs, then {run}"


def no_intervals_why(*, requested: int, refit: str = "") -> str:
    """Why there are no intervals, without what to run (for a note beside a line that says
    it): ``no bootstrap was asked (--bootstrap 0)``, or ``50 of 50 bootstrap resamples
    failed``."""
    return _why_and_what(requested, refit)[0]


def no_intervals_said(*, requested: int, kept: int = 0, refit: str = "") -> str:
    """Why there are no intervals and what to run, without the ``no intervals:`` head (for a
    page's sentence); ``""`` where ``kept`` resamples drew intervals.

    Args:
        requested: The resamples asked for (``--bootstrap N``; 0: none).
        kept: The resamples that gave a usable fit (and drew the intervals).
        refit: For a result read from a saved fit, the command that fitted it
            (``"hparams fit"``): the line says to refit with it rather than to rerun.

    Returns:
        ``no bootstrap was asked (--bootstrap 0); run with --bootstrap 200``,
        ``50 of 50 bootstrap resamples failed; add runs, then run with --bootstrap 200``, or
        ``1,000 of 1,000 bootstrap resamples failed; add runs``.
    """
    if kept > 0:
        return ""
    why, what = _why_and_what(requested, refit)
    return f"{why}; {what}"


def none_note(*, requested: int, ask: int = ASK) -> str:
    """A result's ``interval_note`` where it has no intervals: why, and the resamples to
    fit with, as Python and the command line spell them (``ask``: the command's default).

    Args:
        requested: The resamples the fit asked for (0: none).
        ask: The resamples to fit with, the fitting command's own default.

    Returns:
        ``none: the fit has no bootstrap (bootstrap=200; --bootstrap 200)``, or where every
        resample failed ``none: 50 of 50 bootstrap resamples failed (add runs, then
        bootstrap=200; --bootstrap 200)`` (``add runs`` alone from ``ask`` up).
    """
    run = f"bootstrap={ask}; --bootstrap {ask}"
    if requested <= 0:
        return f"none: the fit has no bootstrap ({run})"
    failed = (
        f"{format_grouped(requested)} of {format_grouped(requested)} bootstrap resamples failed"
    )
    return f"none: {failed} (add runs{'' if requested >= ask else f', then {run}'})"


def level_unused(level: float | None) -> str:
    """``", so --level L has no effect"`` for a ``level`` given, else ``""``: the end of the
    line that says why there are no intervals."""
    return "" if level is None else f", so --level {level:g} has no effect"


def no_intervals_line(
    *, requested: int, kept: int = 0, refit: str = "", level: float | None = None, ask: int = ASK
) -> str:
    """The line a command prints where it has no intervals (``no intervals:`` and
    :func:`no_intervals_said`), saying ``so --level L has no effect`` after the cause where a
    ``level`` was given; ``""`` where ``kept`` resamples drew intervals. ``ask``: the
    resamples to run with, the command's own default (``curves fit``'s 100, ``isoflop``'s
    1000; :data:`ASK`, ``fit``'s 200, where not given).

    >>> no_intervals_line(requested=0, level=0.8)
    'no intervals: no bootstrap was asked (--bootstrap 0), so --level 0.8 has no effect; run with --bootstrap 200'
    """
    if kept > 0:
        return ""
    why, what = _why_and_what(requested, refit, ask)
    return f"no intervals: {why}{level_unused(level)}; {what}"


def exactly_three(budget: Any) -> bool:
    """A budget of exactly 3 runs at 3 sizes: its parabola passes through them."""
    return len(budget.runs) == 3 and len(set(budget.params)) == 3


def isoflop_no_intervals(
    iso: Any, *, level: float | None = None, ask: int = ISOFLOP_BOOTSTRAP
) -> str:
    """Why an isoFLOP (or envelope) analysis ``iso`` has no intervals on its power laws, in
    :func:`no_intervals_line`'s words (every resample failed: none gave a line through the
    vertices), or that each budget used holds exactly 3 runs (a parabola through them does
    not move under resampling); ``""`` where the laws have intervals. ``ask``: the
    resamples to run with, ``isoflop``'s and ``envelope``'s default."""
    samples = iso.params_law.samples
    if samples is not None and len(samples):
        return ""
    used = [b for b in getattr(iso, "budgets", ()) if b.used]
    if iso.n_bootstrap and used and all(exactly_three(b) for b in used):
        unused = "" if level is None else f", so --level {level:g} has no effect"
        return (
            "no intervals: every budget used holds exactly 3 runs, and a parabola through 3 "
            f"runs does not move under resampling{unused}; train 4 or more sizes per budget"
        )
    return no_intervals_line(requested=iso.n_bootstrap, level=level, ask=ask)


def chain_no_intervals(
    chain: Any, *, saved: bool = False, level: float | None = None, ask: int = DOWNSTREAM_BOOTSTRAP
) -> str:
    """:func:`no_intervals_line` for a downstream chain (``DownstreamFit``): its resamples
    kept are the rows of the loss law's draws that are finite; ``""`` where some are.
    ``saved``: read from a file ``downstream fit --out`` wrote (the line says to refit).
    ``ask``: the resamples to run with, ``downstream fit``'s default."""
    import numpy as np  # the chain holds NumPy draws: loaded with it

    samples = chain.loss_step.samples
    finite = 0 if samples is None else int(np.sum(np.all(np.isfinite(samples), axis=1)))
    refit = "scalinglab downstream fit" if saved else ""
    return no_intervals_line(
        requested=chain.n_bootstrap, kept=finite, refit=refit, level=level, ask=ask
    )
