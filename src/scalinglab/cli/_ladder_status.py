"""The rows ``scalinglab ladder status`` shows: the store's ladder rungs, whether a rung
marked running is still training (its worker holds the rung's lock), finishing (its result
written, not yet recorded) or was interrupted (no worker's lock, and for Ray and SLURM no
driver's lock either), and the rungs of a known ladder config that
have not started."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError, ScalingLabError
from scalinglab.execute._workdirs import driver_alive, remembered_workdir, worker_alive

__all__ = ["status_rows"]


def status_rows(
    runs: Iterable[Any], ladder: str | None, workdir: Path | None, *, default: Path
) -> list[dict[str, Any]]:
    """One row per ladder rung among ``runs`` (only ``ladder``'s when given), oldest first,
    with the progress a running rung last wrote under ``workdir`` (``None``: the one the
    store recorded for the rung, else ``default``), in the row's ``workdir``; a failed,
    diverged or interrupted row's ``superseded_by`` is the run id of a later attempt of the
    same rung that finished.

    A rung stored ``running`` whose lock is free is ``finishing`` when its result is in its
    folder, ``interrupted`` when it trained on this machine or its driver is gone (see
    :func:`_unlocked`); the
    ``backend`` of a row is where it trained (``None``: not started). ``ladder`` may name a
    ladder in the store, a built-in recipe or a TOML file: a recipe's or file's rungs not
    in the store are listed ``pending``; a built-in recipe's run in the store lists its
    not-started rungs too.

    Raises:
        ConfigError: If ``ladder`` is neither in the store nor a recipe or ladder file.
    """
    # (a run ingested without a source reads back NaN there, hence the isinstance)
    runs = [r for r in runs if isinstance(r.source, str) and r.source.startswith("ladder:")]
    held = list(dict.fromkeys(str(r.source)[len("ladder:") :] for r in runs))
    specs = _known_specs(ladder, held, {r.run_id for r in runs})
    if ladder is not None:
        name = specs[0].name if specs else ladder
        runs = [r for r in runs if r.source == f"ladder:{name}"]
    rows = [_row(r, workdir or remembered_workdir(r) or default) for r in runs]
    for spec in specs:  # a rung tried under another config (another run id) has its rows
        tried = {row["name"] for row in rows if row["ladder"] == spec.name}
        rows += [_pending(spec.name, rung) for rung in spec.rungs if rung.name not in tried]
    _mark_superseded(rows)
    return rows


def _known_specs(ladder: str | None, held: list[str], stored: set[str]) -> list[Any]:
    """The ladder configs whose not-started rungs can be listed: ``ladder``'s (a recipe or
    TOML file), else the built-in recipes of which the store holds a rung (by run id)."""
    from scalinglab.ladder import get_recipe, recipe_names

    if ladder is None:  # a built-in recipe's, when a stored run is one of its rungs
        specs = [get_recipe(name) for name in held if name in recipe_names()]
        return [s for s in specs if {r.run_id for r in s.rungs} & set(stored)]
    try:
        spec = get_recipe(ladder)
    except ScalingLabError:
        if ladder in held:
            return []
        raise ConfigError(
            f"no ladder {ladder!r} in the store, and no recipe or ladder file of that name",
            hint="ladders in the store: "
            + (", ".join(held) if held else "none")
            + "; or give a recipe or .toml file to list its rungs",
        ) from None
    return [spec]


def _row(r: Any, workdir: Path) -> dict[str, Any]:
    from scalinglab.execute._backend import read_progress
    from scalinglab.execute._workdirs import legacy_folder

    training = dict(r.extra.get("training") or {})
    folder = legacy_folder(r.run_id, workdir / r.run_id) or workdir / r.run_id
    progress = read_progress(folder) if r.status != "finished" else None
    status = r.status
    if status == "running" and not worker_alive(folder):
        status = _unlocked(folder, training.get("backend"))
    return {
        "ladder": str(r.source)[len("ladder:") :],
        "name": r.name,
        "run_id": r.run_id,
        "status": status,
        "backend": training.get("backend"),
        "params": r.params,
        "tokens": r.tokens,
        "flops": r.flops,
        "loss": r.loss,
        "wall_s": r.wall_s,
        "tokens_per_s": r.tokens_per_s,
        "steps": training.get("steps"),
        "step": progress.step if progress else None,
        "checkpoint_step": progress.checkpoint_step if progress else None,
        "resumed_from_step": training.get("resumed_from_step"),
        "error": (r.extra.get("error") or {}).get("message"),
        "superseded_by": None,
        "stored": True,
        "workdir": str(folder.parent),
    }


def _unlocked(folder: Path, backend: object) -> str:
    """The status of a rung stored ``running`` whose lock in ``folder`` no worker holds."""
    from scalinglab.execute._backend import RESULT

    if (folder / RESULT).is_file():
        return "finishing"  # its worker is done: the driver records it at its next poll
    if backend in ("local", "in-process"):
        return "interrupted"  # its worker ran here and would hold the lock: the driver died
    # a SLURM job queued or a Ray worker on another node holds no lock visible here, but
    # the driver that submitted it holds its own while it waits (a driver killed: none)
    return "running" if driver_alive(folder) else "interrupted"


def _pending(ladder: str, rung: Any) -> dict[str, Any]:
    """A rung of a known config that the store does not hold: not started."""
    from scalinglab.ladder import rung_counts

    c = rung_counts(rung)
    return {
        "ladder": ladder,
        "name": rung.name,
        "run_id": rung.run_id,
        "status": "pending",
        "backend": None,
        "params": c.params,
        "tokens": c.tokens,
        "flops": c.flops,
        "loss": None,
        "wall_s": None,
        "tokens_per_s": None,
        "steps": c.steps,
        "step": None,
        "checkpoint_step": None,
        "resumed_from_step": None,
        "error": None,
        "superseded_by": None,
        "stored": False,  # a rung of the config, not an attempt in the store
        "workdir": None,
    }


_ENDED_UNFINISHED = ("failed", "diverged", "interrupted")


def _mark_superseded(rows: list[dict[str, Any]]) -> None:
    """Set ``superseded_by`` of each failed, diverged or interrupted row (oldest first) to
    the run id of a later attempt of the same rung (same ladder and name, another config)
    that finished."""
    finished: dict[tuple[str, str], str] = {}
    for row in reversed(rows):
        key = (row["ladder"], row["name"])
        if row["status"] in _ENDED_UNFINISHED and key in finished:
            row["superseded_by"] = finished[key]
        elif row["status"] == "finished":
            finished[key] = row["run_id"]
