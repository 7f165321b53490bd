"""A run resumed from a checkpoint logs its steps again (11000, then 10000 on): the later
rows supersede the earlier ones at those steps, as a tracker's resume does, with a note;
steps that go back in no way a resume explains are still refused, with a hint that no
longer says to merely sort (which interleaved the two segments)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_curves_reading import _frame

from scalinglab import DataError
from scalinglab.cli._curves_input import logged_schedule
from scalinglab.curves._data import read_noted
from scalinglab.curves._logged import resumed


def _resumed_file(path: Path) -> tuple[Path, pd.DataFrame]:
    """The three runs, 'con' resumed at step 1000 after logging to 1500: the rows it logs
    again carry a loss 0.01 lower, so that which rows were kept shows."""
    frame = _frame()
    con = frame[frame["run_name"] == "con"]
    before = con[con["_step"] <= 1500]
    again = con[con["_step"] >= 1000].assign(**{"train/loss": lambda f: f["train/loss"] - 0.01})
    others = frame[frame["run_name"] != "con"]
    pd.concat([before, again, others], ignore_index=True).to_csv(path, index=False)
    return path, again


def test_a_resumed_run_keeps_its_later_rows_with_a_note(tmp_path: Path) -> None:
    path, again = _resumed_file(tmp_path / "resumed.csv")
    curves, notes, _, _ = read_noted(path)
    con = next(c for c in curves if c.run == "con")
    assert np.all(np.diff(con.step) > 0) and len(con) == len(_frame().query("run_name == 'con'"))
    late = con.step >= 1000
    assert np.array_equal(con.loss[late], again["train/loss"].to_numpy())
    # row 2 holds step 200 (the header is row 1): 1500 is row 28, 1000 row 29
    assert notes[0] == (
        f"run 'con' ({path}) was resumed: its steps go from 1500 back to 1000 at row 29; the "
        "11 earlier rows at the steps logged again are superseded by the later logging, as "
        "a tracker's resume logs over them, and dropped"
    )
    sched = logged_schedule(path, run="con")  # a schedule file is read alike
    assert sched.steps == con.schedule.steps and "was resumed" in sched.notes[0]


def test_steps_that_go_back_in_no_way_a_resume_explains_are_refused(tmp_path: Path) -> None:
    frame = _frame()
    con = frame[frame["run_name"] == "con"]
    # logged again from its first step: another run under the same name, not a resume
    # (it said "steps must increase" and to sort the rows, which would interleave the two)
    twice = pd.concat([con, con], ignore_index=True)
    twice.to_csv(tmp_path / "twice.csv", index=False)
    with pytest.raises(DataError) as err:
        read_noted(tmp_path / "twice.csv")
    last, first, n = con["_step"].iloc[-1], con["_step"].iloc[0], len(con)
    # the header is row 1: row n + 2 is the second logging's first
    assert err.value.message == (
        f"{tmp_path / 'twice.csv'}, row {n + 2}, column '_step': run 'con' is logged again from "
        f"its start: its steps go from {last} back to {first}, at or before its first logged "
        f"step {first}: two runs under one name, or a run restarted from scratch"
    )
    assert err.value.hint == (
        "give each run its own name in the run column, or keep the rows of the one to fit "
        "(of a run restarted from scratch, the later ones); sorting the rows by step would "
        "mix them"
    )
    # kept as the hint says, the later rows read as one run
    con.to_csv(tmp_path / "kept.csv", index=False)
    assert len(read_noted(tmp_path / "kept.csv")[0][0]) == n
    shuffled = con.sample(frac=1.0, random_state=0)
    shuffled.to_csv(tmp_path / "shuffled.csv", index=False)
    with pytest.raises(DataError, match="steps must increase") as err:
        read_noted(tmp_path / "shuffled.csv")
    assert err.value.hint.startswith("sort the rows by step; where a run was resumed")


def test_resumed_reads_several_restarts_and_refuses_one_row_segments() -> None:
    step = np.array([0, 10, 20, 30, 15, 25, 35, 45, 40, 50, 60], dtype=float)
    keep, note = resumed(step, list(range(2, 13)), who="run 'a'") or (None, "")
    assert keep is not None and step[keep].tolist() == [0, 10, 15, 25, 35, 40, 50, 60]
    assert "from 30 back to 15 at row 6; from 45 back to 40 at row 10; the 3 earlier" in note
    assert resumed(np.array([0, 10, 20, 5, 30.0]), [1, 2, 3, 4, 5], who="a") is not None
    assert resumed(np.array([0, 10, 20, 30, 5.0]), [1, 2, 3, 4, 5], who="a") is None
    assert resumed(np.array([0, 10, 20.0]), [1, 2, 3], who="a") is None
