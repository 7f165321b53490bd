"""``curves fit --store``: a ladder run's schedule comes from its stored config (the exact
lr of every step), not rebuilt from its logged points; ``--law`` lists ``sized:``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._ladders import write_ladder

from scalinglab.cli import main
from scalinglab.curves import read_store_curves
from scalinglab.ladder import get_recipe
from scalinglab.ladder._schedules import schedule_for
from scalinglab.store import RunStore, StoredRun


def _store(tmp_path: Path, *, lr_scale: float = 1.0) -> tuple[Path, object]:
    toml = write_ladder(tmp_path / "m.toml", steps=(60,), corpus=tmp_path, warmup_steps=7)
    rung = get_recipe(str(toml)).rungs[0]
    steps, train = rung.steps, rung.train
    sched = schedule_for(train, steps)
    logged = np.arange(5, steps + 1, 5)  # as the trainer logs: every 5 steps, and the last
    frame = pd.DataFrame(
        {
            "step": logged,
            "tokens": logged * 256,
            "lr": [lr_scale * train.lr * sched(int(s) - 1) for s in logged],
            "train_loss": 5.0 * (logged + 10.0) ** -0.2,
            "eval_loss": np.nan,
        }
    )
    run = StoredRun(run_id=rung.run_id, name=rung.name, source="ladder:mini", params=1e4,
                    tokens=float(steps * 256), loss=2.0, config=rung.to_dict())  # fmt: skip
    path = tmp_path / "runs.duckdb"
    RunStore(path).put_run(run, curve=frame)
    return path, rung


def test_a_ladder_run_gets_its_exact_schedule(tmp_path: Path) -> None:
    path, rung = _store(tmp_path)
    with pytest.warns(UserWarning, match="schedules of 1 ladder run"):
        (curve,) = read_store_curves(path)
    sched = schedule_for(rung.train, rung.steps)  # type: ignore[attr-defined]
    expected = [0.0] + [rung.train.lr * sched(k) for k in range(rung.steps)]  # type: ignore[attr-defined]
    np.testing.assert_allclose(curve.schedule.lr, expected, rtol=1e-12)
    assert curve.schedule.warmup == 7 and curve.schedule.spec.startswith("ladder config: cosine")
    # the first logged point is at step 5, inside the 7-step warm-up: a rebuild would guess


def test_a_run_whose_logged_lr_disagrees_keeps_the_logged_one(tmp_path: Path) -> None:
    path, _ = _store(tmp_path, lr_scale=2.0)
    with pytest.warns(
        UserWarning, match="1 ladder run logged rates its stored config does not give"
    ):
        (curve,) = read_store_curves(path)
    assert curve.schedule.spec == "logged"


def test_curves_fit_help_lists_sized(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["curves", "fit", "--help"]) == 0
    assert "sized:multipower" in " ".join(capsys.readouterr().out.split())
