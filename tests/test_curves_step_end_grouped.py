"""Runs that log no lr, logged up to the ``steps`` of the one schedule given (a store of
fourteen such runs), are read as counted in updates done in one note naming them, not one
note per run (``curves fit --store`` printed fourteen identical lines)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests._cli import cli

from scalinglab.curves import read_lr_curves

SPEC = "constant:peak=3e-4,steps=1000"


def _runs(names: list[str], *, zero: tuple[str, ...] = ()) -> pd.DataFrame:
    """Each run logged at steps 50..1000 (updates done); those in ``zero`` at step 0 too."""
    parts = []
    for k, name in enumerate(names):
        step = np.arange(0 if name in zero else 50, 1001, 50)
        parts.append(pd.DataFrame({"run": name, "step": step, "loss": 3 + k / 10 + 2 / (1 + step)}))
    return pd.concat(parts, ignore_index=True)


def _notes(frame: pd.DataFrame) -> list[str]:
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        read_lr_curves(frame, schedule=SPEC)
    return [str(w.message) for w in said if "read as updates done" in str(w.message)]


def test_one_note_names_every_run_read_so() -> None:
    names = [f"r{k}" for k in range(5)]
    (note,) = _notes(_runs(names, zero=("r1",)))
    assert note.startswith(
        "5 runs (<DataFrame>: 'r0', 'r1', 'r2' and 2 more) are logged up to step 1000, the 1000 "
        "steps of the schedule given (constant:peak=0.0003,steps=1000): their steps read as "
        "updates done"
    )
    assert "the point of 'r1' at step 0, the loss before any update, left out" in note
    assert note.endswith("if their steps count from 0, they ran 1001 steps: give steps=1001")


def test_one_run_is_said_as_before() -> None:
    (note,) = _notes(_runs(["solo"]))
    assert note.startswith("run 'solo' (<DataFrame>) is logged up to step 1000")
    assert ": its steps read as updates done" in note
    assert note.endswith("if its steps count from 0, it ran 1001 steps: give steps=1001")


def test_on_the_command_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "curves.csv"
    _runs([f"r{k}" for k in range(4)]).to_csv(path, index=False)
    code, _, err = cli(capsys, "curves", "fit", str(path), "--schedule", SPEC, "--law", "tissue",
                       "--bootstrap", "0")  # fmt: skip
    assert code == 0, err
    assert " ".join(err.split()).count("read as updates done") == 1
