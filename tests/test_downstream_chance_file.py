"""Chance levels read from a file (``--chance``): percent signs, percent columns, mixtures."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from scalinglab import DataError
from scalinglab.downstream import read_chance


def chance_file(tmp_path: Path, *levels: str) -> Path:
    path = tmp_path / "chance.csv"
    rows = "".join(f"t{i},{v}\n" for i, v in enumerate(levels))
    path.write_text("task,chance\n" + rows, encoding="utf-8")
    return path


def test_a_level_with_a_percent_sign_is_a_percentage(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy "All-NaN slice" either
        got = read_chance(chance_file(tmp_path, "10%", "0.25", ""))
    assert got == {"t0": pytest.approx(0.1), "t1": 0.25}  # a blank level is none


def test_a_column_in_percent_is_divided_by_100(tmp_path: Path) -> None:
    assert read_chance(chance_file(tmp_path, "25", "50", "0")) == {"t0": 0.25, "t1": 0.5, "t2": 0}


def test_percentages_mixed_with_fractions_are_refused_naming_the_odd_row(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 3.*fractions \(1 at most 1\): 0\.1 \(row 3\)"):
        read_chance(chance_file(tmp_path, "25", "0.1", "50"))


def test_a_level_that_is_not_a_number_is_refused_naming_its_row(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 3.*not a chance level: 'abc' for task 't1'"):
        read_chance(chance_file(tmp_path, "25", "abc"))


def test_a_marked_level_over_100_percent_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"row 2.*'120%' of task 't0' is outside 0-100%"):
        read_chance(chance_file(tmp_path, "120%"))


def test_a_task_listed_twice_with_different_levels_is_refused_naming_its_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "chance.csv"
    path.write_text("task,chance\nmytask,0.25\nother,0.5\nmytask,0.3\n", encoding="utf-8")
    with pytest.raises(DataError) as info:
        read_chance(path)
    assert str(info.value) == (
        f"{path}, row 4, column 'chance': task 'mytask' has 2 different chance levels: "
        "0.25 (row 2), 0.3 (row 4) (keep one row for 'mytask': which level is its chance?)"
    )
    path.write_text("task,chance\nmytask,0.25\nmytask,25%\n", encoding="utf-8")
    assert read_chance(path) == {"mytask": 0.25}  # the same level twice: read once


def test_mixed_levels_past_five_say_how_many_more(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"0\.5 \(row 14\); and 2 more \(write"):
        read_chance(chance_file(tmp_path, *["50"] * 8, *[f"0.{i}" for i in range(1, 8)]))


def test_a_level_given_over_a_built_in_one_is_said_with_both(tmp_path: Path) -> None:
    from tests.test_downstream_chain import MULTS, SIZES, models

    from scalinglab.downstream import read_evals

    frame = models(np.random.default_rng(3), SIZES, MULTS[:3])  # tasks task, flat, hellaswag
    path = tmp_path / "chance.csv"
    path.write_text("task,chance\nhellaswag,0.3\ntask,0.2\n", encoding="utf-8")
    evals = read_evals(frame, chance=path)
    assert evals.chance["hellaswag"] == 0.3
    said = [n for n in evals.notes if n.startswith("chance level")]
    assert said == [f"chance level of hellaswag: 0.3 from {path}, in place of its built-in 0.25"]
    same = read_evals(frame, chance={"hellaswag": 0.25, "task": 0.2})  # as built in: no note
    assert not [n for n in same.notes if n.startswith("chance level")]
    assert "chance level of hellaswag: 0.5 from chance=, in place of its built-in 0.25" in (
        read_evals(frame, chance={"hellaswag": 0.5}).notes
    )
