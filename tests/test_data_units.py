"""Human-readable quantities: what parse_quantity accepts, and what it refuses."""

from __future__ import annotations

import math

import numpy as np
import pytest

from scalinglab import _errors
from scalinglab.data import parse_quantity
from scalinglab.data._units import parse_values


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("70M", 7e7),
        ("70m", 7e7),  # m is million in run tables (OPT-125m), never milli
        ("400m", 4e8),
        ("1.4T", 1.4e12),
        ("1.5B", 1.5e9),
        ("1.5b", 1.5e9),
        ("7G", 7e9),
        ("2k", 2e3),
        ("2K", 2e3),
        ("1P", 1e15),
        ("70 M", 7e7),
        ("  3e21  ", 3e21),
        ("6.7e9", 6.7e9),
        ("1E-3", 1e-3),
        ("1.5e3M", 1.5e9),
        ("-2", -2.0),
        ("+2.5", 2.5),
        (".5", 0.5),
        ("5.", 5.0),
        ("1_000", 1000.0),
        ("1_000_000", 1e6),
        ("1,000", 1000.0),
        ("12,345,678.5", 12345678.5),
        ("1,000M", 1e9),
        (3, 3.0),
        (2.5, 2.5),
        (np.float32(0.5), 0.5),
        (np.int64(7), 7.0),
    ],
)
def test_parses(text: str | float, expected: float) -> None:
    assert parse_quantity(text) == pytest.approx(expected, rel=1e-15)


def test_nan_and_inf_pass_through() -> None:
    assert math.isnan(parse_quantity("nan"))
    assert parse_quantity("inf") == math.inf
    assert parse_quantity("-Infinity") == -math.inf


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "abc",
        "70X",
        "70MB",
        "1,5",
        "1,0000",
        "1__0",
        "_1",
        "1_",
        "2e",
        "M",
        "1.2.3",
        "--1",
    ],
)
def test_refuses(text: str) -> None:
    with pytest.raises(_errors.DataError, match="as a number") as info:
        parse_quantity(text, source="runs.csv", row=7, column="params")
    err = info.value
    assert (err.source, err.row, err.column) == ("runs.csv", 7, "params")
    assert "runs.csv, row 7, column 'params'" in str(err)
    assert "70M" in err.hint  # says how to write it


@pytest.mark.parametrize("value", [True, None, [1], {"a": 1}])
def test_refuses_non_numbers(value: object) -> None:
    with pytest.raises(_errors.DataError):
        parse_quantity(value)  # type: ignore[arg-type]


def test_parse_values_missing_cells_and_example() -> None:
    values, example = parse_values(
        ["1", "", "NA", "70M", None], [2, 3, 4, 5, 6], source="f", column="c"
    )
    assert np.isnan(values[[1, 2, 4]]).all()
    assert values[[0, 3]].tolist() == [1.0, 7e7]
    assert example is not None
    assert "'70M'" in example


def test_parse_values_names_the_bad_cell() -> None:
    with pytest.raises(_errors.DataError) as info:
        parse_values(["1", "2", "oops"], [2, 3, 4], source="runs.csv", column="N")
    assert info.value.row == 4
    assert info.value.column == "N"
    assert "'oops'" in str(info.value)


def test_parse_values_numeric_fast_path() -> None:
    values, example = parse_values(np.array([1, 2, 3]), [1, 2, 3], source="f", column="c")
    assert values.dtype == np.float64
    assert example is None
