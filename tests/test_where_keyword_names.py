"""``where``'s own pair is positional only, so a keyword names any text column, one
called ``value`` or ``column`` too (``where(value="high")`` met ``where``'s own ``value``
parameter and was refused as a condition without a column)."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import scalinglab
from scalinglab.data import read_curves
from scalinglab.downstream import Evals


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "run": ["a", "b", "c", "d"],
            "params": [1e6, 2e6, 4e6, 8e6],
            "tokens": [1e9, 2e9, 4e9, 8e9],
            "loss": [3.0, 2.8, 2.6, 2.4],
            "value": ["high", "low", "high", "low"],
            "column": ["x", "y", "y", "x"],
        }
    )


def test_a_text_column_named_value_or_column_is_a_keyword_condition() -> None:
    runs = scalinglab.read_runs(_frame())
    assert runs.where(value="high").runs == ("a", "c")
    assert runs.where(column="y").runs == ("b", "c")
    both = runs.where(column="y", value="high")  # two conditions, each narrowing the last
    assert both.runs == ("c",) and dict(both.kept_where) == {"column": "y", "value": "high"}
    assert runs.where("value", "low").runs == ("b", "d")  # the positional pair, as before
    assert runs.where(value="low").runs == runs.where("value", "low").runs


def test_curves_and_evals_take_the_same_keywords() -> None:
    frame = _frame()
    points = frame.loc[frame.index.repeat(2)].assign(tokens=[1e8, 1e9] * 4)
    curves = read_curves(points)
    assert curves.where(value="low").run_ids == ("b", "d")
    evals = Evals(runs=scalinglab.read_runs(frame), tasks=(), columns={})
    assert evals.where(column="x").runs.runs == ("a", "d")


def test_the_old_keyword_pair_still_selects_with_a_deprecation_warning() -> None:
    # where(column=, value=) was the documented form before the pair became positional only:
    # on a table without text columns of those names it keeps working for one release
    frame = _frame().drop(columns=["value", "column"]).assign(dataset=["c4", "c4", "rpj", "c4"])
    runs = scalinglab.read_runs(frame)
    with pytest.warns(
        DeprecationWarning, match=r"where\(column=\.\.\., value=\.\.\.\) is deprecated"
    ):
        kept = runs.where(column="dataset", value="c4")
    assert kept.runs == runs.where("dataset", "c4").runs == ("a", "b", "d")
    curves = read_curves(frame.loc[frame.index.repeat(2)].assign(tokens=[1e8, 1e9] * 4))
    with pytest.warns(DeprecationWarning, match="positional|by position"):
        assert curves.where(column="dataset", value="rpj").run_ids == ("c",)


def test_the_keyword_pair_names_columns_where_the_table_has_them() -> None:
    # a table with a text column 'value' (or 'column'): the keywords are conditions, no warning
    runs = scalinglab.read_runs(_frame())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        both = runs.where(column="y", value="high")
    assert both.runs == runs.where("column", "y").where("value", "high").runs
