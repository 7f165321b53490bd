"""Which rungs of a ladder a run store already holds: the one match ``ladder run`` skips
by and ``ladder plan`` leaves out of its estimate, so the two never disagree."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec
    from scalinglab.store import StoredRun

__all__ = ["finished_rungs"]


def finished_rungs(ladder: LadderSpec, runs: Iterable[StoredRun]) -> dict[str, StoredRun]:
    """The rungs of ``ladder`` that ``runs`` hold finished, by ``run_id`` (the hash of a
    rung's whole config: a rung of the same name under another lr is another rung)."""
    wanted = {rung.run_id for rung in ladder.rungs}
    return {r.run_id: r for r in runs if r.run_id in wanted and r.status == "finished"}
