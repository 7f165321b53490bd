"""Chance levels read from a file (``--chance``): percent signs, percent columns, mixtures."""

from __future__ import annotations

import warnings
from pathlib import Path

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
