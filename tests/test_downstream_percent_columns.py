"""Accuracies in percent, judged column by column (a wide table) and task by task (long
rows) by the rule ingest judges a tracker's metrics by, with a note; ``--percent`` still
says every column is; a bad value of long rows is named by the file's row and column, its
run and its task, not by a column the file does not have."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from tests.test_downstream_chain import MULTS, SIZES, models

from scalinglab import DataError
from scalinglab.downstream import read_evals
from scalinglab.downstream._fractions import accuracy, looks_percent


def small() -> pd.DataFrame:
    """Twelve models with three tasks' accuracies (task, flat, hellaswag), as fractions."""
    return models(np.random.default_rng(3), SIZES, MULTS[:3])


def long_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s accuracies as long rows (run, task, metric, value), run by run."""
    tasks = ["task", "flat", "hellaswag"]
    rows = [(r, t, "acc", frame.loc[i, f"acc_{t}"]) for i, r in enumerate(frame["run"])
            for t in tasks]  # fmt: skip
    return pd.DataFrame(rows, columns=["run", "task", "metric", "value"])


def test_one_column_in_percent_is_read_so_by_itself_with_a_note(tmp_path: Path) -> None:
    frame = small()
    frame["acc_flat"] = (frame["acc_flat"] * 100).round(2)  # one task in percent
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    evals = read_evals(path)
    np.testing.assert_allclose(evals.accuracy("flat"), frame["acc_flat"] / 100)
    np.testing.assert_allclose(evals.accuracy("task"), small()["acc_task"])  # untouched
    low, high = frame["acc_flat"].min(), frame["acc_flat"].max()
    assert (
        f"column 'acc_flat' read as percent (12 runs, {low:g}% to {high:g}%): read as "
        "fractions (divided by 100)"
    ) in evals.notes
    assert not [n for n in evals.notes if "acc_task" in n or "acc_hellaswag" in n]
    # --percent says every column is: a column of fractions then is refused, as before
    with pytest.raises(DataError, match="--percent, but every accuracy in acc_task is at most"):
        read_evals(path, percent=True)
    everything = small()
    everything[["acc_task", "acc_flat", "acc_hellaswag"]] *= 100
    every = read_evals(everything, percent=True)  # and a table all in percent is read, unsaid
    np.testing.assert_allclose(every.accuracy("hellaswag"), small()["acc_hellaswag"])
    assert not [n for n in every.notes if "read as percent" in n]


def test_a_fraction_in_a_column_read_as_percent_is_named_by_its_row(tmp_path: Path) -> None:
    frame = small()
    frame["acc_flat"] *= 100
    frame.loc[4, "acc_flat"] = 0.6  # meant 60
    path = tmp_path / "evals.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_evals(path)
    assert str(info.value) == (
        f"{path}, row 6, column 'acc_flat': 1 of 12 accuracies at most 1 in a column in "
        "percent (most of them above 1): 0.6 (row 6, run 'm4') (fix that row: the others are "
        "percentages (0.6 as a fraction is 60%))"
    )


def test_the_rule_is_ingests(tmp_path: Path) -> None:
    """One rule: a column is in percent when most of it is above 1 and none above 100."""
    assert looks_percent(pd.Series([30.0, 45.0, 0.5]))
    assert not looks_percent(pd.Series([0.3, 0.45, 50.0]))  # a typo among fractions
    assert not looks_percent(pd.Series([30.0, 45.0, 150.0]))  # no percentage is 150
    got = accuracy(pd.Series([30.0, 45.0]), "acc_x", "t.csv", percent=None)
    np.testing.assert_allclose(got, [0.3, 0.45])


def test_long_rows_judge_each_task_and_name_a_bad_value_by_its_row(tmp_path: Path) -> None:
    frame = small()
    frame["acc_flat"] *= 100
    rows = long_rows(frame)
    runs = frame[["run", "params", "tokens", "loss"]]
    path = tmp_path / "long.csv"
    rows.to_csv(path, index=False)
    evals = read_evals(path, runs=runs)
    want = small().set_index("run").loc[list(evals.runs.runs), "acc_flat"]  # as the table sorts
    np.testing.assert_allclose(evals.accuracy("flat"), want)
    assert any(n.startswith("task 'flat' read as percent (12 runs, ") for n in evals.notes)
    # a typo among fractions: the file's row (line 8: record 7), its column, run and task
    rows.loc[6, "value"] = 41.0  # m2's task
    rows.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_evals(path, runs=runs)
    assert str(info.value) == (
        f"{path}, row 8, column 'value': 1 of 12 accuracies above 1 among fractions of task "
        "'task': 41 (row 8, run 'm2', task 'task') (fix that row: an accuracy is a fraction "
        "correct (41% is 0.41))"
    )
    assert "acc_task" not in str(info.value)  # no column of the file
    rows["value"] = rows["value"].astype(object)
    rows.loc[6, "value"] = "abc"
    rows.to_csv(path, index=False)
    with pytest.raises(DataError) as info:
        read_evals(path, runs=runs)
    assert str(info.value) == (
        f"{path}, row 8, column 'value': not a number: 'abc' (run 'm2', task 'task', metric 'acc')"
    )
    # --percent on long rows of fractions: named by task and the file's column
    with pytest.raises(DataError) as info:
        read_evals(long_rows(small()), runs=runs, percent=True)
    assert str(info.value).startswith(
        "<DataFrame>, column 'value': --percent, but every accuracy of task 'task' is at most 1"
    )


def test_two_scores_of_one_run_and_task_name_their_rows_in_a_jsonl_file(tmp_path: Path) -> None:
    rows = long_rows(small())
    rows = pd.concat([rows, rows.iloc[[4]].assign(value=0.99)], ignore_index=True)
    path = tmp_path / "long.jsonl"
    rows.to_json(path, orient="records", lines=True)
    with pytest.raises(DataError) as info:
        read_evals(path, runs=small()[["run", "params", "tokens", "loss"]])
    assert info.value.row == 5  # a JSONL file's lines count from 1
    assert info.value.hint == "keep one row per run, task and metric (rows 5, 37)"
    assert "run 'm1' has 2 different 'flat' scores of metric 'acc'" in str(info.value)


def test_long_rows_written_with_percent_signs_or_beside_a_text_metric_are_read(
    tmp_path: Path,
) -> None:
    """The value column is text there (``55%``, an ``alias`` row): the scores are read into
    a numeric column, not written back into the text one (pandas 3 refused: TypeError)."""
    frame, runs = small(), small()[["run", "params", "tokens", "loss"]]
    rows = long_rows(frame).astype({"value": object})
    signed = rows.assign(value=[f"{v * 100:.4f}%" for v in rows["value"]])
    path = tmp_path / "pct.csv"
    signed.to_csv(path, index=False)
    evals = read_evals(path, runs=runs)
    want = frame.set_index("run").loc[list(evals.runs.runs), "acc_hellaswag"]
    np.testing.assert_allclose(evals.accuracy("hellaswag"), want, atol=1e-6)
    assert any(n.startswith("task 'hellaswag' acc read as percent (12 runs, ") for n in evals.notes)
    # a numeric table plus one text row of another metric: the acc rows are read as they are
    aliased = pd.concat(
        [rows, pd.DataFrame([["m0", "flat", "alias", "FLAT"]], columns=rows.columns)],
        ignore_index=True,
    )
    aliased.to_csv(path, index=False)
    evals = read_evals(path, runs=runs)
    want = frame.set_index("run").loc[list(evals.runs.runs), "acc_flat"]
    np.testing.assert_allclose(evals.accuracy("flat"), want)
    assert not [n for n in evals.notes if "read as percent" in n]
    assert "metric 'alias' of task 'flat' left out: text, not a score ('FLAT')" in evals.notes


def test_percent_signs_are_percent_whatever_percent_says_in_long_rows(tmp_path: Path) -> None:
    """``55%`` is a percentage with ``percent=True`` too (as a wide column of them is): read
    once as 0.55, never judged again as fractions that --percent would divide (refused)."""
    frame, runs = small(), small()[["run", "params", "tokens", "loss"]]
    rows = long_rows(frame).astype({"value": object})
    hella = rows["task"] == "hellaswag"
    rows.loc[hella, "value"] = [f"{v * 100:.4f}%" for v in rows.loc[hella, "value"]]
    rows.loc[~hella, "value"] = [v * 100 for v in rows.loc[~hella, "value"]]  # bare percent
    path = tmp_path / "pct.csv"
    rows.to_csv(path, index=False)
    evals = read_evals(path, runs=runs, percent=True)
    by_run = frame.set_index("run").loc[list(evals.runs.runs)]
    np.testing.assert_allclose(evals.accuracy("hellaswag"), by_run["acc_hellaswag"], atol=1e-6)
    np.testing.assert_allclose(evals.accuracy("flat"), by_run["acc_flat"])  # divided once
    said = [n for n in evals.notes if n.startswith("task 'hellaswag' acc read as percent")]
    assert len(said) == 1  # noted once, where the % was read
