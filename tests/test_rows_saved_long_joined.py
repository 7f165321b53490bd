"""A row is named where the user finds it, after a save, a pivot and a join:

- a backtest of a DataFrame, saved and loaded, says its rows as it did (``row 'r13'``),
  where the loaded one said the record number (``row 14``); files saved before still load;
- a long evaluation table (run, task, metric, value) names a bad row by its file line or
  its frame label, as a wide one does, where the frame's were counted from 1 and a run's
  size or loss was named by its place among the pivoted runs;
- evaluations joined to a run table (``--runs``) name a bad value by the file that holds it
  and its line there, where the joined records were counted from 1 under the evaluations'
  name (or no row was named at all).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from scalinglab import DataError, FitResult, backtest, fit
from scalinglab.cli import main
from scalinglab.downstream import read_evals
from scalinglab.validate import Backtest

_LABELS = [f"r{k}" for k in range(16)]


def _runs() -> pd.DataFrame:
    """16 runs, no run column (named row<k>), a string index, one diverged loss at 'r3'."""
    rng = np.random.default_rng(0)
    n = np.repeat([1e7 * 2**k for k in range(8)], 2)
    d = n * np.tile([10.0, 40.0], 8)
    loss = (1.8 + 400 * n**-0.34 + 400 * d**-0.28) * (1 + 0.01 * rng.standard_normal(16))
    loss[3] = 9.0
    return pd.DataFrame({"params": n, "tokens": d, "loss": loss}, index=_LABELS)


def _said(result: Any) -> list[str]:
    """Every way ``result`` is read: its text, repr, page, JSON, warnings and notes."""
    return [
        str(result),
        repr(result),
        result._repr_html_(),
        json.dumps(result.to_dict(), sort_keys=True),
        *result.warnings,
        *result.notes,
    ]


def test_a_saved_backtest_of_a_frame_says_its_rows_as_it_did(tmp_path: Path) -> None:
    made = backtest(_runs(), holdout="largest:3", bootstrap=20, drop_outliers=True)
    made.save(tmp_path / "b.json")
    loaded = Backtest.load(tmp_path / "b.json")
    assert [str(r.row) for r in made.runs] == ["'r13'", "'r14'", "'r15'"]
    assert [str(r.row) for r in loaded.runs] == ["'r13'", "'r14'", "'r15'"]
    for table in ("fitted", "held_out"):
        rows = getattr(made.split, table).rows
        again = getattr(loaded.split, table).rows
        assert [str(r) for r in again] == [str(r) for r in rows]
        assert again == rows  # the record numbers, as before
    assert _said(loaded) == _said(made)
    assert "(row 'r3') excluded" in " ".join(made.notes)


def test_a_backtest_saved_before_rows_kept_their_words_loads(tmp_path: Path) -> None:
    made = backtest(_runs(), holdout="largest:3", bootstrap=20, drop_outliers=True)
    made.save(tmp_path / "b.json")
    text = (tmp_path / "b.json").read_text()
    data = json.loads(text)

    def older(d: Any) -> Any:  # the file as the previous release wrote it
        if isinstance(d, dict):
            return {k: older(v) for k, v in d.items() if k not in ("rows_said", "row_said")}
        return [older(v) for v in d] if isinstance(d, list) else d

    (tmp_path / "old.json").write_text(json.dumps(older(data)))
    loaded = Backtest.load(tmp_path / "old.json")
    assert [str(r.row) for r in loaded.runs] == ["14", "15", "16"]
    assert loaded.split.fitted.rows == made.split.fitted.rows


def test_a_saved_fit_of_a_frame_says_its_rows_as_it_did(tmp_path: Path) -> None:
    made = fit("power-law-plus-constant", _runs(), bootstrap=20, drop_outliers=True)
    made.save(tmp_path / "f.json")
    loaded = FitResult.load(tmp_path / "f.json")
    assert "run 'row4' (row 'r3') excluded" in str(loaded)
    assert str(loaded) == str(made) and loaded.notes == made.notes
    assert loaded.warnings == made.warnings
    assert json.dumps(loaded.to_dict()) == json.dumps(made.to_dict())


_N = [1e7 * 2**k for k in range(6)]


def _long() -> pd.DataFrame:
    """Long scores, two tasks per run, each run's size and loss on each of its rows."""
    return pd.DataFrame(
        [
            {
                "run": f"m{k}",
                "task": task,
                "metric": "acc",
                "value": 0.5 + 0.03 * k,
                "params": n,
                "tokens": 20 * n,
                "loss": 2 + 30 * n**-0.3,
            }
            for k, n in enumerate(_N)
            for task in ("piqa", "hellaswag")
        ]
    )


def _refused(source: Any, **kw: Any) -> str:
    with pytest.raises(DataError) as err:
        read_evals(source, **kw)
    return str(err.value)


@pytest.mark.parametrize(
    ("index", "at"), [(None, "df.iloc[7]"), ([f"e{k}" for k in range(12)], "'e7'")]
)
def test_a_long_frame_names_a_bad_score_by_its_index(index: Any, at: str) -> None:
    frame = _long()
    frame.loc[7, "value"] = 1.7  # m3's hellaswag
    frame.index = frame.index if index is None else index
    said = _refused(frame)
    assert said.startswith(f"<DataFrame>, row {at}, column 'value': ")
    assert f"1.7 (row {at}, run 'm3', task 'hellaswag')" in said


def test_a_long_file_names_a_bad_score_and_a_bad_size_by_its_line(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    frame = _long()
    frame.loc[7, "value"] = 1.7
    frame.to_csv(path, index=False)
    assert _refused(path).startswith(f"{path}, row 9, column 'value': ")
    frame = _long()
    frame["params"] = frame["params"].astype(object)
    frame.loc[[6, 7], "params"] = "big"  # m3's rows: lines 8 and 9
    frame.to_csv(path, index=False)
    assert _refused(path).startswith(f"{path}, row 8, column 'params': 'big' is not a number")
    frame.index = [f"e{k}" for k in range(12)]
    assert _refused(frame).startswith("<DataFrame>, row 'e6', column 'params': 'big'")


def _wide() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Evaluations (runs in reverse order) and the run table they join."""
    runs = pd.DataFrame(
        {
            "run": [f"m{k}" for k in range(6)],
            "params": _N,
            "tokens": [20 * n for n in _N],
            "loss": [2 + 30 * n**-0.3 for n in _N],
        }
    )
    evals = pd.DataFrame({"run": [f"m{k}" for k in range(5, -1, -1)], "acc_piqa": 0.5})
    return evals, runs


def _files(tmp_path: Path, evals: pd.DataFrame, runs: pd.DataFrame) -> tuple[Path, Path]:
    e, r = tmp_path / "evals.csv", tmp_path / "runs.csv"
    evals.to_csv(e, index=False)
    runs.to_csv(r, index=False)
    return e, r


def test_a_joined_run_table_names_its_own_line(tmp_path: Path) -> None:
    evals, runs = _wide()
    runs["params"] = runs["params"].astype(object)
    runs.loc[1, "params"] = "big"  # m1: runs.csv line 3, evals.csv line 6
    e, r = _files(tmp_path, evals, runs)
    assert _refused(e, runs=r).startswith(
        f"{r} (joined to {e}), row 3, column 'params': 'big' is not a number"
    )
    runs.index = [f"r{k}" for k in range(6)]
    assert _refused(evals, runs=runs).startswith(
        "<DataFrame> (joined to <DataFrame>), row 'r1', column 'params': 'big'"
    )


def test_joined_scores_name_the_evaluations_line(tmp_path: Path, capsys: Any) -> None:
    evals, runs = _wide()
    evals.loc[1, "acc_piqa"] = 1.7  # m4: evals.csv line 3
    e, r = _files(tmp_path, evals, runs)
    assert _refused(e, runs=r).startswith(f"{e}, row 3, column 'acc_piqa': ")
    assert main(["downstream", "fit", str(e), "--runs", str(r)]) == 2
    assert f"{e}, row 3, column 'acc_piqa': " in capsys.readouterr().err


def test_a_joined_model_left_out_names_the_run_tables_line(tmp_path: Path) -> None:
    evals, runs = _wide()
    runs.loc[1, "loss"] = float("nan")
    e, r = _files(tmp_path, evals, runs)
    said = " ".join(read_evals(e, runs=r).notes)
    assert f"without a usable loss: 'm1' (row 3 of {r}): loss is missing or NaN" in said
