"""Ladder runs' exact schedules, read from the config each run's row in a store keeps.

A ladder rung logs its learning rate every few steps; rebuilt from those points, the
schedule's warm-up and peak are guesses from the logging grid. The store keeps the rung's
config (peak ``lr``, ``warmup_fraction`` or ``warmup_steps``, ``schedule``), from which the
ladder's own schedule gives the rate of every step, so a ladder run's curve gets that one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from scalinglab._errors import ScalingLabError
from scalinglab._format import format_counted, format_g
from scalinglab.curves._schedules import Schedule

if TYPE_CHECKING:
    import pandas as pd

    from scalinglab.curves._curve import Curve

__all__ = ["ladder_schedule", "with_ladder_schedules"]


def ladder_schedule(config: Mapping[str, object]) -> Schedule | None:
    """The exact per-step schedule of a ladder rung from its stored config, indexed as a
    curve's logged steps are (the rate at step ``s`` is the one of the ``s``-th update, as
    the trainer logs it; step 0 precedes any update); ``None`` if it cannot be rebuilt."""
    from scalinglab.ladder._config import RungConfig
    from scalinglab.ladder._schedules import schedule_for

    try:
        rung = RungConfig.from_dict(dict(config))
    except (ScalingLabError, KeyError, TypeError, ValueError):
        return None
    train, steps = rung.train, rung.steps
    if steps < 1:
        return None
    multiplier = schedule_for(train, steps)
    lr = np.array([0.0] + [train.lr * multiplier(k) for k in range(steps)], dtype=np.float64)
    spec = f"ladder config: {train.schedule}, peak lr {format_g(train.lr)}, warm-up {train.warmup(steps)}"
    return Schedule(lr, warmup=train.warmup(steps), spec=spec)


def with_ladder_schedules(
    curves: Sequence[Curve], stored: pd.DataFrame, known: pd.DataFrame, said: Sequence[str]
) -> tuple[list[Curve], list[str]]:
    """``curves`` with each ladder run's schedule rebuilt from its stored config, and the
    notes ``said`` so far with one more saying so.

    Args:
        curves: The store's curves, their schedules rebuilt from the logged lr.
        stored: The store's runs (``run_id``, ``source``, ``config``).
        known: The curves' runs: ``run_id`` (the label in ``curves``: a name or an id)
            and, where labels are names, ``id``.
        said: The reading's notes so far.

    A rebuilt schedule that disagrees with a logged rate (a run trained otherwise than its
    config says) is not used: the logged one stays, and the note says for which runs.
    """
    ids = known["id" if "id" in known else "run_id"].astype(str)
    labels = dict(zip(ids, known["run_id"].astype(str), strict=True))
    configs = {
        labels.get(str(rid), str(rid)): text
        for rid, source, text in zip(
            stored["run_id"], stored["source"], stored["config"], strict=True
        )
        if isinstance(source, str) and source.startswith("ladder:") and text
    }
    out, exact, kept = [], [], []
    for curve in curves:
        text = configs.get(curve.run)
        sched = None if text is None else ladder_schedule(json.loads(text))
        if sched is None:
            out.append(curve)
            continue
        logged = curve.schedule.lr[curve.step[curve.step < sched.steps]]
        mine = sched.lr[curve.step[curve.step < sched.steps]]
        if curve.step.max() >= sched.steps or not np.allclose(mine, logged, rtol=1e-6):
            kept.append(curve.run)
            out.append(curve)
            continue
        exact.append(curve.run)
        out.append(replace(curve, schedule=sched))
    notes = list(said)
    if exact:
        notes.append(
            f"schedules of {format_counted(len(exact), 'ladder run')} from their stored config "
            "(peak lr, "
            "warm-up, schedule): the exact lr of every step, not rebuilt from the logged steps"
        )
    if kept:
        notes.append(
            f"warning: {format_counted(len(kept), 'ladder run')} logged rates "
            f"{'its' if len(kept) == 1 else 'their'} stored config does not give "
            f"({', '.join(kept[:3])}): {'its schedule is' if len(kept) == 1 else 'their schedules are'} "
            "rebuilt from the logged lr"
        )
    return out, notes
