"""Step Law's sweep files (Li et al. 2025) name each run in ``exp_name``: it is a run
column as ``run_name`` is, in run tables, sweeps and curves alike (one list of names), so
the runs are named, not ``row<k>``, without ``--map run=exp_name``."""

from __future__ import annotations

import pandas as pd
import pytest
from tests.conftest import SHARED

import scalinglab
from scalinglab.data import read_curves
from scalinglab.data._column_map import RUN_NAMES
from scalinglab.data._column_names import RUN_COLUMNS
from scalinglab.data._curve_columns import CURVE_ALIASES

_STEPLAW = SHARED / "steplaw" / "dense_lr_bs_loss.dev.csv"


def test_every_reader_names_runs_from_one_list() -> None:
    assert "exp_name" in RUN_COLUMNS
    assert CURVE_ALIASES["run"] == RUN_COLUMNS
    assert RUN_COLUMNS[1:] == RUN_NAMES  # --map exp_name=COLUMN names the runs too


def test_exp_name_names_the_runs_of_a_table_and_of_curves() -> None:
    frame = pd.DataFrame(
        {
            "exp_name": ["s1_lr1e-3", "s1_lr3e-3", "s2_lr1e-3"],
            "N": [1e8, 1e8, 2e8],
            "D": [1e10, 1e10, 2e10],
            "loss": [2.9, 2.8, 2.6],
        }
    )
    runs = scalinglab.read_runs(frame)
    assert runs.runs == ("s1_lr1e-3", "s1_lr3e-3", "s2_lr1e-3")  # were row1, row2, row3
    assert runs.run_column == "exp_name"
    assert "run ids read from column 'exp_name'" in runs.notes
    assert runs.where("exp_name", "s2_lr1e-3").runs == ("s2_lr1e-3",)
    points = frame.loc[frame.index.repeat(2)].assign(D=[1e9, 1e10, 1e9, 1e10, 2e9, 2e10])
    curves = read_curves(points, columns={"tokens": "D", "params": "N"})
    assert curves.run_ids == ("s1_lr1e-3", "s1_lr3e-3", "s2_lr1e-3")


@pytest.mark.skipif(not _STEPLAW.exists(), reason="the shared Step Law data is not here")
def test_the_step_law_sweep_file_is_read_with_its_run_names() -> None:
    runs = scalinglab.read_runs(_STEPLAW)
    assert runs.run_column == "exp_name" and len(set(runs.runs)) == len(runs) == 1746
    assert runs.runs[0].startswith("step2v2_0618_h960_ffnh9368_numh15_numl7_lr3.453e-04")
