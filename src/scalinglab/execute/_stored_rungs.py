"""Which rungs of a ladder a run store already holds: the one match ``ladder run`` skips
by and ``ladder plan`` leaves out of its estimate, so the two never disagree; and the
rungs of the same names it holds under another config, which a fit of the store pools."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from scalinglab._format import format_counted
from scalinglab.store._config_diff import differing, selection_hint

if TYPE_CHECKING:
    from scalinglab.ladder import LadderSpec
    from scalinglab.store import StoredRun

__all__ = ["finished_rungs", "other_configs"]


def finished_rungs(ladder: LadderSpec, runs: Iterable[StoredRun]) -> dict[str, StoredRun]:
    """The rungs of ``ladder`` that ``runs`` hold finished, by ``run_id`` (the hash of a
    rung's whole config: a rung of the same name under another lr is another rung)."""
    wanted = {rung.run_id for rung in ladder.rungs}
    return {r.run_id: r for r in runs if r.run_id in wanted and r.status == "finished"}


def other_configs(ladder: LadderSpec, runs: Iterable[StoredRun]) -> str:
    """The note of the finished runs ``runs`` hold under the names of ``ladder``'s rungs but
    another config (the same ladder rerun with another lr into the same store): both are
    kept, and ``fit --store`` pools them; ``""`` where there are none."""
    rungs = {rung.name: rung for rung in ladder.rungs}
    ids = {rung.run_id for rung in ladder.rungs}
    others = [r for r in runs if r.name in rungs and r.run_id not in ids and r.status == "finished"]
    if not others:
        return ""
    stored: dict[str, list[Any]] = {}
    here: dict[str, list[Any]] = {}
    for run in others:
        for key, (old, new, *_) in differing([run.config, rungs[run.name].to_dict()]).items():
            stored.setdefault(key, []).extend([] if old in stored.get(key, []) else [old])
            here.setdefault(key, []).extend([] if new in here.get(key, []) else [new])
    said = "; ".join(
        f"{k} {', '.join(map(str, stored[k]))} here {', '.join(map(str, here[k]))}"
        for k in list(stored)[:3]
    )
    names = sorted({r.name for r in others})
    both = {k: stored[k] + here[k] for k in here}  # a key selects if it does on both sides
    return (
        f"{format_counted(len(names), 'rung')} of {'this name is' if len(names) == 1 else 'these names are'} "
        f"stored under another config ({said}): both "
        f"kept, and `fit --store` fits both; {selection_hint(both)}"
    )
