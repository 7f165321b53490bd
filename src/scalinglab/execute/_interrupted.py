"""What a Ctrl-C leaves of a ladder run: the rungs it stopped, where each resumes, and the
report of what finished before it (:class:`LadderInterrupted`)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from scalinglab._errors import ScalingLabError
from scalinglab.execute._signals import interrupts_deferred

if TYPE_CHECKING:
    from scalinglab.execute._backend import RunHandle
    from scalinglab.execute._record import LadderReport
    from scalinglab.ladder import RungConfig, TrainProgress
    from scalinglab.store import RunStore

__all__ = ["LadderInterrupted", "StoppedRung", "stop_rungs"]


@dataclass(frozen=True)
class StoppedRung:
    """A rung the driver stopped before it ended; a rerun resumes it.

    Attributes:
        name: The rung's name.
        run_id: Its store key.
        steps: Its steps in total.
        folder: Its work folder (checkpoint, progress, ``worker.log``).
        step: The step its worker last reported, or ``None`` before its first report.
        checkpoint_step: The step of its latest checkpoint, which a rerun resumes from
            (0: none yet; ``None``: not reported).
    """

    name: str
    run_id: str
    steps: int
    folder: Path
    step: int | None = None
    checkpoint_step: int | None = None


class LadderInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped :func:`~scalinglab.execute.run_ladder`; still a ``KeyboardInterrupt``
    (code that catches that sees no change), carrying what the run left.

    Attributes:
        report: Every rung of the ladder: those finished, recorded, skipped or failed
            before the interrupt, the stopped ones with status ``"interrupted"`` and those
            not started with ``"pending"``.
        stopped: The rungs stopped while they trained (or were being submitted), in the
            order they were submitted.
    """

    def __init__(self, report: LadderReport, stopped: Sequence[StoppedRung]) -> None:
        super().__init__(f"ladder {report.ladder} interrupted")
        self.report = report
        self.stopped = tuple(stopped)


def stop_rungs(
    store: RunStore,
    active: Sequence[RunHandle],
    submitting: Sequence[RungConfig],
    *,
    folder: Callable[[RungConfig], Path],
) -> tuple[StoppedRung, ...]:
    """Mark the rungs of ``active`` handles (and ``submitting``, not yet handed back by the
    backend) pending where the store holds them running, so it never claims they run (a
    rung already recorded finished or failed keeps that), then stop their workers (their
    checkpoints stay); return each with the step its worker reached (``folder``: a rung's
    work folder)."""
    with interrupts_deferred():  # first, and deaf to a second Ctrl-C
        for rung in [h.rung for h in active] + list(submitting):
            with contextlib.suppress(ScalingLabError, OSError):
                stored = store.get_run(rung.run_id)
                if stored is not None and stored.status == "running":  # never an end status
                    store.set_status(rung.run_id, "pending")
    stopped: list[StoppedRung] = []
    for handle in active:  # (a Ctrl-C here skips one cancel, not the others)
        with contextlib.suppress(Exception, KeyboardInterrupt):
            handle.cancel()
        # read once the worker is gone: its last checkpoint, not one it was still writing
        progress = None
        with contextlib.suppress(Exception):
            progress = handle.progress()
        stopped.append(_stopped(handle.rung, handle.workdir, progress))
    return tuple(stopped) + tuple(_stopped(r, folder(r), None) for r in submitting)


def _stopped(rung: RungConfig, where: Path, progress: TrainProgress | None) -> StoppedRung:
    from scalinglab.ladder import rung_counts

    return StoppedRung(
        rung.name,
        rung.run_id,
        rung_counts(rung).steps,
        where,
        step=None if progress is None else progress.step,
        checkpoint_step=None if progress is None else progress.checkpoint_step,
    )
