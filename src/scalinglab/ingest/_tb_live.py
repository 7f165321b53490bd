"""TensorBoard runs that may still be training.

TensorBoard records no run status: an event file looks the same while its writer is open as
after it closed. What is left is when it was last written: PyTorch's ``SummaryWriter`` and
TensorFlow's writers flush every 120 s by default, so a run still logging writes its event
file every two minutes or so. A run whose newest event file was written in the last
:data:`RECENT_S` seconds may still be training; it may as well have just ended, so such a run
is stored as before (``finished``, its loss so far) and named in a warning, not left out of
fits on a guess: the user knows which, and a re-ingest once it ends updates it. The warning
names the runs stored ``finished`` alone: it is made once their status is decided (a run
whose loss ended NaN is stored ``diverged``, and named in that warning instead; a run without
a loss is not stored).
"""

from __future__ import annotations

from collections.abc import Sequence

from scalinglab._format import format_counted, join_more

__all__ = ["RECENT_S", "ago", "live_note"]

#: How recently an event file was written for its run to be taken as maybe still training:
#: five default flush intervals.
RECENT_S = 600.0


def live_note(written: Sequence[tuple[str, float]], *, now: float) -> list[str]:
    """The warning for runs stored ``finished`` whose newest event file was written within
    :data:`RECENT_S`.

    Args:
        written: ``(run name, newest event file's modification time)`` of each run stored
            ``finished``.
        now: The time to measure from (seconds since the epoch).
    """
    recent = [(name, now - at) for name, at in written if now - at < RECENT_S]
    if not recent:
        return []
    shown = join_more([f"{name!r}: {ago(age)}" for name, age in recent], 3)
    one = len(recent) == 1
    return [
        f"warning: {format_counted(len(recent), 'run')} wrote {'its' if one else 'their'} "
        f"event files in the last {RECENT_S / 60:g} minutes ({shown}) and may still be "
        "training: TensorBoard records no run status, so "
        f"{'it is' if one else 'they are'} stored 'finished' with "
        f"{'its' if one else 'their'} loss so far; ingest again once "
        f"{'it has' if one else 'they have'} ended (a re-ingest updates "
        f"{'it' if one else 'them'})"
    ]


def ago(age: float) -> str:
    """How long ago, as a person says it: ``just now`` (under 10 s: an ingest run right after
    a flush), ``40 s ago`` under a minute, else whole minutes (``3 min ago``); never
    ``0.0 min ago``."""
    if age < 10:  # a clock a little ahead of the file's is "just now" too
        return "just now"
    return f"{age:.0f} s ago" if age < 59.5 else f"{age / 60:.0f} min ago"
