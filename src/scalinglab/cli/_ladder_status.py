"""The rows ``scalinglab ladder status`` shows: the store's ladder rungs with the status
``runs`` shows them with (:mod:`scalinglab.store._rung_status`: a rung marked running may
be finishing or interrupted, one a driver stopped is interrupted), and the rungs of a known
ladder config that have not started."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from scalinglab._errors import ConfigError, ScalingLabError
from scalinglab._rung_folders import remembered_workdir
from scalinglab.store._rung_status import is_rung, rung_folder, shown_status

__all__ = ["status_rows"]


def status_rows(
    runs: Iterable[Any], ladder: str | None, workdir: Path | None, *, default: Path
) -> list[dict[str, Any]]:
    """One row per ladder rung among ``runs`` (only ``ladder``'s when given), oldest first,
    with the progress a running rung last wrote under ``workdir`` (``None``: the one the
    store recorded for the rung, else ``default``), in the row's ``workdir``; a failed,
    diverged or interrupted row's ``superseded_by`` is the run id of a later attempt of the
    same rung that finished. A row names its rung ``rung``, as the table's column does (and
    ``name``, its old key, for one release).

    A rung's ``status`` is :func:`~scalinglab.store._rung_status.shown_status`'s (a rung
    stopped or whose driver or worker is gone: ``interrupted``); the ``backend`` of a row is where it trained (``None``: not started). ``ladder`` may name a
    ladder in the store, a built-in recipe or a TOML file: a recipe's or file's rungs not
    in the store are listed ``pending``; a built-in recipe's run in the store lists its
    not-started rungs too.

    Raises:
        ConfigError: If ``ladder`` is neither in the store nor a recipe or ladder file.
    """
    runs = [r for r in runs if is_rung(r)]
    held = list(dict.fromkeys(str(r.source)[len("ladder:") :] for r in runs))
    specs = _known_specs(ladder, held, {r.run_id for r in runs})
    if ladder is not None:
        name = specs[0].name if specs else ladder
        runs = [r for r in runs if r.source == f"ladder:{name}"]
    rows = [_row(r, workdir or remembered_workdir(r) or default) for r in runs]
    for spec in specs:  # a rung tried under another config (another run id) has its rows
        tried = {row["rung"] for row in rows if row["ladder"] == spec.name}
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

    training = dict(r.extra.get("training") or {})
    folder = rung_folder(r, workdir)
    progress = read_progress(folder) if r.status != "finished" else None
    return {
        "ladder": str(r.source)[len("ladder:") :],
        "rung": r.name,
        "name": r.name,  # the old key of "rung", kept one release
        "run_id": r.run_id,
        "status": shown_status(r, folder),
        "backend": training.get("backend"),
        "params": _count(r.params),
        "tokens": _count(r.tokens),
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


def _count(value: float | None) -> float | int | None:
    """A count the store holds as a float (``26232.0``) as the integer it is: the JSON
    writes ``26232``, as the plan and ``runs --json`` write counts."""
    integral = isinstance(value, float) and value.is_integer()
    return int(value) if integral and value is not None else value


def _pending(ladder: str, rung: Any) -> dict[str, Any]:
    """A rung of a known config that the store does not hold: not started."""
    from scalinglab.ladder import rung_counts

    c = rung_counts(rung)
    return {
        "ladder": ladder,
        "rung": rung.name,
        "name": rung.name,  # the old key of "rung", kept one release
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
        key = (row["ladder"], row["rung"])
        if row["status"] in _ENDED_UNFINISHED and key in finished:
            row["superseded_by"] = finished[key]
        elif row["status"] == "finished":
            finished[key] = row["run_id"]
